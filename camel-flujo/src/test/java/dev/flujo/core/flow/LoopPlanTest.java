package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopPlanTest extends FlowTestSupport {

    private static LoopPlan loop(FlujoBranch body, LoopPlan.ExitCondition until, int maxLoops) {
        return new LoopPlan(step("loop", "loop"), body, until, maxLoops);
    }

    /** Adds one to its input and appends the input to the context list "seen" (which it reads first). */
    private static FlujoBranch counting(List<Object> inputs) {
        return call -> {
            inputs.add(call.input());
            @SuppressWarnings("unchecked")
            List<Object> seen = new ArrayList<>((List<Object>) call.context().get("seen", List.class));
            seen.add(call.input());
            call.context().put("seen", seen);
            return CompletableFuture.completedFuture((Integer) call.input() + 1);
        };
    }

    @Test
    void exitsWhenTheConditionHoldsWithTheLastOutput() {
        List<Object> inputs = new CopyOnWriteArrayList<>();
        List<Object> seenByCondition = new ArrayList<>();
        LoopPlan.ExitCondition threeSeen = (output, ctx) -> {
            seenByCondition.add(ctx.get("seen"));
            return ((List<?>) ctx.get("seen")).size() == 3;
        };
        FlujoContext parent = FlujoContext.of(Map.of("seen", List.of()));

        StepResult result = await(execute(loop(counting(inputs), threeSeen, 10), 0, parent));

        assertEquals(3, result.output(), "the output of the last iteration");
        assertEquals(List.of(0, 1, 2), inputs, "each iteration receives the previous iteration's output");
        // iteration i's write is visible to iteration i+1 (it appends to it) and to the condition after it
        assertEquals(List.of(List.of(0), List.of(0, 1), List.of(0, 1, 2)), seenByCondition);
        assertEquals(Map.of("seen", List.of(0, 1, 2)), result.contextUpdates());
        assertEquals(List.of(), parent.get("seen"), "the parent context is untouched");
        assertEquals(LoopExitReason.CONDITION.label(), result.metadata().get(StepResult.META_EXIT_REASON));
        assertEquals("condition", result.metadata().get(StepResult.META_EXIT_REASON));
        assertEquals("loop", result.metadata().get(StepResult.META_KIND));
        assertEquals(List.of("iteration-1", "iteration-2", "iteration-3"), names(result.children()));
        assertEquals(Map.of("seen", List.of(0, 1)), result.children().get(1).contextUpdates());
        assertSame(result, last(run.history()));
    }

    @Test
    void reachingMaxLoopsIsAFailureWithExitReasonMaxLoops() {
        List<Object> inputs = new CopyOnWriteArrayList<>();
        FlujoContext parent = FlujoContext.of(Map.of("seen", List.of()));

        FlujoStepFailedException e = awaitFailure(execute(loop(counting(inputs), (o, c) -> false, 3), 0, parent),
                FlujoStepFailedException.class);

        assertEquals("loop", e.getStepName());
        assertEquals(3, inputs.size());
        StepResult recorded = last(run.history());
        assertSame(e.getResult(), recorded);
        assertEquals("maxLoops", recorded.metadata().get(StepResult.META_EXIT_REASON));
        assertEquals(3, recorded.children().size());
        assertEquals(Map.of(), recorded.contextUpdates());
        assertTrue(e.getCause().getMessage().contains("maxLoops=3"), e.getCause().getMessage());
    }

    @Test
    void aFailingIterationEndsTheLoopWithExitReasonBodyError() {
        FlujoBranch failsOnTwo = call -> (Integer) call.input() == 2
                ? CompletableFuture.failedFuture(new IllegalStateException("two is bad"))
                : CompletableFuture.completedFuture((Integer) call.input() + 1);

        FlujoStepFailedException e = awaitFailure(execute(loop(failsOnTwo, (o, c) -> false, 10), 1),
                FlujoStepFailedException.class);

        assertEquals("bodyError", e.getResult().metadata().get(StepResult.META_EXIT_REASON));
        assertEquals(List.of("iteration-1", "iteration-2"), names(e.getResult().children()));
        assertFalse(e.getResult().children().get(1).success());
        assertEquals(List.of("iteration 2 failed: IllegalStateException: two is bad"), e.getFeedback());
        assertEquals("two is bad", e.getCause().getMessage());
    }

    @Test
    void aConditionThatThrowsEndsTheLoopWithExitReasonBodyError() {
        FlujoStepFailedException e = awaitFailure(execute(loop(value("x"), (o, c) -> {
            throw new IllegalArgumentException("cannot decide");
        }, 5), "in"), FlujoStepFailedException.class);

        assertEquals("bodyError", e.getResult().metadata().get(StepResult.META_EXIT_REASON));
        assertTrue(e.getFeedback().get(0).startsWith("exit condition failed after iteration 1"), e.getFeedback().get(0));
    }

    @Test
    void aUsageBreachEndsTheLoopWithExitReasonLimitExceeded() {
        TestAgent agent = TestAgent.returning("agent", "more", Usage.tokens(5, 5));
        LoopPlan plan = new LoopPlan(
                new CompositeStep("loop", "loop", new UsageLimits(null, 25L), null),
                agentBranch(agentStep("think", agent)), (o, c) -> false, 10);

        UsageLimitExceededException e = awaitFailure(execute(plan, "in"), UsageLimitExceededException.class);

        assertEquals(3, agent.calls(), "10 + 10 tokens fit in 25, the third call went over");
        assertEquals("think", e.getStepName());
        StepResult recorded = last(e.getPartialHistory());
        assertEquals("loop", recorded.name());
        assertEquals("limitExceeded", recorded.metadata().get(StepResult.META_EXIT_REASON));
        assertTrue(recorded.metadata().containsKey(StepResult.META_LIMIT_EXCEEDED));
        assertEquals(3, recorded.children().size());
        assertEquals(30, recorded.usage().totalTokens());
    }

    @Test
    void tenThousandSynchronousIterationsDoNotGrowTheStack() {
        FlujoBranch increment = call -> CompletableFuture.completedFuture((Integer) call.input() + 1);

        StepResult result = await(execute(loop(increment, (o, c) -> (Integer) o == 10_000, 10_000), 0));

        assertEquals(10_000, result.output());
        assertEquals(10_000, result.children().size());
    }

    @Test
    void asynchronousIterationsRunOneAfterAnotherOnTheRightInput() {
        List<Object> inputs = new CopyOnWriteArrayList<>();
        FlujoBranch async = call -> CompletableFuture.supplyAsync(() -> {
            inputs.add(call.input());
            return (Integer) call.input() + 1;
        }, pool);

        StepResult result = await(execute(loop(async, (o, c) -> (Integer) o == 50, 100), 0));

        assertEquals(50, result.output());
        assertEquals(IntStream.range(0, 50).boxed().toList(), inputs);
    }

    @Test
    void aLoopBodyRunsInABranchRunOfTheLoopsRun() {
        List<Boolean> branchRuns = new CopyOnWriteArrayList<>();
        FlujoBranch body = call -> {
            branchRuns.add(call.run().isBranch() && call.run().runId().equals(run.runId()));
            return CompletableFuture.completedFuture("done");
        };

        await(execute(loop(body, (o, c) -> true, 3), "in"));

        assertEquals(List.of(true), branchRuns);
    }

    @Test
    void aLoopInACancelledRunStopsBeforeTheNextIteration() {
        // a loop inside a branch whose sibling failed: its body makes no agent call that would notice, so the loop
        // itself checks between iterations
        FlujoRun branch = run.branch();
        List<Object> iterations = new CopyOnWriteArrayList<>();
        FlujoBranch body = call -> {
            iterations.add(call.input());
            branch.cancel(new IllegalStateException("sibling failed"));
            return CompletableFuture.completedFuture("again");
        };

        var failure = awaitFailure(loop(body, (o, c) -> false, 100).execute(core, "in", FlujoContext.empty(), branch,
                List.of()), FlujoStepFailedException.class);

        assertEquals(1, iterations.size());
        assertInstanceOf(dev.flujo.core.FlujoCancelledException.class, failure.getCause());
    }

    @Test
    void maxLoopsBelowOneIsAConfigurationError() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> loop(value("x"), (o, c) -> true, 0));
        assertTrue(e.getMessage().contains("maxLoops"), e.getMessage());
        assertEquals(5, LoopPlan.DEFAULT_MAX_LOOPS);
    }

    @Test
    void exitReasonLabelsAreCamelCase() {
        assertEquals(List.of("condition", "maxLoops", "bodyError", "limitExceeded"),
                java.util.Arrays.stream(LoopExitReason.values()).map(LoopExitReason::label).toList());
    }

    @Test
    void aBodyReturningNoStageIsABodyError() {
        FlujoStepFailedException e = awaitFailure(execute(loop(call -> null, (o, c) -> true, 3), "in"),
                FlujoStepFailedException.class);

        assertEquals("bodyError", e.getResult().metadata().get(StepResult.META_EXIT_REASON));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertInstanceOf(FlujoException.class, e);
    }

    // from the review of the composite kinds
    @Test
    void aLoopIterationInterruptedByTheCancellationOfItsRunIsReportedCancelled() throws Exception {
        TestAgent slow = TestAgent.hanging("slow");
        LoopPlan loop = new LoopPlan(
                step("polish", "loop"), agentBranch(agentStep("polishStep", slow)),
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
}
