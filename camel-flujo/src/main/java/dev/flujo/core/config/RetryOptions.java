package dev.flujo.core.config;

import java.time.Duration;
import java.util.List;

/**
 * How often and how long a step tries its agent, and which errors it does not retry.
 *
 * @param maxRetries                   retries after the first attempt (0 = one attempt only)
 * @param timeout                      bound of one agent call; {@code null} = no time-out
 * @param enableOptimizedErrorHandling skip retries for agent errors a retry cannot fix (bad request, 4xx)
 * @param errorCacheSize               how many exception types' classifications are remembered
 */
public record RetryOptions(int maxRetries, Duration timeout, boolean enableOptimizedErrorHandling, int errorCacheSize) {

    /** Guards against a typo turning one step into thousands of paid calls. */
    public static final int MAX_RETRIES_CEILING = 100;
    public static final RetryOptions DEFAULTS = new RetryOptions(1, null, false, 1000);

    public int maxAttempts() {
        return maxRetries + 1;
    }

    void validate(List<String> problems) {
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_CEILING) {
            problems.add("maxRetries must be between 0 and " + MAX_RETRIES_CEILING + ", was " + maxRetries);
        }
        Checks.positive(problems, "timeout", timeout);
        Checks.atLeastOne(problems, "errorCacheSize", errorCacheSize);
    }
}
