package dev.flujo.core.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit.Permit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class AdaptiveConcurrencyLimitTest {

    private static final Duration GUARD = Duration.ofSeconds(5);

    /** The limiter's RTT clock: time passes only when a test says so. */
    private final AtomicLong nanos = new AtomicLong();

    /**
     * Gradient2 with the production parameters. (A much shorter long-term window would make the baseline chase a
     * latency rise within one round, so a rise would soon stop shrinking the limit: the new latency becomes normal.)
     */
    private static Gradient2Limit gradient2() {
        return Gradient2Limit.newBuilder()
                .initialLimit(AdaptiveConcurrencyLimit.INITIAL_LIMIT)
                .minLimit(AdaptiveConcurrencyLimit.MIN_LIMIT)
                .maxConcurrency(AdaptiveConcurrencyLimit.MAX_LIMIT)
                .queueSize(AdaptiveConcurrencyLimit.QUEUE_SIZE)
                .smoothing(AdaptiveConcurrencyLimit.SMOOTHING)
                .rttTolerance(AdaptiveConcurrencyLimit.RTT_TOLERANCE)
                .longWindow(AdaptiveConcurrencyLimit.LONG_WINDOW)
                .build();
    }

    private AdaptiveConcurrencyLimit withFakeClock(com.netflix.concurrency.limits.Limit limit, Duration maxWait) {
        return new AdaptiveConcurrencyLimit("step", maxWait, limit, nanos::get);
    }

    private static List<Permit> acquire(AdaptiveConcurrencyLimit limit, int count) {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Permit permit = limit.tryAcquire();
            assertNotNull(permit, "permit " + (i + 1) + " of " + count);
            permits.add(permit);
        }
        return permits;
    }

    /** The step runs at its limit: as many executions as allowed start together and all take {@code rtt}. */
    private void busyRound(AdaptiveConcurrencyLimit limit, Duration rtt) {
        List<Permit> permits = acquire(limit, limit.limit());
        nanos.addAndGet(rtt.toNanos());
        permits.forEach(Permit::succeeded);
    }

    @Test
    void steadyFastLatencyUnderLoadGrowsTheLimit() {
        AdaptiveConcurrencyLimit limit = withFakeClock(gradient2(), Duration.ZERO);
        assertEquals(20, limit.limit());

        int previous = limit.limit();
        for (int round = 0; round < 5; round++) {
            busyRound(limit, Duration.ofMillis(10));
            assertTrue(limit.limit() > previous, "round " + round + ": " + limit.limit() + " > " + previous);
            previous = limit.limit();
        }
        assertEquals(0, limit.inFlight());

        // the grown limit is real capacity: that many run at once, one more is rejected
        List<Permit> held = acquire(limit, limit.limit());
        assertTrue(held.size() > 20);
        assertNull(limit.tryAcquire());
        assertEquals(1, limit.rejected());
    }

    @Test
    void sharplyRisingLatencyShrinksTheLimit() {
        AdaptiveConcurrencyLimit limit = withFakeClock(gradient2(), Duration.ZERO);
        for (int round = 0; round < 3; round++) {
            busyRound(limit, Duration.ofMillis(10));
        }
        int beforeDegradation = limit.limit();
        assertTrue(beforeDegradation > 20);

        busyRound(limit, Duration.ofMillis(200));
        int afterOneSlowRound = limit.limit();
        assertTrue(afterOneSlowRound < beforeDegradation, afterOneSlowRound + " < " + beforeDegradation);

        busyRound(limit, Duration.ofMillis(200));
        assertTrue(limit.limit() < afterOneSlowRound, limit.limit() + " < " + afterOneSlowRound);
    }

    @Test
    void idleSamplesLeaveTheLimitAlone() {
        AdaptiveConcurrencyLimit limit = withFakeClock(gradient2(), Duration.ZERO);
        // one execution at a time is far below half the limit: no evidence about capacity either way
        for (int i = 0; i < 50; i++) {
            Permit permit = limit.tryAcquire();
            nanos.addAndGet(Duration.ofMillis(i % 2 == 0 ? 10 : 500).toNanos());
            permit.succeeded();
        }
        assertEquals(20, limit.limit());
    }

    @Test
    void droppedTimeOutsShrinkGradient2() {
        AdaptiveConcurrencyLimit limit = withFakeClock(gradient2(), Duration.ZERO);
        for (int round = 0; round < 3; round++) {
            busyRound(limit, Duration.ofMillis(10));
        }
        int before = limit.limit();

        List<Permit> permits = acquire(limit, limit.limit());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // they all time out
        permits.forEach(Permit::dropped);

        assertTrue(limit.limit() < before, limit.limit() + " < " + before);
        assertEquals(0, limit.inFlight());
    }

    @Test
    void droppedShrinksALossBasedLimitWhateverTheLatency() {
        AdaptiveConcurrencyLimit limit = withFakeClock(
                AIMDLimit.newBuilder().initialLimit(20).minLimit(1).maxLimit(200).backoffRatio(0.9).build(),
                Duration.ZERO);

        Permit permit = limit.tryAcquire();
        nanos.addAndGet(Duration.ofMillis(1).toNanos()); // fast: only the drop itself says "overload"
        permit.dropped();

        assertEquals(18, limit.limit());
    }

    @Test
    void ignoredFreesTheSlotWithoutMovingTheLimit() {
        AdaptiveConcurrencyLimit limit = withFakeClock(gradient2(), Duration.ZERO);
        for (int round = 0; round < 3; round++) {
            busyRound(limit, Duration.ofMillis(10));
        }
        int before = limit.limit();

        List<Permit> permits = acquire(limit, limit.limit());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // slow, but e.g. a validation failure: says nothing
        permits.forEach(Permit::ignored);

        assertEquals(before, limit.limit());
        assertEquals(0, limit.inFlight());
    }

    @Test
    void atTheLimitWithoutWaitTryAcquireReturnsNullAndCountsIt() {
        AdaptiveConcurrencyLimit limit = new AdaptiveConcurrencyLimit("enrich", Duration.ZERO);
        assertEquals("enrich", limit.stepName());
        assertEquals(AdaptiveConcurrencyLimit.INITIAL_LIMIT, limit.limit());

        List<Permit> held = acquire(limit, limit.limit());
        assertEquals(limit.limit(), limit.inFlight());
        assertEquals(0, limit.rejected());

        assertNull(limit.tryAcquire());
        assertNull(limit.tryAcquire());
        assertEquals(2, limit.rejected());
        assertEquals(AdaptiveConcurrencyLimit.INITIAL_LIMIT, limit.inFlight());

        held.get(0).ignored();
        assertNotNull(limit.tryAcquire());
        assertEquals(2, limit.rejected());
    }

    @Test
    void aWaitingTryAcquireGetsTheSlotWhenOneIsReleased() throws Exception {
        AdaptiveConcurrencyLimit limit = withFakeClock(FixedLimit.of(1), GUARD);
        Permit held = limit.tryAcquire();
        assertNotNull(held);

        CompletableFuture<Permit> acquired = new CompletableFuture<>();
        Thread waiter = new Thread(() -> acquired.complete(limit.tryAcquire()), "waiter");
        waiter.setDaemon(true);
        waiter.start();
        awaitState(waiter, Thread.State.TIMED_WAITING); // parked in the wait for a slot
        assertFalse(acquired.isDone());

        held.succeeded();

        Permit handedOver = acquired.get(GUARD.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(handedOver);
        assertEquals(1, limit.inFlight());
        assertEquals(0, limit.rejected());
        handedOver.succeeded();
        assertEquals(0, limit.inFlight());
    }

    @Test
    void aWaitingTryAcquireGivesUpAfterMaxWait() {
        AdaptiveConcurrencyLimit limit = withFakeClock(FixedLimit.of(1), Duration.ofMillis(20));
        assertNotNull(limit.tryAcquire());

        assertNull(limit.tryAcquire());
        assertEquals(1, limit.rejected());
        assertEquals(1, limit.inFlight());
    }

    @Test
    void anInterruptedWaitReturnsNullAndKeepsTheInterrupt() {
        AdaptiveConcurrencyLimit limit = withFakeClock(FixedLimit.of(1), GUARD);
        assertNotNull(limit.tryAcquire());

        Thread.currentThread().interrupt();
        try {
            assertNull(limit.tryAcquire());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, limit.rejected());
    }

    @Test
    void endingAPermitTwiceReleasesOneSlotAndOneSample() {
        AdaptiveConcurrencyLimit limit = withFakeClock(
                AIMDLimit.newBuilder().initialLimit(20).minLimit(1).maxLimit(200).backoffRatio(0.9).build(),
                Duration.ZERO);
        Permit first = limit.tryAcquire();
        Permit second = limit.tryAcquire();
        assertNotNull(second);

        first.dropped();
        assertEquals(1, limit.inFlight());
        assertEquals(18, limit.limit());

        first.dropped();
        first.succeeded();
        first.ignored();
        assertEquals(1, limit.inFlight(), "no second slot released");
        assertEquals(18, limit.limit(), "no second sample");

        // capacity agrees: 18 slots, one held, so exactly 17 more
        acquire(limit, 17);
        assertNull(limit.tryAcquire());
    }

    @Test
    void rejectsANegativeWait() {
        assertThrows(IllegalArgumentException.class,
                () -> new AdaptiveConcurrencyLimit("step", Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> new AdaptiveConcurrencyLimit(null, Duration.ZERO));
    }

    private static void awaitState(Thread thread, Thread.State state) {
        long guard = System.nanoTime() + GUARD.toNanos();
        while (thread.getState() != state) {
            if (System.nanoTime() - guard > 0) {
                fail(thread.getName() + " never reached " + state + ", is " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }
}
