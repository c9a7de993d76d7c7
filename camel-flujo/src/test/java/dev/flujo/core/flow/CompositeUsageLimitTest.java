package dev.flujo.core.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A usage-limit breach in one branch stops the whole composite step, whatever the failure policy. */
class CompositeUsageLimitTest extends FlowTestSupport {

    /** A branch that runs {@code spender} once {@code waiter}'s call is in flight. */
    private FlujoBranch onceInFlight(TestAgent waiter, StepPlan spender) {
        return call -> CompletableFuture.runAsync(() -> {
            try {
                waiter.nextPending();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, pool).thenCompose(x -> agentBranch(spender).run(call));
    }

    @ParameterizedTest
    @EnumSource(BranchFailurePolicy.class)
    void aBreachInOneBranchCancelsTheOthersAndKeepsEveryBranchInThePartialHistory(BranchFailurePolicy policy) {
        TestAgent waiter = TestAgent.hanging("waiter");
        TestAgent spender = TestAgent.returning("spender", "spent", Usage.tokens(80, 40));
        StepPlan waiterStep = agentStep("waiter-step", OptimizationConfig.builder().set("maxRetries", 2).build(), waiter);
        StepPlan spenderStep = agentStep("spender-step", spender);
        // the spender calls its agent only once the waiter's call is in flight, so that the breach must cancel it
        FlujoBranch spend = onceInFlight(waiter, spenderStep);
        ParallelPlan plan = new ParallelPlan(
                new CompositeStep("par", "parallel", new UsageLimits(null, 100L), null),
                branches("waiter", agentBranch(waiterStep), "spender", spend), null, policy, 0, null);

        UsageLimitExceededException e = awaitFailure(execute(plan, "in"), UsageLimitExceededException.class);

        assertEquals("spender-step", e.getStepName());
        assertEquals(120, e.getTotals().totalTokens());
        assertEquals(100L, e.getLimits().tokenLimit());
        assertEquals(1, waiter.calls(), "the waiting sibling is not retried after the breach");
        StepResult par = last(e.getPartialHistory());
        assertEquals("par", par.name());
        assertFalse(par.success());
        assertNotNull(par.metadata().get(StepResult.META_LIMIT_EXCEEDED));
        assertEquals(List.of("waiter", "spender"), names(par.children()), "every branch is a child");
        assertEquals(true, child(par, "waiter").metadata().get(StepResult.META_CANCELLED));
        assertEquals("spender-step", child(par, "spender").children().get(0).name());
        assertEquals(120, par.usage().totalTokens());
    }

    @Test
    void theStepPlansOwnLimitInsideABranchStopsTheParallelStepToo() {
        TestAgent spender = TestAgent.returning("spender", "spent", Usage.tokens(10, 10));
        StepPlan limited = agentStep("limited", OptimizationConfig.builder().set("maxRetries", 0).set("tokenLimit", 5L).build(),
                spender);
        ParallelPlan plan = parallel(branches("ok", value("fine"), "limited", agentBranch(limited)), null,
                BranchFailurePolicy.IGNORE);

        UsageLimitExceededException e = awaitFailure(execute(plan, "in"), UsageLimitExceededException.class);

        assertEquals("limited", e.getStepName());
        assertEquals(List.of("par"), names(e.getPartialHistory()));
        // "ok" may or may not have finished before the breach cancelled it; "limited" is listed either way
        assertTrue(((List<?>) last(e.getPartialHistory()).metadata().get(StepResult.META_FAILED_BRANCHES))
                .contains("limited"));
    }

    @Test
    void theCompositeStepsLimitsNarrowTheRunsBudgetForLaterSteps() {
        ParallelPlan plan = new ParallelPlan(
                new CompositeStep("par", "parallel", new UsageLimits(null, 7L), null),
                branches("a", value(1)), null, null, 0, null);

        await(execute(plan, "in"));

        assertEquals(7L, run.limits().tokenLimit());
    }

    // from the review of the composite kinds
    @Test
    void aNestedCompositeCancelledBecauseASiblingBrokeTheBudgetIsReportedCancelled() {
        TestAgent waiter = TestAgent.hanging("waiter");
        TestAgent spender = TestAgent.returning("spender", "spent", Usage.tokens(80, 40));
        ParallelPlan inner = new ParallelPlan(
                step("inner", "parallel"),
                branches("wait", agentBranch(agentStep("waitStep", waiter)), "quick", value("quick")),
                null, null, 0, null);
        StepPlan spenderStep = agentStep("spendStep", spender);
        // the spender calls its agent once the nested waiter's call is in flight, so the breach must cancel it
        FlujoBranch spend = onceInFlight(waiter, spenderStep);
        ParallelPlan outer = new ParallelPlan(
                new CompositeStep("outer", "parallel", new UsageLimits(null, 100L), null),
                branches("nested", compositeBranch(inner), "spender", spend), null, null, 0, null);

        UsageLimitExceededException e = awaitFailure(execute(outer, "q"), UsageLimitExceededException.class);

        assertEquals("spendStep", e.getStepName());
        StepResult result = last(e.getPartialHistory());
        StepResult nested = child(result, "nested");
        assertEquals(true, nested.metadata().get(StepResult.META_CANCELLED), nested.toString());
        assertEquals(1, result.feedback().size(), "only the spender failed: " + result.feedback());
    }

    // from the review of the composite kinds
    @Test
    void concurrentBranchesNeverSpendMoreThanTheReservationsAllowAndTheResultsNeverClaimMoreThanTheLedger() {
        // each call reserves 10 tokens and costs 10: a budget of 45 pays for exactly four calls, whatever the timing
        OptimizationConfig config = OptimizationConfig.builder().set("maxRetries", 0).set("expectedTokens", 10).build();
        TestAgent agent = TestAgent.returning("spender", "ok", Usage.tokens(6, 4));
        Map<String, FlujoBranch> eight = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            eight.put("b" + i, agentBranch(agentStep("step" + i, config, agent)));
        }
        ParallelPlan plan = new ParallelPlan(
                new CompositeStep("par", "parallel", new UsageLimits(null, 45L), null),
                eight, null, BranchFailurePolicy.IGNORE, 0, null);

        UsageLimitExceededException e = awaitFailure(execute(plan, "q"), UsageLimitExceededException.class);

        assertTrue(agent.calls() <= 4, "calls: " + agent.calls());
        assertEquals(agent.calls() * 10L, run.usage().totalTokens());
        StepResult par = last(e.getPartialHistory());
        // a call abandoned by the cancellation after it was made books its usage to the run (it was spent) but not to
        // its step's result, which already ended as cancelled: the results never claim more than the ledger holds
        assertTrue(par.usage().totalTokens() <= run.usage().totalTokens(), "step " + par.usage() + ", ledger "
                                                                           + run.usage());
        assertTrue(run.usage().totalTokens() - par.usage().totalTokens() <= 10L * (8 - 4), "at most the abandoned calls");
        assertEquals(8, par.children().size());
    }
}
