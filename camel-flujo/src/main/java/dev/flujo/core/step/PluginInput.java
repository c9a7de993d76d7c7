package dev.flujo.core.step;

import dev.flujo.core.context.FlujoContext;

/**
 * What a plugin sees.
 *
 * @param stepName the step
 * @param input    the step's input (after prompt processors)
 * @param output   the current output (after output processors, validators and earlier plugins' new solutions)
 * @param context  a read-only view of the run's context
 * @param attempt  the attempt number, starting at 1
 * @param agent    the reference of the agent that produced the output
 */
public record PluginInput(String stepName, Object input, Object output, FlujoContext context, int attempt,
        String agent) {
}
