package dev.flujo.core.cache;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Tells whether memory is under pressure ({@code enableMemoryOptimization}): the used heap above a threshold.
 *
 * <p>
 * It is asked on the hot path (every cache write), so the used heap is sampled at most once every 100 ms and the last
 * answer is reused in between: a call then costs a clock read and two atomic reads. Heap use does not change
 * meaningfully faster than that. Lock-free: of the threads that find the sample stale, one wins a compare-and-set and
 * samples; the others keep the previous answer.
 */
public final class MemoryGuard {

    private static final long SAMPLE_EVERY_NANOS = 100_000_000L;

    private final long thresholdBytes;
    private final LongSupplier usedHeapBytes;
    private final LongSupplier nanoClock;
    private final AtomicLong lastSample;
    private final AtomicBoolean underPressure = new AtomicBoolean();
    private final LongAdder pressureEpisodes = new LongAdder();

    /**
     * @param thresholdBytes used heap above which memory is under pressure
     * @param usedHeapBytes  the used heap now
     * @param nanoClock      a monotonic clock in nanoseconds ({@link System#nanoTime()})
     */
    public MemoryGuard(long thresholdBytes, LongSupplier usedHeapBytes, LongSupplier nanoClock) {
        this.thresholdBytes = thresholdBytes;
        this.usedHeapBytes = usedHeapBytes;
        this.nanoClock = nanoClock;
        // the first call samples
        this.lastSample = new AtomicLong(nanoClock.getAsLong() - SAMPLE_EVERY_NANOS);
    }

    /**
     * A guard of this JVM's heap: used = total - free, which counts garbage not yet collected too, so it errs on the
     * side of pressure.
     *
     * @param thresholdMb used heap in MB above which memory is under pressure; 0 = 90% of the maximum heap
     */
    public static MemoryGuard forHeap(long thresholdMb) {
        if (thresholdMb < 0) {
            throw new IllegalArgumentException(
                    "thresholdMb must not be negative (0 = 90% of the maximum heap), was "
                                               + thresholdMb);
        }
        Runtime runtime = Runtime.getRuntime();
        long threshold = thresholdMb == 0 ? runtime.maxMemory() / 10 * 9 : thresholdMb * 1024 * 1024;
        return new MemoryGuard(threshold, () -> runtime.totalMemory() - runtime.freeMemory(), System::nanoTime);
    }

    /** @return whether the used heap was above the threshold at the last sample (taken at most 100 ms ago) */
    public boolean underPressure() {
        long now = nanoClock.getAsLong();
        long last = lastSample.get();
        if (now - last >= SAMPLE_EVERY_NANOS && lastSample.compareAndSet(last, now)) {
            boolean pressure = usedHeapBytes.getAsLong() > thresholdBytes;
            boolean before = underPressure.getAndSet(pressure);
            if (pressure && !before) {
                pressureEpisodes.increment();
            }
            return pressure;
        }
        return underPressure.get();
    }

    public long thresholdBytes() {
        return thresholdBytes;
    }

    /** How many times the answer went from no pressure to pressure. */
    public long pressureEpisodes() {
        return pressureEpisodes.sum();
    }
}
