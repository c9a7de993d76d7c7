package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;

/**
 * {@code flujo:router}: a router agent step chooses one or several branches by name (its output is a name, a
 * comma-separated list of names or a collection of names), and the chosen branches run as a parallel step.
 *
 * <p>
 * An unknown name is never dropped: {@link #branchNames} is a validator the router step runs, so an agent that answers
 * with an unknown name gets a retry with feedback listing the names there are, and fails naming it when its attempts
 * are spent. The router agent's step ({@code NAME.router}) is the first child of this step's result (so the step's
 * usage includes the routing call); when routing fails, this step fails with it as its child.
 */
public record RouterPlan(CompositeStep step, StepPlan router, Map<String, FlujoBranch> branches,
        MergeStrategy merge, BranchFailurePolicy onFailure, int maxConcurrency,
        FlujoProcessor reduce) implements CompositePlan {

    public RouterPlan {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(router, "router");
        if (branches == null || branches.isEmpty()) {
            throw new FlujoConfigurationException("Router step '" + step.name() + "' has no branches");
        }
        branches = Collections.unmodifiableMap(new LinkedHashMap<>(branches));
        merge = merge == null ? MergeStrategies.CONTEXT_UPDATE : merge;
        onFailure = onFailure == null ? BranchFailurePolicy.PROPAGATE : onFailure;
        FanOut.checkMaxConcurrency("Router", step, maxConcurrency);
    }

    /** The validator that rejects a router agent's answer naming no branch or an unknown one. */
    public static FlujoValidator branchNames(Set<String> known) {
        Set<String> names = Set.copyOf(known);
        return new FlujoValidator() {
            @Override
            public ValidationResult validate(Object output, FlujoContext context) {
                List<String> chosen = parse(output);
                if (chosen.isEmpty()) {
                    return ValidationResult.fail("answer with one or more branch names, comma-separated, from: "
                                                 + String.join(", ", sorted(names)));
                }
                List<String> unknown = chosen.stream().filter(n -> !names.contains(n)).toList();
                return unknown.isEmpty()
                        ? ValidationResult.ok()
                        : ValidationResult.fail("unknown branch " + String.join(", ", unknown)
                                                + "; choose from: " + String.join(", ", sorted(names)));
            }

            @Override
            public String name() {
                return "branchNames";
            }
        };
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    /** The names a router answered: a name, a comma-separated list, or a collection; duplicates once. */
    static List<String> parse(Object output) {
        Set<String> names = new LinkedHashSet<>();
        if (output instanceof Collection<?> c) {
            c.forEach(o -> names.add(String.valueOf(o).trim()));
        } else if (output != null) {
            for (String s : String.valueOf(output).split(",")) {
                names.add(s.trim());
            }
        }
        names.remove("");
        return new ArrayList<>(names);
    }

    @Override
    public CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        // limits first: they bound the routing call too
        Composite composite = new Composite(core, step, run);
        // the routing call runs in a branch run of its own, so its result is recorded once: as this step's first
        // child (and in its usage), not also beside it in the run's history
        FlujoRun routing = run.branch();
        router.execute(core, input, context, routing, fallbackChain).whenComplete((routed, error) -> {
            routing.detach();
            try {
                List<StepResult> routingResults = routing.history();
                if (error != null) {
                    Throwable cause = Composite.unwrap(error);
                    composite.fail(cause, List.of("routing failed: " + Composite.describe(cause)), routingResults,
                            Map.of());
                    return;
                }
                List<String> chosen = parse(routed.output());
                List<FanOut.Job> jobs = new ArrayList<>(chosen.size());
                for (String name : chosen) {
                    FlujoBranch branch = branches.get(name);
                    if (branch == null) { // the validator makes this unreachable unless the plan was built without it
                        FlujoConfigurationException unknown = new FlujoConfigurationException(
                                "Router step '"
                                                                                              + step.name()
                                                                                              + "' chose unknown branch '"
                                                                                              + name + "'; branches: "
                                                                                              + String.join(", ",
                                                                                                      branches.keySet()));
                        composite.fail(unknown, List.of(unknown.getMessage()), routingResults, Map.of());
                        return;
                    }
                    jobs.add(new FanOut.Job(name, branch, input));
                }
                Map<String, Object> metadata = new java.util.LinkedHashMap<>();
                metadata.put(StepResult.META_CHOSEN, chosen);
                // the routing call's cache lookup is the router's: its statistics and automatic optimizer count it
                Object cacheHit = routed.metadata().get(StepResult.META_CACHE_HIT);
                if (cacheHit != null) {
                    metadata.put(StepResult.META_CACHE_HIT, cacheHit);
                }
                ParallelPlan.run(composite.leadingChildren(routingResults), core, jobs, context, run, merge, onFailure,
                        maxConcurrency, reduce, metadata);
            } catch (Throwable t) {
                composite.crash(t);
            }
        });
        return composite.result;
    }
}
