package dev.flujo.core.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each branch works on its own copy of the context; what one writes, no sibling and not the parent sees. */
class BranchIsolationTest extends FlowTestSupport {

    /**
     * Both branches write "status", then wait at the barrier until the other has written too, then read it back: a
     * shared context would show one of them the other's value.
     */
    private FlujoBranch writesThenReadsBack(CyclicBarrier bothWritten, Map<String, Object> seen) {
        return call -> CompletableFuture.supplyAsync(() -> {
            try {
                call.context().put("status", "set by " + call.branchName());
                bothWritten.await(SAFETY_SECONDS, TimeUnit.SECONDS);
                seen.put(call.branchName(), call.context().get("status"));
                seen.put(call.branchName() + ".parent", call.parentContext().get("status"));
                return call.branchName();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pool);
    }

    @Test
    void concurrentWritesToOneKeyStayInTheirBranchAndTheParentIsUnchanged() {
        CyclicBarrier bothWritten = new CyclicBarrier(2);
        Map<String, Object> seen = new ConcurrentHashMap<>();
        FlujoContext parent = FlujoContext.of(Map.of("status", "new"));
        ParallelPlan plan = parallel(branches("a", writesThenReadsBack(bothWritten, seen),
                "b", writesThenReadsBack(bothWritten, seen)), MergeStrategies.NO_MERGE, null);

        StepResult result = await(execute(plan, "in", parent));

        assertEquals("set by a", seen.get("a"));
        assertEquals("set by b", seen.get("b"));
        assertEquals("new", seen.get("a.parent"), "the parent context is not written while branches run");
        assertEquals("new", seen.get("b.parent"));
        assertEquals("new", parent.get("status"));
        assertEquals(Map.of("status", "set by a"), child(result, "a").contextUpdates());
        assertEquals(Map.of("status", "set by b"), child(result, "b").contextUpdates());
    }

    @Test
    void differentScalarsForOneKeyUnderContextUpdateFailNamingTheKeyAndBothBranches() {
        CyclicBarrier bothWritten = new CyclicBarrier(2);
        Map<String, Object> seen = new ConcurrentHashMap<>();
        FlujoContext parent = FlujoContext.of(Map.of("status", "new"));
        ParallelPlan plan = parallel(branches("a", writesThenReadsBack(bothWritten, seen),
                "b", writesThenReadsBack(bothWritten, seen)), MergeStrategies.CONTEXT_UPDATE, null);

        FlujoStepFailedException e = awaitFailure(execute(plan, "in", parent), FlujoStepFailedException.class);

        MergeConflictException conflict = assertInstanceOf(MergeConflictException.class, e.getCause());
        assertEquals("status", conflict.getKey());
        assertEquals(List.of("a", "b"), conflict.getBranches());
        assertTrue(conflict.getMessage().contains("'status'"), conflict.getMessage());
        assertTrue(e.getMessage().contains("a, b"), e.getMessage());
        StepResult failed = e.getResult();
        assertFalse(failed.success());
        assertEquals(Map.of(), failed.contextUpdates(), "a failed merge writes nothing");
        assertEquals(List.of("a", "b"), names(failed.children()), "the branches' results are kept");
        assertEquals("new", parent.get("status"));
    }

    @Test
    void aBranchWriteIsNotSeenByASiblingThatStartsLater() {
        // maxConcurrency 1: b runs strictly after a has finished, and still does not see a's write
        FlujoBranch a = writing(Map.of("k", "from a"), "a");
        FlujoBranch b = call -> CompletableFuture.completedFuture(String.valueOf(call.context().get("k")));
        ParallelPlan plan = new ParallelPlan(
                step("par", "parallel"), branches("a", a, "b", b),
                MergeStrategies.OVERWRITE, null, 1, null);

        StepResult result = await(execute(plan, "in"));

        assertEquals("null", ((Map<?, ?>) result.output()).get("b"));
        assertEquals(Map.of("k", "from a"), result.contextUpdates());
    }
}
