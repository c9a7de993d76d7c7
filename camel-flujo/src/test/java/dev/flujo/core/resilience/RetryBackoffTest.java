package dev.flujo.core.resilience;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import dev.flujo.core.config.RetryOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wait between a failed call and its retry: exponential, capped, jittered, floored by Retry-After. */
class RetryBackoffTest {

    private static final int DRAWS = 2_000;

    private static RetryBackoff backoff(Duration delay, double multiplier, Duration maxDelay, boolean jitter) {
        return RetryBackoff.of(new RetryOptions(5, null, delay, multiplier, maxDelay, jitter, true, 1000));
    }

    private static long ms(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    @Test
    void withoutJitterTheWaitDoublesUpToRetryMaxDelay() {
        RetryBackoff backoff = backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1), false);

        assertEquals(200, ms(backoff.waitNanos(1, null)));
        assertEquals(400, ms(backoff.waitNanos(2, null)));
        assertEquals(800, ms(backoff.waitNanos(3, null)));
        assertEquals(1000, ms(backoff.waitNanos(4, null)), "1600 ms capped at retryMaxDelay");
        assertEquals(1000, ms(backoff.waitNanos(10, null)));
        assertEquals(Duration.ofSeconds(1), backoff.maxDelay());
    }

    @Test
    void aMultiplierOfOneIsAFixedDelay() {
        RetryBackoff backoff = backoff(Duration.ofMillis(300), 1.0, Duration.ofSeconds(1), false);

        for (int attempt = 1; attempt <= 5; attempt++) {
            assertEquals(300, ms(backoff.waitNanos(attempt, null)), "attempt " + attempt);
        }
    }

    @Test
    void withJitterEveryWaitIsBetweenZeroAndTheComputedDelay() {
        RetryBackoff backoff = backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1), true);
        long[] ceilings = { 200, 400, 800, 1000 };

        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            Set<Long> seen = new HashSet<>();
            long max = Duration.ofMillis(ceilings[attempt - 1]).toNanos();
            for (int i = 0; i < DRAWS; i++) {
                long wait = backoff.waitNanos(attempt, null);
                assertTrue(wait >= 0 && wait <= max, "attempt " + attempt + ": " + wait + " ns not in [0, " + max + "]");
                seen.add(wait);
            }
            assertTrue(seen.size() > 10, "attempt " + attempt + ": the waits are spread, not all equal: " + seen.size());
        }
    }

    @Test
    void withJitterTheWaitsSpreadOverTheWholeRange() {
        RetryBackoff backoff = backoff(Duration.ofMillis(1000), 2.0, Duration.ofSeconds(10), true);
        boolean low = false;
        boolean high = false;
        for (int i = 0; i < DRAWS && !(low && high); i++) {
            long wait = ms(backoff.waitNanos(1, null));
            low |= wait < 250;
            high |= wait > 750;
        }
        assertTrue(low && high, "full jitter: draws near 0 and near the delay (low=" + low + ", high=" + high + ")");
    }

    @Test
    void retryAfterIsAFloor() {
        RetryBackoff fixed = backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), false);
        RetryBackoff jittered = backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), true);

        assertEquals(5000, ms(fixed.waitNanos(1, Duration.ofSeconds(5))), "longer than the backoff: waits as asked");
        assertEquals(800, ms(fixed.waitNanos(3, Duration.ofMillis(100))), "shorter than the backoff: the backoff");
        assertEquals(200, ms(fixed.waitNanos(1, Duration.ZERO)));
        for (int i = 0; i < DRAWS; i++) {
            long wait = jittered.waitNanos(1, Duration.ofMillis(150));
            assertTrue(wait >= Duration.ofMillis(150).toNanos(), "never shorter than Retry-After: " + wait);
            assertTrue(wait <= Duration.ofMillis(200).toNanos(), "nor longer than the larger of the two: " + wait);
        }
    }

    @Test
    void onlyARetryAfterAboveRetryMaxDelayIsRefused() {
        RetryBackoff backoff = backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1), true);

        assertFalse(backoff.refuses(null));
        assertFalse(backoff.refuses(Duration.ZERO));
        assertFalse(backoff.refuses(Duration.ofMillis(999)));
        assertFalse(backoff.refuses(Duration.ofSeconds(1)), "exactly retryMaxDelay is still waited for");
        assertTrue(backoff.refuses(Duration.ofMillis(1001)));
        assertTrue(backoff.refuses(Duration.ofMinutes(2)));
    }

    @Test
    void aRetryDelayOfZeroRetriesAtOnce() {
        RetryBackoff backoff = backoff(Duration.ZERO, 2.0, Duration.ofSeconds(1), true);

        for (int attempt = 1; attempt <= 5; attempt++) {
            assertEquals(0, backoff.waitNanos(attempt, null), "attempt " + attempt);
        }
        assertEquals(300, ms(backoff.waitNanos(2, Duration.ofMillis(300))), "a Retry-After is still honoured");
        assertTrue(backoff.refuses(Duration.ofSeconds(2)), "and one above retryMaxDelay still refused");
        assertEquals(0, RetryBackoff.NONE.waitNanos(3, null));
    }

    @Test
    void theDefaultsWaitHalfASecondAtMostBeforeTheFirstRetry() {
        RetryBackoff defaults = RetryBackoff.of(RetryOptions.DEFAULTS);

        for (int i = 0; i < 200; i++) {
            long wait = defaults.waitNanos(1, null);
            assertTrue(wait >= 0 && wait <= Duration.ofMillis(500).toNanos(), "jittered within 500 ms: " + wait);
        }
        assertEquals(Duration.ofSeconds(30), defaults.maxDelay());
    }
}
