package dev.flujo.core.flow;

import dev.flujo.core.exec.FlujoPlan;

/** A plan of a composite kind: named by its {@link CompositeStep}. */
public interface CompositePlan extends FlujoPlan {

    CompositeStep step();

    @Override
    default String name() {
        return step().name();
    }
}
