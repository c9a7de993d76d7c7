package dev.flujo.core.flow;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;

/**
 * {@code flujo:map}: runs the body once per item of a list - the input, or the context value under {@code itemsKey} -
 * at most {@code maxConcurrency} at a time. The output is the list of the body's outputs in item order, whatever order
 * they finished in. Items are named {@code [0]}, {@code [1]}, ... in the result's children and in failures; a failed
 * item is never hidden: under {@code IGNORE} its place in the output is {@code null} and its name is listed in
 * {@link StepResult#META_FAILED_BRANCHES}.
 */
public record MapPlan(CompositeStep step, FlujoBranch body, String itemsKey, MergeStrategy merge,
        BranchFailurePolicy onFailure, int maxConcurrency) implements CompositePlan {

    public MapPlan {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(body, "body");
        merge = merge == null ? MergeStrategies.CONTEXT_UPDATE : merge;
        onFailure = onFailure == null ? BranchFailurePolicy.PROPAGATE : onFailure;
        FanOut.checkMaxConcurrency("Map", step, maxConcurrency);
    }

    @Override
    public CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        Composite composite = new Composite(core, step, run);
        List<Object> items;
        try {
            items = items(input, context);
        } catch (RuntimeException e) {
            composite.fail(e, List.of(Composite.describe(e)), List.of(), Map.of());
            return composite.result;
        }
        List<FanOut.Job> jobs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            jobs.add(new FanOut.Job("[" + i + "]", body, items.get(i)));
        }
        return composite.finishWhenDone(new FanOut(core, step, jobs, context, run, onFailure, maxConcurrency),
                onFailure, merge, context, Map.of(), done -> {
                    List<Object> outputs = new ArrayList<>(done.size());
                    done.forEach(o -> outputs.add(o.succeeded() ? o.output : null));
                    return outputs;
                });
    }

    private List<Object> items(Object input, FlujoContext context) {
        Object source = itemsKey == null ? input : context.get(itemsKey);
        String where = itemsKey == null ? "its input" : "context key '" + itemsKey + "'";
        if (source == null) {
            throw new IllegalArgumentException("Map step '" + step.name() + "' has no items: " + where + " is absent");
        }
        List<Object> items = new ArrayList<>();
        if (source instanceof Iterable<?> iterable) {
            iterable.forEach(items::add);
        } else if (source.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(source); i++) {
                items.add(Array.get(source, i));
            }
        } else {
            throw new IllegalArgumentException(
                    "Map step '" + step.name() + "' needs a list of items, but " + where
                                               + " is a " + source.getClass().getName());
        }
        return items;
    }
}
