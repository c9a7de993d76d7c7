package dev.flujo.core.agent;

import java.time.Duration;

import dev.flujo.core.FlujoException;

/** An agent call did not answer within the step's {@code timeout}. Counts as a failed attempt. */
public class AgentTimeoutException extends FlujoException {

    private static final long serialVersionUID = 1L;

    public AgentTimeoutException(String stepName, String agentName, Duration timeout) {
        super("Agent '" + agentName + "' of step '" + stepName + "' did not answer within " + timeout.toMillis() + " ms");
    }
}
