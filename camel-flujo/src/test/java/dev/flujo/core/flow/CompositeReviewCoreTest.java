package dev.flujo.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.core.usage.UsageLimits;

/**
 * Review of the Camel-free composite engine: regression tests for the defects a review proved, and pins for behaviour
 * that is correct and easy to break.
 */
class CompositeReviewCoreTest extends FlowTestSupport {

    private static StepPlan routerStep(TestAgent agent) {
        return agentStep("triage.router", OptimizationConfig.builder().set("maxRetries", 0).build(), agent,
                RouterPlan.branchNames(Set.of("a", "b")));
    }

    /** Runs a composite plan in the branch run, as a branch route holding that composite endpoint does. */
    private FlujoBranch compositeBranch(CompositePlan plan) {
        return call -> plan.execute(core, call.input(), call.context(), call.run(), List.of()).thenApply(r -> {
            call.context().putAll(r.contextUpdates());
            return r.output();
        });
    }

    @Test
    void aRouterInsideABranchCountsTheRoutingCallOnce() {
        RouterPlan router = new RouterPlan(step("triage", "router"),
                routerStep(TestAgent.returning("picker", "a", Usage.tokens(7, 3))),
                branches("a", value("A"), "b", value("B")), null, null, 0, null);
        ParallelPlan outer = parallel(branches("triage", compositeBranch(router), "other", value("O")));

        StepResult result = await(execute(outer, "q"));

        assertEquals(10, run.usage().totalTokens(), "the ledger booked the routing call once");
        assertEquals(10, child(result, "triage").usage().totalTokens(), "branch triage: " + child(result, "triage"));
        assertEquals(10, result.usage().totalTokens());
    }

    @Test
    void aLoopIterationInterruptedByTheCancellationOfItsRunIsReportedCancelled() throws Exception {
        TestAgent slow = TestAgent.hanging("slow");
        LoopPlan loop = new LoopPlan(step("polish", "loop"), agentBranch(agentStep("polishStep", slow)),
                (output, ctx) -> false, 3);
        FlujoRun branchRun = run.branch();

        CompletableFuture<StepResult> done = loop.execute(core, "draft", FlujoContext.empty(), branchRun, List.of());
        slow.nextPending();
        branchRun.cancel(new IllegalStateException("a sibling failed"));

        FlujoStepFailedException e = awaitFailure(done, FlujoStepFailedException.class);
        StepResult iteration = e.getResult().children().get(0);
        assertEquals("iteration-1", iteration.name());
        assertEquals(true, iteration.metadata().get(StepResult.META_CANCELLED), iteration.toString());
    }

    @Test
    void aNestedCompositeCancelledBecauseASiblingBrokeTheBudgetIsReportedCancelled() {
        TestAgent waiter = TestAgent.hanging("waiter");
        TestAgent spender = TestAgent.returning("spender", "spent", Usage.tokens(80, 40));
        ParallelPlan inner = new ParallelPlan(step("inner", "parallel"),
                branches("wait", agentBranch(agentStep("waitStep", waiter)), "quick", value("quick")),
                null, null, 0, null);
        StepPlan spenderStep = agentStep("spendStep", spender);
        // the spender calls its agent once the nested waiter's call is in flight, so the breach must cancel it
        FlujoBranch spend = call -> CompletableFuture.runAsync(() -> {
            try {
                waiter.nextPending();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, pool).thenCompose(x -> agentBranch(spenderStep).run(call));
        ParallelPlan outer = new ParallelPlan(new CompositeStep("outer", "parallel", new UsageLimits(null, 100L), null),
                branches("nested", compositeBranch(inner), "spender", spend), null, null, 0, null);

        UsageLimitExceededException e = awaitFailure(execute(outer, "q"), UsageLimitExceededException.class);

        assertEquals("spendStep", e.getStepName());
        StepResult result = last(e.getPartialHistory());
        StepResult nested = child(result, "nested");
        assertEquals(true, nested.metadata().get(StepResult.META_CANCELLED), nested.toString());
        assertEquals(1, result.feedback().size(), "only the spender failed: " + result.feedback());
    }

    // --- pinned behaviour --------------------------------------------------------------------------------------------

    @Test
    void concurrentBranchesNeverSpendMoreThanTheReservationsAllowAndTheResultsNeverClaimMoreThanTheLedger() {
        // each call reserves 10 tokens and costs 10: a budget of 45 pays for exactly four calls, whatever the timing
        OptimizationConfig config = OptimizationConfig.builder().set("maxRetries", 0).set("expectedTokens", 10).build();
        TestAgent agent = TestAgent.returning("spender", "ok", Usage.tokens(6, 4));
        Map<String, FlujoBranch> eight = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            eight.put("b" + i, agentBranch(agentStep("step" + i, config, agent)));
        }
        ParallelPlan plan = new ParallelPlan(new CompositeStep("par", "parallel", new UsageLimits(null, 45L), null),
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

    @Test
    void maxConcurrencyHoldsWhileBranchesEndOnOtherThreadsAndEveryBranchRunsOnce() throws Exception {
        int branches = 40;
        int cap = 3;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<AtomicInteger> starts = new ArrayList<>();
        Map<String, FlujoBranch> all = new java.util.LinkedHashMap<>();
        for (int i = 0; i < branches; i++) {
            AtomicInteger started = new AtomicInteger();
            starts.add(started);
            int index = i;
            all.put("b" + i, call -> {
                started.incrementAndGet();
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                // ends on another thread, sometimes at once: settle races the next launch
                return CompletableFuture.supplyAsync(() -> {
                    inFlight.decrementAndGet();
                    return index;
                }, pool);
            });
        }
        ParallelPlan plan = new ParallelPlan(step("par", "parallel"), all, null, null, cap, null);

        StepResult result = await(execute(plan, "q"));

        assertTrue(maxInFlight.get() <= cap, "in flight at once: " + maxInFlight.get());
        starts.forEach(s -> assertEquals(1, s.get()));
        assertEquals(branches, ((Map<?, ?>) result.output()).size());
        assertEquals(List.copyOf(all.keySet()), List.copyOf(((Map<?, ?>) result.output()).keySet()));
    }

    @Test
    void aFailureWithACapCancelsTheQueuedBranchesWhichNeverStart() throws Exception {
        AtomicInteger started = new AtomicInteger();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch slowCancelled = new CountDownLatch(1);
        CompletableFuture<Object> blocker = new CompletableFuture<>();
        Map<String, FlujoBranch> all = new java.util.LinkedHashMap<>();
        all.put("slow", call -> {
            started.incrementAndGet();
            call.run().onCancel(reason -> slowCancelled.countDown());
            firstRunning.countDown();
            return blocker; // ignores its cancellation, so the step has to wait for it
        });
        all.put("broken", call -> {
            started.incrementAndGet();
            // fails once the slow sibling is running, so the failure has a running sibling and queued ones
            return CompletableFuture.supplyAsync(() -> {
                try {
                    firstRunning.await(SAFETY_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("broken");
            }, pool);
        });
        for (int i = 0; i < 5; i++) {
            all.put("queued" + i, call -> {
                started.incrementAndGet();
                return CompletableFuture.completedFuture("x");
            });
        }
        ParallelPlan plan = new ParallelPlan(step("par", "parallel"), all, null, BranchFailurePolicy.PROPAGATE, 2,
                null);

        CompletableFuture<StepResult> done = execute(plan, "q");
        assertTrue(slowCancelled.await(SAFETY_SECONDS, TimeUnit.SECONDS), "the failure cancels the running sibling");
        // the step waits for the slow branch, cancelled or not: none outlives it
        assertFalse(done.isDone());
        blocker.complete("late");

        FlujoStepFailedException e = awaitFailure(done, FlujoStepFailedException.class);
        assertEquals(2, started.get(), "queued branches never start after a failure");
        for (int i = 0; i < 5; i++) {
            assertEquals(true, child(e.getResult(), "queued" + i).metadata().get(StepResult.META_CANCELLED));
        }
        assertEquals(List.of("branch broken failed: IllegalStateException: broken"), e.getResult().feedback());
    }
}
