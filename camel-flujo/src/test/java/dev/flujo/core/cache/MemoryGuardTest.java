package dev.flujo.core.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryGuardTest {

    private static final long THRESHOLD = 1_000;
    private static final long MS = 1_000_000L;

    private final AtomicLong usedHeap = new AtomicLong(500);
    private final AtomicLong clock = new AtomicLong(7 * MS);
    private final AtomicInteger samples = new AtomicInteger();
    private final MemoryGuard guard = new MemoryGuard(THRESHOLD, () -> {
        samples.incrementAndGet();
        return usedHeap.get();
    }, clock::get);

    @Test
    void belowOrAtTheThresholdIsNoPressure() {
        assertFalse(guard.underPressure());

        usedHeap.set(THRESHOLD);
        clock.addAndGet(100 * MS);

        assertFalse(guard.underPressure(), "at the threshold is not above it");
        assertEquals(0, guard.pressureEpisodes());
    }

    @Test
    void pressureIsSeenOnlyOnceTheSamplingIntervalHasPassed() {
        assertFalse(guard.underPressure(), "the first call samples");
        assertEquals(1, samples.get());

        usedHeap.set(THRESHOLD + 1);
        clock.addAndGet(50 * MS);
        assertFalse(guard.underPressure());
        clock.addAndGet(50 * MS - 1);
        for (int i = 0; i < 100; i++) {
            assertFalse(guard.underPressure(), "the last answer is reused within 100 ms");
        }
        assertEquals(1, samples.get(), "no sample within 100 ms");

        clock.addAndGet(1);
        assertTrue(guard.underPressure());
        assertEquals(2, samples.get());
    }

    @Test
    void pressureEndsOnlyOnceTheSamplingIntervalHasPassed() {
        usedHeap.set(THRESHOLD * 2);
        assertTrue(guard.underPressure());

        usedHeap.set(THRESHOLD / 2);
        clock.addAndGet(99 * MS);
        assertTrue(guard.underPressure(), "still the last answer");

        clock.addAndGet(MS);
        assertFalse(guard.underPressure());
        assertFalse(guard.underPressure());
    }

    @Test
    void pressureEpisodesCountTheTransitionsIntoPressure() {
        long[] heap = { 500, 2000, 3000, 2000, 500, 400, 2000, 500, 2000 };
        for (long used : heap) {
            usedHeap.set(used);
            guard.underPressure();
            clock.addAndGet(100 * MS);
        }

        assertEquals(3, guard.pressureEpisodes(), "500 -> 2000, 400 -> 2000 and 500 -> 2000");
    }

    @Test
    void concurrentCallersSampleOnlyOncePerInterval() throws Exception {
        guard.underPressure();
        usedHeap.set(THRESHOLD + 1);
        clock.addAndGet(100 * MS);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                calls.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1000; i++) {
                        guard.underPressure();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> call : calls) {
                call.get(10, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        assertEquals(2, samples.get(), "the first sample and one for the new interval");
        assertTrue(guard.underPressure());
        assertEquals(1, guard.pressureEpisodes());
    }

    @Test
    void forHeapZeroIsNinetyPercentOfTheMaximumHeap() {
        long max = Runtime.getRuntime().maxMemory();

        assertEquals(max * 0.9, MemoryGuard.forHeap(0).thresholdBytes(), max * 1e-9 + 16);
    }

    @Test
    void forHeapTakesMegabytes() {
        assertEquals(512L * 1024 * 1024, MemoryGuard.forHeap(512).thresholdBytes());
        assertThrows(IllegalArgumentException.class, () -> MemoryGuard.forHeap(-1));
    }

    @Test
    void forHeapMeasuresThisJvm() {
        assertFalse(MemoryGuard.forHeap(Runtime.getRuntime().maxMemory() / (1024 * 1024) + 1).underPressure(),
                "the used heap cannot be above the maximum heap");
        assertTrue(MemoryGuard.forHeap(0).thresholdBytes() > 0);
    }
}
