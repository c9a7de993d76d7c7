package dev.flujo.core.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.flujo.core.config.RetryOptions;
import io.github.resilience4j.core.IntervalFunction;

/**
 * How long a step waits before retrying a failed call, decided once per plan from {@link RetryOptions}: Resilience4j's
 * exponential {@link IntervalFunction} ({@code retryDelay} × {@code retryBackoffMultiplier}^(n-1), at most
 * {@code retryMaxDelay}), drawn at random between 0 and that delay with {@code retryJitter} ("full jitter": clients
 * that failed together spread out instead of hitting the provider together again). A {@code Retry-After} is a floor:
 * the wait is never shorter than it asks; one longer than {@code retryMaxDelay} is refused by {@link #refuses}.
 */
public final class RetryBackoff {

    /** No wait between attempts ({@code retryDelay=0}). */
    public static final RetryBackoff NONE = new RetryBackoff(null, false, Duration.ofMillis(Long.MAX_VALUE));

    private final IntervalFunction interval;
    private final boolean jitter;
    private final Duration maxDelay;

    private RetryBackoff(IntervalFunction interval, boolean jitter, Duration maxDelay) {
        this.interval = interval;
        this.jitter = jitter;
        this.maxDelay = maxDelay;
    }

    public static RetryBackoff of(RetryOptions options) {
        if (options.retryDelay().isZero()) {
            return new RetryBackoff(null, false, options.retryMaxDelay());
        }
        return new RetryBackoff(
                IntervalFunction.ofExponentialBackoff(options.retryDelay(), options.retryBackoffMultiplier(),
                        options.retryMaxDelay()),
                options.retryJitter(), options.retryMaxDelay());
    }

    /**
     * @param  failedAttempt the attempt that failed (1 for the first)
     * @param  retryAfter    what the failure asked for, or {@code null}
     * @return               nanoseconds to wait before the next attempt (0 = at once)
     */
    public long waitNanos(int failedAttempt, Duration retryAfter) {
        long millis = interval == null ? 0 : interval.apply(failedAttempt);
        if (jitter && millis > 0) {
            millis = ThreadLocalRandom.current().nextLong(millis + 1);
        }
        long nanos = Duration.ofMillis(millis).toNanos();
        return retryAfter == null ? nanos : Math.max(nanos, retryAfter.toNanos());
    }

    /** Whether a failure asking for this wait is not retried: it asks for more than {@code retryMaxDelay}. */
    public boolean refuses(Duration retryAfter) {
        return retryAfter != null && retryAfter.compareTo(maxDelay) > 0;
    }

    public Duration maxDelay() {
        return maxDelay;
    }
}
