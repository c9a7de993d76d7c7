package dev.flujo.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The request and token rates an agent may be called at, as model providers publish them (per minute), shared by every
 * step, branch and item that calls the same agent.
 *
 * @param requestsPerMinute the most calls a minute, spread evenly (one every 60 s / requestsPerMinute); 0 = no limit
 * @param tokensPerMinute   the most tokens a minute, a bucket refilled continuously at that rate; a call reserves
 *                          {@code expectedTokens} (or an estimate from its prompt) and is then charged or refunded the
 *                          difference to what it reports; 0 = no limit
 * @param rateLimitWait     the longest a call waits for its permits (no thread waits); one that would wait longer fails
 *                          its attempt with a RateLimitedException
 */
public record RateLimitOptions(int requestsPerMinute, long tokensPerMinute, Duration rateLimitWait) {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    public static final RateLimitOptions DEFAULTS = new RateLimitOptions(0, 0, DEFAULT_WAIT);

    public RateLimitOptions {
        rateLimitWait = rateLimitWait == null ? DEFAULT_WAIT : rateLimitWait;
    }

    /** Whether any limit is set. */
    public boolean limited() {
        return requestsPerMinute > 0 || tokensPerMinute > 0;
    }

    void validate(List<String> problems) {
        if (requestsPerMinute < 0) {
            problems.add("requestsPerMinute must not be negative (0 = no limit), was " + requestsPerMinute);
        }
        if (requestsPerMinute > 60_000_000) {
            problems.add("requestsPerMinute must be at most 60000000 (one a microsecond), was " + requestsPerMinute);
        }
        if (tokensPerMinute < 0) {
            problems.add("tokensPerMinute must not be negative (0 = no limit), was " + tokensPerMinute);
        }
        if (tokensPerMinute > Integer.MAX_VALUE) {
            problems.add("tokensPerMinute must be at most " + Integer.MAX_VALUE + ", was " + tokensPerMinute);
        }
        if (rateLimitWait.isNegative()) {
            problems.add("rateLimitWait must not be negative (0 = never wait), was " + rateLimitWait);
        }
    }
}
