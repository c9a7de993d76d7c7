package dev.flujo.core.run;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Branch runs: what they share with their run, what they keep apart, and how cancellation flows down. */
class FlujoRunBranchTest {

    private static StepResult result(String name) {
        return new StepResult(name, name, true, 1, 0, Usage.ZERO, null, null, null, null);
    }

    @Test
    void aBranchSharesIdLedgerAndHumanHistoryButKeepsItsOwnStepHistory() {
        FlujoRun run = FlujoRun.create();
        FlujoRun branch = run.branch();

        branch.record(result("inside"));
        branch.ledger().reconcile(0, BigDecimal.ZERO, Usage.tokens(2, 3));
        branch.recordHumanInteraction(new HumanInteraction("ask", "?", "yes", null));

        assertTrue(branch.isBranch());
        assertFalse(run.isBranch());
        assertEquals(run.runId(), branch.runId());
        assertSame(run.ledger(), branch.ledger());
        assertEquals(5, run.usage().totalTokens());
        assertEquals(1, run.humanHistory().size());
        assertEquals(List.of(), run.history());
        assertEquals(List.of("inside"), branch.history().stream().map(StepResult::name).toList());
    }

    @Test
    void cancellingARunCancelsItsBranchesAndTheirBranches() {
        FlujoRun run = FlujoRun.create();
        FlujoRun branch = run.branch();
        FlujoRun nested = branch.branch();
        IllegalStateException why = new IllegalStateException("stop");

        run.cancel(why);

        assertSame(why, run.cancellation());
        assertSame(why, branch.cancellation());
        assertSame(why, nested.cancellation());
    }

    @Test
    void aBranchCreatedAfterItsRunWasCancelledIsCancelledAtOnce() {
        FlujoRun run = FlujoRun.create();
        IllegalStateException why = new IllegalStateException("stop");
        run.cancel(why);

        assertSame(why, run.branch().cancellation());
    }

    @Test
    void cancellingABranchLeavesItsRunAndSiblingsAlone() {
        FlujoRun run = FlujoRun.create();
        FlujoRun failed = run.branch();
        FlujoRun sibling = run.branch();

        failed.cancel(new IllegalStateException("stop"));

        assertNull(run.cancellation());
        assertNull(sibling.cancellation());
    }

    @Test
    void aDetachedBranchIsNotCancelledWithItsRun() {
        FlujoRun run = FlujoRun.create();
        FlujoRun detached = run.branch();
        FlujoRun attached = run.branch();
        detached.detach();

        run.cancel(new IllegalStateException("stop"));

        assertNull(detached.cancellation());
        assertNotNull(attached.cancellation());
        run.detach(); // a no-op on a top-level run
    }

    @Test
    void onlyBranchRunsTakeCancellationListeners() {
        FlujoRun run = FlujoRun.create();
        FlujoRun branch = run.branch();
        AtomicInteger notified = new AtomicInteger();

        assertNull(run.onCancel(r -> notified.incrementAndGet()), "a top-level run keeps the fast path");
        assertNotNull(branch.onCancel(r -> notified.incrementAndGet()));
        run.cancel(new IllegalStateException("stop"));

        assertEquals(1, notified.get());
    }

    @Test
    void aRestoredRunContinuesWithItsHistoryUsageLimitsAndInteractions() {
        HumanInteraction asked = new HumanInteraction("ask", "?", "yes", null);
        UsageLimits limits = new UsageLimits(new BigDecimal("1"), 100L);

        FlujoRun run = FlujoRun.restore("run-7", List.of(result("a")), Usage.tokens(4, 6), limits, List.of(asked));
        run.record(result("b"));

        assertEquals("run-7", run.runId());
        assertEquals(List.of("a", "b"), run.history().stream().map(StepResult::name).toList());
        assertEquals(10, run.usage().totalTokens());
        assertEquals(limits, run.limits());
        assertEquals(List.of(asked), run.humanHistory());
        assertFalse(run.isBranch());
    }
}
