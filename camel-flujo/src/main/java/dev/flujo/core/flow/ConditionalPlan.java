package dev.flujo.core.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;

/**
 * {@code flujo:conditional}: a selector turns the input and context into a key, and the branch of that key (or the
 * default branch) runs with the input and a copy of the context whose writes become the step's. No branch for the key
 * and no default is a failure naming the key and the keys there are.
 */
public record ConditionalPlan(CompositeStep step, Selector selector, Map<String, FlujoBranch> branches,
        FlujoBranch defaultBranch) implements CompositePlan {

    /** Picks the branch key; in Camel a Simple expression such as {@code ${body[category]}}. */
    @FunctionalInterface
    public interface Selector {
        Object select(Object input, FlujoContext context) throws Exception;
    }

    /** The name the default branch has in results. */
    public static final String DEFAULT = "default";

    public ConditionalPlan {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(selector, "selector");
        if ((branches == null || branches.isEmpty()) && defaultBranch == null) {
            throw new FlujoConfigurationException("Conditional step '" + step.name() + "' has no branches");
        }
        branches = Collections.unmodifiableMap(new LinkedHashMap<>(branches == null ? Map.of() : branches));
    }

    @Override
    public CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        Composite composite = new Composite(core, step, run);
        String key;
        try {
            Object selected = selector.select(input, context);
            key = selected == null ? null : String.valueOf(selected);
        } catch (Exception e) {
            composite.fail(e, List.of("condition failed: " + Composite.describe(e)), List.of(), Map.of());
            return composite.result;
        }
        FlujoBranch branch = key == null ? null : branches.get(key);
        String chosen = key;
        if (branch == null) {
            if (defaultBranch == null) {
                IllegalArgumentException e = new IllegalArgumentException(
                        "Conditional step '" + step.name()
                                                                          + "': no branch for key '" + key
                                                                          + "' and no default; branches: "
                                                                          + String.join(", ", branches.keySet()));
                composite.fail(e, List.of(e.getMessage()), List.of(), Map.of());
                return composite.result;
            }
            branch = defaultBranch;
            chosen = DEFAULT;
        }
        Map<String, Object> metadata = Map.of(StepResult.META_CHOSEN, List.of(chosen));
        FanOut one = new FanOut(
                core, step, List.of(new FanOut.Job(chosen, branch, input)), context, run,
                BranchFailurePolicy.PROPAGATE, 1);
        return composite.finishWhenDone(one, BranchFailurePolicy.PROPAGATE, MergeStrategies.OVERWRITE, context,
                metadata, done -> done.get(0).output);
    }
}
