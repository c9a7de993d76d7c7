package dev.flujo.core.usage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageLedgerTest {

    private static BigDecimal usd(String v) {
        return new BigDecimal(v);
    }

    @Test
    void withoutLimitsEverythingIsAllowed() {
        UsageLedger ledger = new UsageLedger();
        assertNull(ledger.reserve(Long.MAX_VALUE / 2, usd("1000000")));
        assertNull(ledger.reconcile(Long.MAX_VALUE / 2, usd("1000000"), Usage.of(5, 5, usd("1"))));
        assertEquals(Usage.of(5, 5, usd("1")), ledger.totals());
        assertTrue(ledger.limits().isNone());
    }

    @Test
    void applyLimitsOnlyNarrows() {
        UsageLedger ledger = new UsageLedger();
        ledger.applyLimits(new UsageLimits(usd("1"), 100L));
        ledger.applyLimits(new UsageLimits(usd("2"), 50L));
        ledger.applyLimits(UsageLimits.NONE);
        assertEquals(new UsageLimits(usd("1"), 50L), ledger.limits());
    }

    @Test
    void reserveRefusesWhatCommittedPlusReservedPlusThisWouldExceed() {
        UsageLedger ledger = new UsageLedger();
        ledger.applyLimits(new UsageLimits(null, 100L));

        assertNull(ledger.reserve(40, BigDecimal.ZERO));
        assertNull(ledger.reserve(60, BigDecimal.ZERO)); // exactly at the limit is allowed
        LimitBreach refused = ledger.reserve(1, BigDecimal.ZERO);

        assertNotNull(refused);
        assertTrue(refused.refused());
        assertEquals("tokens", refused.kind());
        assertEquals(0, BigDecimal.valueOf(101).compareTo(refused.attempted()));
        // a refused reservation reserves nothing: releasing one of the others makes room again
        assertNull(ledger.reconcile(40, BigDecimal.ZERO, Usage.ZERO));
        assertNull(ledger.reserve(40, BigDecimal.ZERO));
    }

    @Test
    void reserveChecksTheCostBudget() {
        UsageLedger ledger = new UsageLedger();
        ledger.applyLimits(new UsageLimits(usd("1.00"), null));
        assertNull(ledger.reserve(0, usd("0.60")));
        LimitBreach refused = ledger.reserve(0, usd("0.41"));
        assertNotNull(refused);
        assertEquals("cost", refused.kind());
        assertEquals(0, usd("1.01").compareTo(refused.attempted()));
    }

    @Test
    void reconcileReportsActualUsageOverTheLimit() {
        UsageLedger ledger = new UsageLedger();
        ledger.applyLimits(new UsageLimits(usd("0.25"), 1000L));

        assertNull(ledger.reserve(10, usd("0.01")));
        assertNull(ledger.reconcile(10, usd("0.01"), Usage.of(100, 100, usd("0.25"))));
        assertNull(ledger.reserve(0, BigDecimal.ZERO));
        LimitBreach over = ledger.reconcile(0, BigDecimal.ZERO, Usage.of(1, 1, usd("0.01")));

        assertNotNull(over);
        assertFalse(over.refused());
        assertEquals("cost", over.kind());
        assertEquals(0, usd("0.26").compareTo(over.attempted()));
        // once over, even a zero reservation is refused
        assertNotNull(ledger.reserve(0, BigDecimal.ZERO));
    }

    @Test
    void concurrentReserveAndReconcileAddUpExactly() throws Exception {
        int threads = 16;
        int callsPerThread = 1000;
        UsageLedger ledger = new UsageLedger();
        long tokenLimit = 1_000_000L;
        ledger.applyLimits(new UsageLimits(usd("1000"), tokenLimit));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger refusals = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        if (ledger.reserve(10, usd("0.01")) != null) {
                            refusals.incrementAndGet();
                            continue;
                        }
                        ledger.reconcile(10, usd("0.01"), Usage.of(2, 3, usd("0.01")));
                    }
                    return null;
                }));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }

            int calls = threads * callsPerThread;
            assertEquals(0, refusals.get());
            assertEquals(2L * calls, ledger.totals().inputTokens());
            assertEquals(3L * calls, ledger.totals().outputTokens());
            assertEquals(0, usd("160").compareTo(ledger.totals().costUsd()), ledger.totals().costUsd().toPlainString());
            // all reservations were released exactly: the rest of the budget can be reserved, and not one more
            long left = tokenLimit - ledger.totals().totalTokens();
            assertNull(ledger.reserve(left, BigDecimal.ZERO));
            assertNotNull(ledger.reserve(1, BigDecimal.ZERO));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentReservationsNeverOvershootTheBudget() throws Exception {
        int threads = 32;
        UsageLedger ledger = new UsageLedger();
        ledger.applyLimits(new UsageLimits(null, 100L));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> granted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                granted.add(pool.submit(() -> {
                    start.await();
                    return ledger.reserve(10, BigDecimal.ZERO) == null;
                }));
            }
            start.countDown();
            int grantedCount = 0;
            for (Future<Boolean> f : granted) {
                if (f.get(10, TimeUnit.SECONDS)) {
                    grantedCount++;
                }
            }
            assertEquals(10, grantedCount);
        } finally {
            pool.shutdownNow();
        }
    }
}
