package dev.flujo.core.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.core.context.CopyOnWriteContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * enableContextOptimization: branches get copy-on-write copies of the context (sharing its storage until they write);
 * off, eager copies of every entry. Either way the copies are isolated both ways.
 */
class ContextOptimizationTest extends FlowTestSupport {

    private final List<BranchCall> calls = new CopyOnWriteArrayList<>();

    private final FlujoBranch recording = call -> {
        calls.add(call);
        call.context().put("written-by-" + call.branchName(), true);
        return CompletableFuture.completedFuture(call.context().get("tenant"));
    };

    private ParallelPlan plan(boolean copyOnWrite) {
        CompositeStep step = new CompositeStep("fan", "parallel", UsageLimits.NONE, null, null, copyOnWrite);
        return new ParallelPlan(
                step, Map.of("a", recording, "b", recording), MergeStrategies.NO_MERGE,
                BranchFailurePolicy.PROPAGATE, 0, null);
    }

    @Test
    void copyOnWriteBranchesShareTheContextsStorage() {
        CopyOnWriteContext context = FlujoContext.of(Map.of("tenant", "acme"));

        await(plan(true).execute(core, "in", context, run, List.of()));

        assertEquals(2, calls.size());
        for (BranchCall call : calls) {
            assertTrue(call.context().sharesStorageWith(context), "a branch reads the parent's storage");
            assertEquals("acme", call.context().get("tenant"));
        }
        assertNull(context.get("written-by-a"), "a branch's write never reaches the parent");
    }

    @Test
    void withoutContextOptimizationBranchesGetEagerCopies() {
        CopyOnWriteContext context = FlujoContext.of(Map.of("tenant", "acme"));

        await(plan(false).execute(core, "in", context, run, List.of()));

        assertEquals(2, calls.size());
        for (BranchCall call : calls) {
            assertFalse(call.context().sharesStorageWith(context), "every entry copied");
            assertEquals("acme", call.context().get("tenant"));
            assertNull(call.context().get("written-by-" + (call.branchName().equals("a") ? "b" : "a")),
                    "siblings never see each other's writes");
        }
        assertNull(context.get("written-by-a"));
    }
}
