package dev.flujo.core.step;

import dev.flujo.core.context.FlujoContext;

/**
 * A prompt processor (runs on the input before the agent call) or an output processor (runs on the agent's output).
 * Processors of one list run in order, each receiving the previous one's result. Throwing fails the attempt.
 */
@FunctionalInterface
public interface FlujoProcessor {

    Object process(Object value, FlujoContext context) throws Exception;
}
