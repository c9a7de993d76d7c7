package dev.flujo.core.agent;

import java.time.Duration;
import java.util.Objects;

import dev.flujo.core.FlujoException;

/**
 * An agent call failed and said when to try again: a provider's {@code Retry-After}, as a bean agent or the Camel
 * adapter (the reply header {@code CamelFlujoRetryAfter}) reports it. The step retries the call no earlier than
 * {@link #getRetryAfter()}; when that is longer than {@code retryMaxDelay} it does not retry, and the step's failure
 * (or its fallback's {@code originalError}) names the wait asked for.
 *
 * <p>
 * Errors of HTTP clients that carry their response headers (camel-http's {@code HttpOperationFailedException},
 * camel-vertx-http's failure) need no wrapping: the step reads their {@code Retry-After} / {@code retry-after-ms}
 * itself.
 */
public class RetryAfterException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param retryAfter how long to wait before the next call, not negative
     * @param cause      the failure itself, or {@code null}
     */
    public RetryAfterException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    /** How long the agent asked the step to wait before calling it again. */
    public Duration getRetryAfter() {
        return retryAfter;
    }
}
