package dev.flujo.core.step;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses the output phases of a step, once, when its plan is built: the phases themselves stay package-private, so a
 * plan can only hold them in the order this method gives (output processors, the output schema, validators, plugins,
 * the context-update check). The schema comes after the processors (which may clean up a text answer) and before the
 * validators and plugins, which then see the structured value.
 */
public final class OutputPhases {

    private OutputPhases() {
    }

    /**
     * @param lean        {@code enableStepOptimization}: only the phases the step uses; off, every phase runs on every
     *                    call, empty or not (the generic pipeline, kept to measure against)
     * @param reservedKey context keys an {@code updatesContext} output must not write; {@code null} when the step does
     *                    not update the context
     */
    public static List<OutputPhase> of(
            boolean lean, List<FlujoProcessor> outputProcessors,
            List<FlujoValidator> validators, List<FlujoPlugin> plugins, Predicate<String> reservedKey) {
        return of(lean, outputProcessors, null, validators, plugins, reservedKey);
    }

    /** @param structured the step's output schema, or {@code null} */
    public static List<OutputPhase> of(
            boolean lean, List<FlujoProcessor> outputProcessors, StructuredOutput structured,
            List<FlujoValidator> validators, List<FlujoPlugin> plugins, Predicate<String> reservedKey) {
        List<OutputPhase> phases = new ArrayList<>(5);
        if (!lean || !outputProcessors.isEmpty()) {
            phases.add(new OutputProcessingPhase(outputProcessors));
        }
        if (structured != null) {
            phases.add(new StructuredOutputPhase(structured));
        }
        if (!lean || !validators.isEmpty()) {
            phases.add(new ValidationPhase(validators));
        }
        if (!lean || !plugins.isEmpty()) {
            phases.add(new PluginPhase(plugins));
        }
        if (reservedKey != null) {
            phases.add(new ContextUpdatePhase(reservedKey));
        }
        return List.copyOf(phases);
    }
}
