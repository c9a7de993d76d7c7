package dev.flujo.core.config;

import java.time.Duration;
import java.util.List;

/**
 * How often and how long a step tries its agent, how long it waits between tries, and which errors it does not retry.
 *
 * <p>
 * A failed call (an error or a time-out) is retried after an exponential backoff: {@code retryDelay} before the first
 * retry, multiplied by {@code retryBackoffMultiplier} for each further one, never more than {@code retryMaxDelay}; with
 * {@code retryJitter} the wait is drawn between 0 and that delay ("full jitter"), so callers that failed together do
 * not come back together. A provider's {@code Retry-After} raises the wait to what it asks for; one that asks for more
 * than {@code retryMaxDelay} is not waited for. An answer the validators or plugins rejected is retried at once: the
 * model answered, and waiting would not change its next answer.
 *
 * @param maxRetries                   retries after the first attempt (0 = one attempt only)
 * @param timeout                      bound of one agent call; {@code null} = no time-out
 * @param retryDelay                   wait before the first retry of a failed call
 * @param retryBackoffMultiplier       factor applied to the wait for each further retry (1 = a fixed delay)
 * @param retryMaxDelay                the longest wait between two attempts, and the longest Retry-After honoured
 * @param retryJitter                  draw each wait between 0 and the computed delay
 * @param enableOptimizedErrorHandling skip retries for agent errors a retry cannot fix (bad request, 4xx, quota)
 * @param errorCacheSize               how many exception types' classifications are remembered
 */
public record RetryOptions(int maxRetries, Duration timeout, Duration retryDelay, double retryBackoffMultiplier,
        Duration retryMaxDelay, boolean retryJitter, boolean enableOptimizedErrorHandling, int errorCacheSize) {

    /** Guards against a typo turning one step into thousands of paid calls. */
    public static final int MAX_RETRIES_CEILING = 100;
    private static final Duration DEFAULT_DELAY = Duration.ofMillis(500);
    private static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
    public static final RetryOptions DEFAULTS = new RetryOptions(
            1, null, DEFAULT_DELAY, 2.0, DEFAULT_MAX_DELAY, true, true, 1000);

    public RetryOptions {
        retryDelay = retryDelay == null ? Duration.ZERO : retryDelay;
        retryMaxDelay = retryMaxDelay == null ? DEFAULT_MAX_DELAY : retryMaxDelay;
    }

    public int maxAttempts() {
        return maxRetries + 1;
    }

    void validate(List<String> problems) {
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_CEILING) {
            problems.add("maxRetries must be between 0 and " + MAX_RETRIES_CEILING + ", was " + maxRetries);
        }
        Checks.positive(problems, "timeout", timeout);
        if (retryDelay.isNegative()) {
            problems.add("retryDelay must not be negative (0 = retry at once), was " + retryDelay);
        }
        if (!(retryBackoffMultiplier >= 1.0) || Double.isInfinite(retryBackoffMultiplier)) {
            problems.add("retryBackoffMultiplier must be a finite number of at least 1, was " + retryBackoffMultiplier);
        }
        Checks.positive(problems, "retryMaxDelay", retryMaxDelay);
        if (!retryMaxDelay.isNegative() && retryDelay.compareTo(retryMaxDelay) > 0) {
            problems.add("retryDelay (" + retryDelay + ") must not be longer than retryMaxDelay (" + retryMaxDelay + ")");
        }
        Checks.atLeastOne(problems, "errorCacheSize", errorCacheSize);
    }
}
