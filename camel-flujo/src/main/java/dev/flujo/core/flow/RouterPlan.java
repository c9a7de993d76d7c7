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
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.StepPlan;
import dev.flujo.core.step.StepResult;
import dev.flujo.core.step.ValidationResult;

/**
 * {@code flujo:router}: a router agent step chooses one or several branches by name (its output is a name, a
 * comma-separated list of names or a collection of names), and the chosen branches run as a parallel step.
 *
 * <p>An unknown name is never dropped: {@link #branchNames} is a validator the router step runs, so an agent that
 * answers with an unknown name gets a retry with feedback listing the names there are, and fails naming it when
 * its attempts are spent. The router agent's step ({@code NAME.router}) is recorded in the run's history, and is
 * also the first child of this step's result, so the step's usage includes the routing call.
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
                return unknown.isEmpty() ? ValidationResult.ok()
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
    public CompletableFuture<StepResult> execute(ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
                                                 List<String> fallbackChain) {
        CompletableFuture<StepResult> done = new CompletableFuture<>();
        run.ledger().applyLimits(step.limits()); // before the router agent's call, which they bound too
        // the router's own step result goes to the run's history first, like any agent step's
        router.execute(core, input, context, run, fallbackChain).whenComplete((routed, error) -> {
            if (error != null) {
                done.completeExceptionally(Composite.unwrap(error));
                return;
            }
            List<String> chosen = parse(routed.output());
            List<FanOut.Job> jobs = new ArrayList<>(chosen.size());
            for (String name : chosen) {
                FlujoBranch branch = branches.get(name);
                if (branch == null) { // the validator makes this unreachable unless the plan was built without it
                    done.completeExceptionally(new FlujoConfigurationException("Router step '" + step.name()
                            + "' chose unknown branch '" + name + "'; branches: " + String.join(", ", branches.keySet())));
                    return;
                }
                jobs.add(new FanOut.Job(name, branch, input));
            }
            ParallelPlan.run(core, step, jobs, context, run, merge, onFailure, maxConcurrency, reduce,
                    Map.of(StepResult.META_CHOSEN, chosen), List.of(routed)).whenComplete((result, failure) -> {
                        if (failure != null) {
                            done.completeExceptionally(Composite.unwrap(failure));
                        } else {
                            done.complete(result);
                        }
                    });
        });
        return done;
    }
}
