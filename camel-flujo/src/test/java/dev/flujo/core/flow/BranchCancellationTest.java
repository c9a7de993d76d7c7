package dev.flujo.core.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed branch cancels its siblings: agent calls in flight are abandoned, and no new agent call is made. */
class BranchCancellationTest extends FlowTestSupport {

    private static OptimizationConfig retries(int n) {
        return OptimizationConfig.builder().set("maxRetries", n).build();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(SAFETY_SECONDS, TimeUnit.SECONDS), "latch not reached");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAgentThatNeverAnswersIsAbandonedWhenASiblingFailsAndIsNotRetried() throws Exception {
        TestAgent silent = TestAgent.hanging("silent");
        // it would retry three times after a failure: a cancellation must not count as one
        StepPlan slowStep = agentStep("slow-step", retries(3), silent);
        AtomicReference<CompletableFuture<AgentResponse>> inFlight = new AtomicReference<>();
        FlujoBranch bad = call -> CompletableFuture.supplyAsync(() -> {
            try {
                inFlight.set(silent.nextPending()); // fail only once the sibling's agent call is in flight
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("bad branch broke");
        }, pool);
        ParallelPlan plan = parallel(branches("slow", agentBranch(slowStep), "bad", bad));

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertEquals(List.of("branch bad failed: IllegalStateException: bad branch broke"), e.getFeedback());
        assertEquals(1, silent.calls(), "no retry and no new call after the cancellation");
        assertTrue(inFlight.get().isCancelled(), "the agent is told its answer is no longer wanted");
        StepResult slow = child(e.getResult(), "slow");
        assertEquals(true, slow.metadata().get(StepResult.META_CANCELLED));
        StepResult slowStepResult = slow.children().get(0);
        assertEquals("slow-step", slowStepResult.name());
        assertFalse(slowStepResult.success());
        assertEquals(1, slowStepResult.attempts());
    }

    @Test
    void aSiblingWhoseAttemptFailsAfterTheCancellationDoesNotRetry() {
        CountDownLatch validating = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        TestAgent agent = TestAgent.returning("drafter", "draft");
        // the validator rejects the first answer, but only once the branch has been cancelled: the retry that
        // would follow must not call the agent again
        FlujoValidator rejectsAfterCancellation = (output, ctx) -> {
            validating.countDown();
            await(cancelled);
            return ValidationResult.fail("too short");
        };
        StepPlan retrying = agentStep("draft-step", retries(3), agent, rejectsAfterCancellation);
        FlujoBranch drafter = call -> {
            call.run().onCancel(reason -> cancelled.countDown());
            return agentBranch(retrying).run(call);
        };
        FlujoBranch bad = call -> CompletableFuture.supplyAsync(() -> {
            await(validating);
            throw new IllegalStateException("bad branch broke");
        }, pool);

        FlujoStepFailedException e = awaitFailure(execute(parallel(branches("drafter", drafter, "bad", bad)), "in"),
                FlujoStepFailedException.class);

        assertEquals(1, agent.calls());
        StepResult drafted = child(e.getResult(), "drafter");
        assertEquals(true, drafted.metadata().get(StepResult.META_CANCELLED));
        assertEquals(List.of("validation failed: " + rejectsAfterCancellation.name() + ": too short"),
                drafted.children().get(0).feedback(), "the first attempt's failure is kept; no second attempt ran");
    }

    @Test
    void agentCallsInsideANestedParallelStepAreAbandonedToo() {
        TestAgent silent = TestAgent.hanging("silent");
        ParallelPlan inner = new ParallelPlan(
                step("inner", "parallel"), branches(
                        "x", agentBranch(agentStep("x-step", retries(2), silent)),
                        "y", agentBranch(agentStep("y-step", retries(2), silent))),
                null, null, 0, null);
        FlujoBranch nested = call -> inner.execute(core, call.input(), call.context(), call.run(), List.of())
                .thenApply(StepResult::output);
        FlujoBranch bad = call -> CompletableFuture.supplyAsync(() -> {
            try {
                silent.nextPending(); // both inner calls are in flight before this branch fails
                silent.nextPending();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("bad branch broke");
        }, pool);

        FlujoStepFailedException e = awaitFailure(execute(parallel(branches("nested", nested, "bad", bad)), "in"),
                FlujoStepFailedException.class);

        assertEquals(2, silent.calls(), "the cancellation reached the branch runs of the nested step");
        StepResult nestedResult = child(e.getResult(), "nested");
        assertEquals(true, nestedResult.metadata().get(StepResult.META_CANCELLED));
        StepResult innerResult = nestedResult.children().get(0);
        assertEquals("inner", innerResult.name());
        assertFalse(innerResult.success());
        assertEquals(List.of("x", "y"), names(innerResult.children()));
    }

    @Test
    void branchesNotYetStartedNeverStartAfterAFailure() {
        AtomicInteger started = new AtomicInteger();
        FlujoBranch counted = call -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        };
        ParallelPlan plan = new ParallelPlan(
                step("par", "parallel"),
                branches("first", failing("first broke"), "second", counted, "third", counted), null,
                BranchFailurePolicy.PROPAGATE, 1, null);

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertEquals(0, started.get());
        assertEquals(List.of("branch first failed: IllegalStateException: first broke"), e.getFeedback());
        assertEquals(List.of("first", "second", "third"), names(e.getResult().children()));
        assertEquals(true, child(e.getResult(), "second").metadata().get(StepResult.META_CANCELLED));
        assertEquals(true, child(e.getResult(), "third").metadata().get(StepResult.META_CANCELLED));
    }

    @Test
    void underIgnoreAFailureDoesNotStopTheBranchesStillToStart() {
        AtomicInteger started = new AtomicInteger();
        FlujoBranch counted = call -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        };
        ParallelPlan plan = new ParallelPlan(
                step("par", "parallel"),
                branches("first", failing("first broke"), "second", counted, "third", counted), null,
                BranchFailurePolicy.IGNORE, 1, null);

        StepResult result = await(execute(plan, "in"));

        assertEquals(2, started.get());
        assertEquals(List.of("first"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
    }

    // --- ExecutorCore in a branch run -----------------------------------------------------------------------------

    @Test
    void anAgentStepInAnAlreadyCancelledBranchRunMakesNoCall() {
        TestAgent agent = TestAgent.returning("agent", "out");
        FlujoRun branch = run.branch();
        IllegalStateException why = new IllegalStateException("sibling failed");
        branch.cancel(why);

        FlujoCancelledException e = awaitFailure(
                agentStep("s", agent).execute(core, "in", FlujoContext.empty(), branch, List.of()),
                FlujoCancelledException.class);

        assertEquals(0, agent.calls());
        assertEquals("s", e.getStepName());
        assertSame(why, e.getCause());
        assertFalse(branch.history().get(0).success(), "the step's failed result is recorded in the branch run");
        assertTrue(run.history().isEmpty());
    }

    @Test
    void cancellingTheParentRunAbandonsACallInFlightBeforeItsTimeOut() throws Exception {
        TestAgent silent = TestAgent.hanging("silent");
        StepPlan plan = StepPlan.builder("s", OptimizationConfig.builder().set("maxRetries", 2)
                .set("timeout", Duration.ofMinutes(5)).build()).agent(silent.named()).build();
        FlujoRun branch = run.branch();

        CompletableFuture<StepResult> future = plan.execute(core, "in", FlujoContext.empty(), branch, List.of());
        CompletableFuture<AgentResponse> pending = silent.nextPending();
        run.cancel(new IllegalStateException("stop everything"));

        FlujoCancelledException e = awaitFailure(future, FlujoCancelledException.class);
        assertEquals("stop everything", e.getCause().getMessage());
        assertTrue(pending.isCancelled());
        assertEquals(1, silent.calls());
        assertNull(branch.history().get(0).metadata().get(StepResult.META_TIMED_OUT), "not a time-out");
    }

    @Test
    void aLateReplyAfterTheCancellationIsDroppedButItsUsageIsBooked() throws Exception {
        TestAgent silent = TestAgent.hangingUncancellable("silent");
        FlujoRun branch = run.branch();

        CompletableFuture<StepResult> future = agentStep("s", silent)
                .execute(core, "in", FlujoContext.empty(), branch, List.of());
        CompletableFuture<AgentResponse> pending = silent.nextPending();
        branch.cancel(new IllegalStateException("sibling failed"));
        awaitFailure(future, FlujoCancelledException.class);
        pending.complete(AgentResponse.of("too late", Usage.tokens(30, 20)));

        assertEquals(50, run.usage().totalTokens(), "what the call consumed was spent");
        assertEquals(1, branch.history().size(), "the late answer records nothing more");
        assertNull(branch.history().get(0).output());
    }

    @Test
    void aDetachedBranchRunIsNotCancelledWithItsParent() {
        TestAgent agent = TestAgent.returning("agent", "out");
        FlujoRun branch = run.branch();
        branch.detach();
        run.cancel(new IllegalStateException("parent stopped"));

        StepResult result = await(agentStep("s", agent).execute(core, "in", FlujoContext.empty(), branch,
                List.of()));

        assertEquals("out", result.output());
        assertNull(branch.cancellation());
    }

    // from the review of the composite kinds
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
        ParallelPlan plan = new ParallelPlan(
                step("par", "parallel"), all, null, BranchFailurePolicy.PROPAGATE, 2,
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
