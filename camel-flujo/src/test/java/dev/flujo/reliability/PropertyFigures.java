package dev.flujo.reliability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The stress run's figure for a class of jqwik properties (issue 7, bad input). Property classes run in both runs: in
 * the test command with jqwik's default tries, and in the stress profile with {@code jqwik.tries.default} raised and
 * {@code flujo.stress=true}; only then does this hook record one {@link ReliabilityFigures} line per class: how many
 * properties held and how many tries jqwik really made (counted from each property's result, not from the
 * configuration, so an engine that did not run, or exhaustive generation that needed fewer tries, shows).
 *
 * <p>
 * Use: {@code @AddLifecycleHook(PropertyFigures.class) @PropertyFigures.What(what = "...", found = "...")}.
 */
public final class PropertyFigures implements AroundPropertyHook, AfterContainerHook {

    /** What a class of properties checks, and what it found (and got fixed), for its line in the report. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface What {
        String what();

        String found();
    }

    /**
     * On a property whose every try is costly (it starts Camel endpoints): it runs the default tries divided by
     * {@code value} ({@code jqwik.tries.default}, 1,000 unless the run sets it), so a tenth of them in both runs.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface CostlyTries {
        int value();
    }

    /** System property the stress profile sets; without it nothing is recorded. */
    public static final String STRESS_FLAG = "flujo.stress";

    private record Ran(String property, int tries, PropertyExecutionResult.Status status) {
    }

    private static final Map<Class<?>, List<Ran>> RUNS = new ConcurrentHashMap<>();

    /** Registered on a class, it must also wrap the class's properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.DIRECT_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        CostlyTries costly = context.targetMethod().getAnnotation(CostlyTries.class);
        if (costly != null) {
            context.attributes().setTries(Math.max(1, Integer.getInteger("jqwik.tries.default", 1000) / costly.value()));
        }
        PropertyExecutionResult result = property.execute();
        if (context.targetMethod().isAnnotationPresent(net.jqwik.api.Example.class)) {
            return result; // one fixed case, a regression example: not a property's tries
        }
        RUNS.computeIfAbsent(context.containerClass(), c -> new CopyOnWriteArrayList<>())
                .add(new Ran(context.label(), result.countTries(), result.status()));
        return result;
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        Class<?> test = context.optionalContainerClass().orElseThrow();
        List<Ran> runs = RUNS.remove(test);
        if (!Boolean.getBoolean(STRESS_FLAG)) {
            return;
        }
        if (runs == null) {
            throw new IllegalStateException("no property of " + test.getName() + " was counted");
        }
        What what = test.getAnnotation(What.class);
        if (what == null) {
            throw new IllegalStateException(test.getName() + " records property figures but has no @PropertyFigures.What");
        }
        ReliabilityFigures.record(ReliabilityFigures.Section.BAD_INPUT, what.what(), figure(runs, what.found()), test);
    }

    static String figure(List<Ran> runs, String found) {
        long held = runs.stream().filter(r -> r.status() == PropertyExecutionResult.Status.SUCCESSFUL).count();
        long tries = runs.stream().mapToLong(Ran::tries).sum();
        int min = runs.stream().mapToInt(Ran::tries).min().orElse(0);
        int max = runs.stream().mapToInt(Ran::tries).max().orElse(0);
        String each = min == max
                ? String.format(Locale.ROOT, "%,d each", min)
                : String.format(Locale.ROOT, "%,d to %,d each", min, max);
        String outcome = held == runs.size()
                ? held + " properties held"
                : held + " of " + runs.size() + " properties held";
        return String.format(Locale.ROOT, "%s, %,d tries (%s); %s", outcome, tries, each, found);
    }
}
