package dev.flujo.core.telemetry;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** enableOptimizedTelemetry: results reach the delegate in batches, each exactly once, whatever the interleaving. */
class BatchingObserverTest {

    private static StepResult result(Object output) {
        return new StepResult("s", output, true, 1, 1_000_000L, Usage.ZERO, List.of(), Map.of(), Map.of(), List.of());
    }

    @Test
    void aFullBatchIsHandedOverInOrderOnTheThreadThatFilledIt() {
        List<StepResult> seen = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        BatchingObserver batching = new BatchingObserver(r -> {
            seen.add(r);
            threads.add(Thread.currentThread());
        }, 3);
        StepResult a = result("a");
        StepResult b = result("b");
        StepResult c = result("c");

        batching.stepEnded(a);
        batching.stepEnded(b);
        assertEquals(List.of(), seen, "a batch is not full after 2 of 3");
        assertEquals(2, batching.pending());
        assertEquals(0, batching.flushes());

        batching.stepEnded(c);
        assertEquals(List.of(a, b, c), seen);
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread(), Thread.currentThread()), threads);
        assertEquals(0, batching.pending());
        assertEquals(1, batching.flushes());
    }

    @Test
    void flushHandsOverTheRemainderAndNothingWhenEmpty() {
        List<StepResult> seen = new ArrayList<>();
        BatchingObserver batching = new BatchingObserver(seen::add, 3);
        List<StepResult> results = List.of(result(1), result(2), result(3), result(4), result(5));

        results.forEach(batching::stepEnded);
        assertEquals(results.subList(0, 3), seen);
        assertEquals(2, batching.pending());

        batching.flush();
        assertEquals(results, seen);
        assertEquals(0, batching.pending());
        assertEquals(2, batching.flushes());

        batching.flush();
        assertEquals(results, seen, "nothing told twice");
        assertEquals(2, batching.flushes(), "an empty flush hands nothing over");
    }

    @Test
    void concurrentProducersAndFlushesTellEveryResultExactlyOnce() throws Exception {
        int producers = 4;
        int perProducer = 10_000;
        ConcurrentLinkedQueue<StepResult> seen = new ConcurrentLinkedQueue<>();
        BatchingObserver batching = new BatchingObserver(seen::add, 7);
        List<StepResult> produced = new ArrayList<>();
        for (int i = 0; i < producers * perProducer; i++) {
            produced.add(result(i));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(producers + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                List<StepResult> mine = produced.subList(p * perProducer, (p + 1) * perProducer);
                work.add(pool.submit(() -> {
                    start.await();
                    mine.forEach(batching::stepEnded);
                    return null;
                }));
            }
            Future<?> flusher = pool.submit(() -> {
                start.await();
                while (producing.get()) {
                    batching.flush();
                }
                return null;
            });
            start.countDown();
            for (Future<?> f : work) {
                f.get(30, TimeUnit.SECONDS);
            }
            producing.set(false);
            flusher.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        batching.flush();

        Map<StepResult, Integer> told = new IdentityHashMap<>();
        seen.forEach(r -> told.merge(r, 1, Integer::sum));
        assertEquals(produced.size(), seen.size(), "every result told, none twice");
        for (StepResult r : produced) {
            assertEquals(1, told.getOrDefault(r, 0), () -> "result " + r.output());
        }
        assertEquals(0, batching.pending());
    }

    @Test
    void aThrowingDelegateLosesNeitherTheRestOfTheBatchNorLaterBatches() {
        List<Object> seen = new ArrayList<>();
        BatchingObserver batching = new BatchingObserver(r -> {
            if ("boom".equals(r.output())) {
                throw new IllegalStateException("meter registry closed");
            }
            seen.add(r.output());
        }, 2);

        assertDoesNotThrow(() -> {
            batching.stepEnded(result("boom"));
            batching.stepEnded(result("a"));
        });
        assertEquals(List.of("a"), seen, "the rest of the batch");

        batching.stepEnded(result("b"));
        batching.stepEnded(result("boom"));
        batching.stepEnded(result("c"));
        batching.flush();
        assertEquals(List.of("a", "b", "c"), seen, "later batches and flushes");
        assertEquals(3, batching.flushes());
        assertEquals(0, batching.pending());
    }
}
