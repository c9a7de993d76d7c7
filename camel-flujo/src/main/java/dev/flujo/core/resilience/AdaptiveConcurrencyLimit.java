package dev.flujo.core.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;

/**
 * The adaptive concurrency limit of one step ({@code enableConcurrencyOptimization}): how many executions of the step
 * may run at once. A bulkhead is a fixed cap someone has to guess; this limit finds its own value and keeps finding it.
 * It grows while the step's latency holds and shrinks when latency degrades, which is the sign that the step (or what
 * it calls) is queueing work rather than doing more of it.
 *
 * <p>
 * The algorithm is Netflix concurrency-limits' {@link Gradient2Limit}: for each completed execution it compares the
 * short-term RTT (that execution's latency) with the long-term RTT (an exponential average of past latencies). While
 * the short-term RTT stays within a tolerance of the long-term one the limit grows by a small queue allowance; when it
 * rises above, the limit is scaled down by {@code longRtt / shortRtt} (at most halved per sample, smoothed). It only
 * moves when the step is busy: a sample taken while fewer than half the limit were in flight says nothing about
 * capacity and leaves the limit where it is.
 *
 * <p>
 * What is measured: the time from the moment a {@link Permit} is granted (after any wait for a slot, so queueing in
 * {@link #tryAcquire()} is not counted) to the moment it ends with {@link Permit#succeeded()} or
 * {@link Permit#dropped()}, on the limiter's nano clock, together with the number in flight when it was granted.
 * {@link Permit#ignored()} frees the slot without a sample.
 *
 * <p>
 * Thread-safe. Waiting for a slot blocks the calling thread for up to {@code maxWait}, on the system's monotonic clock
 * (not the injected RTT clock), like a Resilience4j bulkhead's {@code maxWaitDuration}.
 */
public final class AdaptiveConcurrencyLimit {

    /** The limit a step starts with before any sample: the library's default, a modest parallelism. */
    public static final int INITIAL_LIMIT = 20;
    /** The floor: a badly degraded step still runs one execution at a time, it is never shut off. */
    public static final int MIN_LIMIT = 1;
    /** The ceiling: a failsafe against an estimate running away while latency looks flat. */
    public static final int MAX_LIMIT = 1000;
    /** How much the limit may grow per busy sample while latency holds (before smoothing); the library's default. */
    public static final int QUEUE_SIZE = 4;
    /** How much of each new estimate is taken (0..1); the library's default, so a single outlier moves little. */
    public static final double SMOOTHING = 0.2;
    /** A short-term RTT up to this multiple of the long-term RTT counts as "latency holds"; the library's default. */
    public static final double RTT_TOLERANCE = 1.5;
    /** Samples averaged (exponentially) into the long-term RTT; the library's default, a stable baseline. */
    public static final int LONG_WINDOW = 600;

    /** An upper bound for the wait, so that a deadline on {@link System#nanoTime()} cannot overflow. */
    private static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

    private final String stepName;
    private final SimpleLimiter<Void> limiter;
    private volatile long maxWaitNanos;
    private final LongAdder rejected = new LongAdder();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * A {@link Gradient2Limit} with {@link #INITIAL_LIMIT}, {@link #MIN_LIMIT}, {@link #MAX_LIMIT},
     * {@link #QUEUE_SIZE}, {@link #SMOOTHING}, {@link #RTT_TOLERANCE} and {@link #LONG_WINDOW}, measuring on
     * {@link System#nanoTime()}.
     *
     * @param maxWait how long {@link #tryAcquire()} waits for a slot; {@link Duration#ZERO} never waits
     */
    public AdaptiveConcurrencyLimit(String stepName, Duration maxWait) {
        this(stepName, maxWait, gradient2(), System::nanoTime);
    }

    /**
     * For tests: a given limit algorithm and an injected nano clock.
     *
     * @param limit     the algorithm; a fresh instance, as the limiter subscribes to its changes
     * @param nanoClock the limiter's RTT clock, in nanoseconds
     */
    public AdaptiveConcurrencyLimit(String stepName, Duration maxWait, Limit limit, LongSupplier nanoClock) {
        this.stepName = Objects.requireNonNull(stepName, "stepName");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        }
        this.maxWaitNanos = toNanosCapped(maxWait);
        this.limiter = SimpleLimiter.newBuilder()
                .named(stepName)
                .limit(Objects.requireNonNull(limit, "limit"))
                .nanoClock(Objects.requireNonNull(nanoClock, "nanoClock"))
                .build();
    }

    private static Gradient2Limit gradient2() {
        return Gradient2Limit.newBuilder()
                .initialLimit(INITIAL_LIMIT)
                .minLimit(MIN_LIMIT)
                .maxConcurrency(MAX_LIMIT)
                .queueSize(QUEUE_SIZE)
                .smoothing(SMOOTHING)
                .rttTolerance(RTT_TOLERANCE)
                .longWindow(LONG_WINDOW)
                .build();
    }

    /** Changes how long {@link #tryAcquire()} waits for a slot (a runtime change of the step's options). */
    public void maxWait(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        }
        this.maxWaitNanos = toNanosCapped(maxWait);
    }

    private static long toNanosCapped(Duration maxWait) {
        if (maxWait.compareTo(Duration.ofNanos(MAX_WAIT_NANOS)) >= 0) {
            return MAX_WAIT_NANOS;
        }
        return maxWait.toNanos();
    }

    /**
     * A slot for one execution, or {@code null} when the step is at its limit and no slot freed up within
     * {@code maxWait} (counted in {@link #rejected()}). Waiting blocks the calling thread; an interrupt ends the wait
     * with {@code null} and leaves the thread's interrupt flag set.
     */
    public Permit tryAcquire() {
        Optional<Limiter.Listener> slot = limiter.acquire(null);
        if (slot.isEmpty() && maxWaitNanos > 0) {
            slot = awaitSlot();
        }
        if (slot.isEmpty()) {
            rejected.increment();
            return null;
        }
        return new Slot(slot.get());
    }

    /**
     * Waits for a freed slot. Not {@code BlockingLimiter}: in 0.5.4 it serialises every acquisition on one monitor,
     * rounds its wait down to whole milliseconds of wall-clock time (so a zero or sub-millisecond wait rejects without
     * trying); here the free path takes no lock and the wait is on the monotonic clock.
     */
    private Optional<Limiter.Listener> awaitSlot() {
        long deadline = System.nanoTime() + maxWaitNanos;
        // announced before the attempt under the lock, so that a slot freed after that attempt signals this thread
        waiting.incrementAndGet();
        lock.lock();
        try {
            while (true) {
                Optional<Limiter.Listener> slot = limiter.acquire(null);
                if (slot.isPresent()) {
                    return slot;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                slotFreed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    /** Wakes the threads waiting for a slot, if any (all of them: a sample may also have raised the limit). */
    private void signalSlotFreed() {
        if (waiting.get() > 0) {
            lock.lock();
            try {
                slotFreed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The current limit. */
    public int limit() {
        return limiter.getLimit();
    }

    /** Permits held now. */
    public int inFlight() {
        return limiter.getInflight();
    }

    /** How many {@link #tryAcquire()} calls returned {@code null}. */
    public long rejected() {
        return rejected.sum();
    }

    public String stepName() {
        return stepName;
    }

    @Override
    public String toString() {
        return "AdaptiveConcurrencyLimit[step=" + stepName + ", limit=" + limit() + ", inFlight=" + inFlight()
               + ", rejected=" + rejected() + "]";
    }

    /**
     * One execution's slot. Exactly one of the three methods ends it; any later call, of any of them, is ignored, so a
     * caller may end it from a {@code whenComplete} as well as on an earlier path without counting twice.
     */
    public interface Permit {

        /** A normal completion: its latency is a sample that moves the limit. */
        void succeeded();

        /**
         * A time-out or an overload. Reported to the algorithm as a dropped sample with its latency. Note that
         * {@link Gradient2Limit} (0.5.4) judges a drop by its latency alone: a time-out, being slow, shrinks the limit;
         * a drop that came back fast does not. Loss-based algorithms (AIMD, Vegas) shrink on the drop itself.
         */
        void dropped();

        /** Ended without saying anything about capacity (a validation failure, a cache hit): frees the slot only. */
        void ignored();
    }

    private final class Slot implements Permit {

        private final Limiter.Listener listener;
        private final AtomicBoolean ended = new AtomicBoolean();

        Slot(Limiter.Listener listener) {
            this.listener = listener;
        }

        @Override
        public void succeeded() {
            if (ended.compareAndSet(false, true)) {
                try {
                    listener.onSuccess();
                } finally {
                    signalSlotFreed();
                }
            }
        }

        @Override
        public void dropped() {
            if (ended.compareAndSet(false, true)) {
                try {
                    listener.onDropped();
                } finally {
                    signalSlotFreed();
                }
            }
        }

        @Override
        public void ignored() {
            if (ended.compareAndSet(false, true)) {
                try {
                    listener.onIgnore();
                } finally {
                    signalSlotFreed();
                }
            }
        }
    }
}
