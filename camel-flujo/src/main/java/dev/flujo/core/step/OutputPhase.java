package dev.flujo.core.step;

/**
 * One phase that runs on an attempt's output: output processors, validators or plugins. A step's plan holds only the
 * phases it uses, in that order.
 */
public interface OutputPhase {

    PhaseResult apply(PluginInput attempt);
}
