package dev.flujo.core.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BranchFailurePolicyTest extends FlowTestSupport {

    @Test
    void propagateFailsNamingTheFailedBranchAndCancelsTheOthers() throws Exception {
        CompletableFuture<Object> never = new CompletableFuture<>();
        CountDownLatch othersStarted = new CountDownLatch(2);
        // a plain branch that waits for its run to be cancelled: it ends only if the failure cancels it
        FlujoBranch slow = call -> {
            call.run().onCancel(never::completeExceptionally);
            othersStarted.countDown();
            return never;
        };
        FlujoBranch ok = call -> {
            othersStarted.countDown();
            return CompletableFuture.completedFuture("fine");
        };
        FlujoBranch bad = call -> CompletableFuture.supplyAsync(() -> {
            try {
                assertTrue(othersStarted.await(SAFETY_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("bad branch broke");
        }, pool);
        ParallelPlan plan = parallel(branches("slow", slow, "ok", ok, "bad", bad), null,
                BranchFailurePolicy.PROPAGATE);

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertEquals("par", e.getStepName());
        assertEquals(List.of("branch bad failed: IllegalStateException: bad branch broke"), e.getFeedback(),
                "the failed branch is named; the cancelled one is not reported as a failure");
        assertTrue(e.getMessage().contains("branch bad failed"), e.getMessage());
        assertEquals("bad branch broke", e.getCause().getMessage());
        awaitFailure(never, FlujoCancelledException.class); // the sibling's run was cancelled
        StepResult result = e.getResult();
        assertEquals(List.of("slow", "bad"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
        assertEquals(true, child(result, "slow").metadata().get(StepResult.META_CANCELLED));
        assertNull(child(result, "bad").metadata().get(StepResult.META_CANCELLED));
        assertTrue(child(result, "ok").success());
        assertEquals(List.of(result), e.getHistory());
    }

    @Test
    void ignoreSucceedsWithTheRemainingOutputsAndListsTheFailedBranch() {
        ParallelPlan plan = parallel(branches("a", writing(Map.of("x", 1), "A"), "bad", failing("nope"),
                "c", value("C")), null, BranchFailurePolicy.IGNORE);

        StepResult result = await(execute(plan, "in"));

        assertTrue(result.success());
        assertEquals(Map.of("a", "A", "c", "C"), result.output(), "a failed branch has no entry");
        assertEquals(List.of("bad"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
        assertEquals(Map.of("x", 1), result.contextUpdates());
        StepResult failed = child(result, "bad");
        assertFalse(failed.success());
        assertTrue(failed.feedback().get(0).contains("nope"), failed.feedback().toString());
        assertNull(failed.metadata().get(StepResult.META_CANCELLED), "under IGNORE nothing is cancelled");
    }

    @Test
    void ignoreWithEveryBranchFailingFailsTheStep() {
        ParallelPlan plan = parallel(branches("a", failing("first"), "b", failing("second")), null,
                BranchFailurePolicy.IGNORE);

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertEquals(List.of("branch a failed: IllegalStateException: first",
                "branch b failed: IllegalStateException: second"), e.getFeedback());
        assertEquals(List.of("a", "b"), e.getResult().metadata().get(StepResult.META_FAILED_BRANCHES));
        assertFalse(last(run.history()).success());
    }

    @Test
    void aBranchThatThrowsInsteadOfReturningAFailedStageIsAFailureToo() {
        FlujoBranch throwing = call -> {
            throw new IllegalArgumentException("thrown");
        };
        ParallelPlan plan = parallel(branches("a", value("A"), "t", throwing), null, BranchFailurePolicy.IGNORE);

        StepResult result = await(execute(plan, "in"));

        assertEquals(List.of("t"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
        assertEquals(Map.of("a", "A"), result.output());
    }

    @Test
    void aCancellationListenerThatThrowsDoesNotHangTheStep() {
        CompletableFuture<Object> never = new CompletableFuture<>();
        CountDownLatch registered = new CountDownLatch(1);
        FlujoBranch slow = call -> {
            call.run().onCancel(reason -> {
                throw new IllegalStateException("listener bug");
            });
            call.run().onCancel(never::completeExceptionally);
            registered.countDown();
            return never;
        };
        FlujoBranch bad = call -> CompletableFuture.supplyAsync(() -> {
            try {
                assertTrue(registered.await(SAFETY_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("bad branch broke");
        }, pool);

        // bounded by the safety net: today this times out
        FlujoStepFailedException e = awaitFailure(execute(parallel(branches("slow", slow, "bad", bad)), "in"),
                FlujoStepFailedException.class);

        assertEquals(List.of("branch bad failed: IllegalStateException: bad branch broke"), e.getFeedback());
    }
}
