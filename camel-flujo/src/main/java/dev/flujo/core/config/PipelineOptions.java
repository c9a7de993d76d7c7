package dev.flujo.core.config;

import java.util.List;

/**
 * How the executor lays out a step's work: which phases it runs and how branch contexts are copied.
 *
 * @param enableContextOptimization copy-on-write branch contexts instead of eager copies
 * @param enableStepOptimization    run only the phases a step uses, decided at start
 */
public record PipelineOptions(boolean enableContextOptimization, boolean enableStepOptimization) {

    public static final PipelineOptions DEFAULTS = new PipelineOptions(true, true);

    void validate(List<String> problems) {
        // both are switches: nothing to check
    }
}
