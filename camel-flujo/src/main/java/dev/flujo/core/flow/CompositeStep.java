package dev.flujo.core.flow;

import java.util.Objects;

import dev.flujo.core.telemetry.StepObserver;
import dev.flujo.core.usage.UsageLimits;

/**
 * What every composite step has, whatever its kind.
 *
 * @param name                the step name
 * @param kind                the kind, as in the URI ({@code parallel}, {@code loop}, ...), recorded in the result's
 *                            metadata
 * @param limits              usage limits applied to the run when the step starts (the tighter of these and the run's)
 * @param sinkTo              a context key the step's output is written to when it succeeds, or {@code null} (as is a
 *                            blank one, like an agent step's)
 * @param observer            told of every finished execution (telemetry), or {@code null}
 * @param copyOnWriteContexts branches get O(1) copy-on-write copies of the context ({@code enableContextOptimization})
 *                            rather than eager copies
 */
public record CompositeStep(String name, String kind, UsageLimits limits, String sinkTo, StepObserver observer,
        boolean copyOnWriteContexts) {

    public CompositeStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        limits = limits == null ? UsageLimits.NONE : limits;
        sinkTo = sinkTo == null || sinkTo.isBlank() ? null : sinkTo;
    }

    public CompositeStep(String name, String kind, UsageLimits limits, String sinkTo) {
        this(name, kind, limits, sinkTo, null, true);
    }

    public static CompositeStep of(String name, String kind) {
        return new CompositeStep(name, kind, UsageLimits.NONE, null);
    }
}
