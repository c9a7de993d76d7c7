package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.step.FlujoProcessor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelPlanTest extends FlowTestSupport {

    @Test
    void outputMapIsInDeclaredOrderEvenWhenBranchesFinishInReverse() throws Exception {
        Map<String, CompletableFuture<Object>> held = new ConcurrentHashMap<>();
        CountDownLatch allStarted = new CountDownLatch(3);
        FlujoBranch waits = call -> {
            CompletableFuture<Object> f = held.computeIfAbsent(call.branchName(), n -> new CompletableFuture<>());
            allStarted.countDown();
            return f;
        };
        ParallelPlan plan = parallel(branches("a", waits, "b", waits, "c", waits));

        CompletableFuture<StepResult> future = execute(plan, "in");
        assertTrue(allStarted.await(SAFETY_SECONDS, TimeUnit.SECONDS));
        // finish c, then b, then a: the reverse of the declared order
        for (String name : List.of("c", "b", "a")) {
            held.get(name).complete(name.toUpperCase());
        }
        StepResult result = await(future);

        assertEquals(List.of("a", "b", "c"), new ArrayList<>(((Map<?, ?>) result.output()).keySet()));
        assertEquals(Map.of("a", "A", "b", "B", "c", "C"), result.output());
        assertEquals(List.of("a", "b", "c"), names(result.children()), "one child per branch, in declared order");
        assertTrue(result.success());
        assertEquals("parallel", result.metadata().get(StepResult.META_KIND));
    }

    @Test
    void everyBranchGetsTheInputAndItsAgentStepResultsBecomeItsChildren() {
        TestAgent upper = TestAgent.answering("upper", r -> ((String) r.input()).toUpperCase());
        TestAgent length = TestAgent.answering("length", r -> ((String) r.input()).length());
        ParallelPlan plan = parallel(branches(
                "upper", agentBranch(agentStep("upper-step", upper)),
                "length", agentBranch(agentStep("length-step", length))));

        StepResult result = await(execute(plan, "hello"));

        assertEquals(Map.of("upper", "HELLO", "length", 5), result.output());
        assertEquals(List.of("upper-step"), names(child(result, "upper").children()));
        assertEquals(List.of("length-step"), names(child(result, "length").children()));
        assertEquals("HELLO", child(result, "upper").children().get(0).output());
    }

    @Test
    void theRunHistoryRecordsTheParallelResultOnceWithTheBranchStepsInsideIt() {
        TestAgent agent = TestAgent.returning("agent", "x", Usage.tokens(3, 4));
        ParallelPlan plan = parallel(branches("one", agentBranch(agentStep("s1", agent)),
                "two", agentBranch(agentStep("s2", agent))));

        StepResult result = await(execute(plan, "in"));

        // the branch steps live in their branch runs, not in the run's top-level history
        assertEquals(1, run.history().size());
        assertSame(result, run.history().get(0));
        assertEquals(14, result.usage().totalTokens(), "the step's usage is the sum of its branches'");
        assertEquals(14, run.usage().totalTokens(), "branch runs share the run's ledger");
    }

    @Test
    void branchWritesAreMergedIntoTheStepsContextUpdatesAndSinkToAddsTheOutput() {
        FlujoContext context = FlujoContext.of(Map.of("tenant", "acme"));
        ParallelPlan plan = new ParallelPlan(
                new CompositeStep("par", "parallel", null, "results"),
                branches("a", writing(Map.of("x", 1), "A"), "b", writing(Map.of("y", 2), "B")),
                null, null, 0, null);

        StepResult result = await(execute(plan, "in", context));

        assertEquals(Map.of("x", 1, "y", 2, "results", Map.of("a", "A", "b", "B")), result.contextUpdates());
        assertEquals(Map.of("tenant", "acme"), context.asMap(), "the step never writes its context itself");
        assertEquals(Map.of("x", 1), child(result, "a").contextUpdates(), "each child keeps its own writes");
    }

    @Test
    void branchesSeeTheParentsValuesAndTheParentContextInTheirCall() {
        FlujoContext context = FlujoContext.of(Map.of("tenant", "acme"));
        FlujoBranch reads = call -> CompletableFuture.completedFuture(
                call.context().get("tenant") + "/" + call.parentContext().get("tenant") + "/" + call.stepName());

        StepResult result = await(execute(parallel(branches("a", reads, "b", reads)), "in", context));

        assertEquals(Map.of("a", "acme/acme/par", "b", "acme/acme/par"), result.output());
    }

    @Test
    void reduceTurnsTheMapOfOutputsIntoOneValue() {
        FlujoProcessor join = (value, ctx) -> String.join("+", ((Map<?, ?>) value).values().stream()
                .map(String::valueOf).toList());
        ParallelPlan plan = new ParallelPlan(
                step("par", "parallel"),
                branches("a", value("x"), "b", value("y"), "c", value("z")), null, null, 0, join);

        StepResult result = await(execute(plan, "in"));

        assertEquals("x+y+z", result.output(), "reduce sees the outputs in declared order");
    }

    @Test
    void aReduceThatThrowsFailsTheStep() {
        FlujoProcessor broken = (value, ctx) -> {
            throw new IllegalArgumentException("cannot reduce");
        };
        ParallelPlan plan = new ParallelPlan(step("par", "parallel"), branches("a", value("x")), null, null, 0, broken);

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertEquals("par", e.getStepName());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertFalse(last(run.history()).success());
    }

    @Test
    void neverMoreThanMaxConcurrencyBranchesAreInFlight() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        BlockingQueue<CompletableFuture<Object>> open = new LinkedBlockingQueue<>();
        FlujoBranch tracked = call -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<Object> f = new CompletableFuture<>();
            open.add(f);
            return f;
        };
        ParallelPlan plan = new ParallelPlan(
                step("par", "parallel"), branches("b1", tracked, "b2", tracked,
                        "b3", tracked, "b4", tracked, "b5", tracked, "b6", tracked),
                null, null, 2, null);

        CompletableFuture<StepResult> future = execute(plan, "in");
        // hold two branches open before finishing one, so that a third could only start by breaking the limit
        List<CompletableFuture<Object>> window = new ArrayList<>();
        for (int finished = 0; finished < 6; finished++) {
            while (window.size() < Math.min(2, 6 - finished)) {
                CompletableFuture<Object> next = open.poll(SAFETY_SECONDS, TimeUnit.SECONDS);
                assertTrue(next != null, "a branch should have started");
                window.add(next);
            }
            inFlight.decrementAndGet();
            window.remove(0).complete("done");
        }
        StepResult result = await(future);

        assertEquals(2, maxInFlight.get(), "two branches ran side by side, never three");
        assertEquals(6, ((Map<?, ?>) result.output()).size());
        assertTrue(open.isEmpty());
    }

    @Test
    void invalidDeclarationsAreConfigurationErrors() {
        assertThrows(FlujoConfigurationException.class,
                () -> new ParallelPlan(step("par", "parallel"), Map.of(), null, null, 0, null));
        assertThrows(FlujoConfigurationException.class,
                () -> new ParallelPlan(step("par", "parallel"), branches("a", value(1)), null, null, -1, null));
        ParallelPlan defaults = new ParallelPlan(step("par", "parallel"), branches("a", value(1)), null, null, 0, null);
        assertSame(MergeStrategies.CONTEXT_UPDATE, defaults.merge());
        assertSame(BranchFailurePolicy.PROPAGATE, defaults.onFailure());
    }

    @Test
    void aBranchReturningNoStageFailsTheStepInsteadOfHanging() {
        ParallelPlan plan = parallel(branches("a", value("x"), "broken", (FlujoBranch) call -> null));

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertTrue(e.getFeedback().get(0).contains("branch broken failed"), e.getFeedback().toString());
    }

    // from the review of the composite kinds
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
}
