package dev.flujo.core.resilience;

import java.time.Duration;

import dev.flujo.core.FlujoException;

/**
 * An agent was not called because its rate limit ({@code requestsPerMinute} or {@code tokensPerMinute}) would have made
 * the call wait longer than {@code rateLimitWait}. Retrying at once cannot help, so the attempt is not retried: the
 * step goes to its fallback (another agent, with limits of its own) or fails with this as the cause.
 */
public class RateLimitedException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String stepName;
    private final String agentName;
    private final String limit;

    /** @param limit the limit that refused, as its option: {@code requestsPerMinute=60} */
    public RateLimitedException(String stepName, String agentName, String limit, Duration rateLimitWait) {
        super("Step '" + stepName + "': agent " + agentName + " not called, its rate limit " + limit
              + " would make the call wait longer than rateLimitWait " + rateLimitWait.toMillis() + " ms");
        this.stepName = stepName;
        this.agentName = agentName;
        this.limit = limit;
    }

    public String getStepName() {
        return stepName;
    }

    public String getAgentName() {
        return agentName;
    }

    /** The limit that refused the call, as its option ({@code requestsPerMinute=60}). */
    public String getLimit() {
        return limit;
    }
}
