package dev.flujo.core.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlujoRunTest {

    private static StepResult result(String name, Object output) {
        return new StepResult(name, output, true, 1, 0, Usage.ZERO, null, null, null, null);
    }

    @Test
    void runIdsAreUniqueAndKept() {
        assertNotEquals(FlujoRun.create().runId(), FlujoRun.create().runId());
        assertEquals("run-1", new FlujoRun("run-1").runId());
        assertTrue(new FlujoRun("run-1").toString().contains("run-1"));
    }

    @Test
    void historyIsAnOrderedSnapshot() {
        FlujoRun run = FlujoRun.create();
        StepResult a = result("a", 1);
        run.record(a);
        List<StepResult> snapshot = run.history();
        StepResult b = result("b", 2);
        run.record(b);

        assertEquals(List.of(a), snapshot);
        assertEquals(List.of(a, b), run.history());
        assertThrows(UnsupportedOperationException.class, () -> run.history().add(a));
    }

    @Test
    void lastResultFindsTheNewestResultOfAStep() {
        FlujoRun run = FlujoRun.create();
        StepResult first = result("a", 1);
        StepResult other = result("b", 2);
        StepResult second = result("a", 3);
        run.record(first);
        run.record(other);
        run.record(second);

        assertSame(second, run.lastResult("a"));
        assertSame(other, run.lastResult("b"));
        assertNull(run.lastResult("c"));
    }

    @Test
    void usageAndLimitsComeFromTheLedger() {
        FlujoRun run = FlujoRun.create();
        run.ledger().reconcile(0, java.math.BigDecimal.ZERO, Usage.of(1, 2, java.math.BigDecimal.TEN));
        assertEquals(run.ledger().totals(), run.usage());
        assertEquals(3, run.usage().totalTokens());
        assertSame(run.ledger().limits(), run.limits());
    }

    @Test
    void concurrentRecordsAreAllKept() throws Exception {
        FlujoRun run = FlujoRun.create();
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "branch" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        run.record(result(name, i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, run.history().size());
            for (int t = 0; t < threads; t++) {
                assertEquals(perThread - 1, run.lastResult("branch" + t).output());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
