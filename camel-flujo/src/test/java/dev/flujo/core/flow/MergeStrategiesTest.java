package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in merge strategies, on their own and inside a parallel step. */
class MergeStrategiesTest extends FlowTestSupport {

    private static final FlujoContext EMPTY = FlujoContext.empty();

    private static BranchWrites w(String branch, Map<String, Object> writes) {
        return new BranchWrites(branch, writes);
    }

    // --- NO_MERGE -------------------------------------------------------------------------------------------------

    @Test
    void noMergeDropsEveryWrite() {
        assertEquals(Map.of(), MergeStrategies.NO_MERGE.merge(EMPTY,
                List.of(w("a", Map.of("x", 1)), w("b", Map.of("x", 2)))));
    }

    @Test
    void noMergeInAParallelStepLeavesNoContextUpdates() {
        ParallelPlan plan = parallel(branches("a", writing(Map.of("x", 1), "A"), "b", writing(Map.of("x", 2), "B")),
                MergeStrategies.NO_MERGE, null);

        StepResult result = await(execute(plan, "in"));

        assertEquals(Map.of(), result.contextUpdates());
        assertEquals(Map.of("a", "A", "b", "B"), result.output());
    }

    // --- CONTEXT_UPDATE -------------------------------------------------------------------------------------------

    @Test
    void contextUpdateKeepsKeysOnlyOneBranchWrote() {
        assertEquals(Map.of("x", 1, "y", 2), MergeStrategies.CONTEXT_UPDATE.merge(EMPTY,
                List.of(w("a", Map.of("x", 1)), w("b", Map.of("y", 2)))));
    }

    @Test
    void contextUpdateTreatsEqualValuesAsNoConflict() {
        Map<String, Object> merged = MergeStrategies.CONTEXT_UPDATE.merge(EMPTY, List.of(
                w("a", Map.of("x", "same", "m", Map.of("k", 1))),
                w("b", Map.of("x", "same", "m", Map.of("k", 1)))));

        assertEquals(Map.of("x", "same", "m", Map.of("k", 1)), merged);
    }

    @Test
    void contextUpdateFailsOnDifferentScalarsNamingTheKeyAndTheBranches() {
        MergeConflictException e = assertThrows(MergeConflictException.class,
                () -> MergeStrategies.CONTEXT_UPDATE.merge(EMPTY, List.of(w("a", Map.of("x", 1)),
                        w("b", Map.of("y", 0)), w("c", Map.of("x", 2)))));

        assertEquals("x", e.getKey());
        assertEquals(List.of("a", "c"), e.getBranches(), "only the branches that wrote the key");
        assertTrue(e.getMessage().contains("CONTEXT_UPDATE"), e.getMessage());
    }

    @Test
    void contextUpdateMergesMapsRecursively() {
        FlujoContext parent = FlujoContext.of(Map.of("profile", Map.of("name", "Ada")));
        Map<String, Object> merged = MergeStrategies.CONTEXT_UPDATE.merge(parent, List.of(
                w("a", Map.of("profile", Map.of("name", "Ada", "address", Map.of("city", "London")))),
                w("b", Map.of("profile", Map.of("name", "Ada", "address", Map.of("zip", "N1"), "age", 36)))));

        assertEquals(Map.of("profile", Map.of("name", "Ada", "age", 36,
                "address", Map.of("city", "London", "zip", "N1"))), merged);
    }

    @Test
    void contextUpdateNamesTheNestedPathOfAConflict() {
        FlujoContext parent = FlujoContext.of(Map.of("profile", Map.of("name", "Ada")));
        MergeConflictException e = assertThrows(MergeConflictException.class,
                () -> MergeStrategies.CONTEXT_UPDATE.merge(parent, List.of(
                        w("a", Map.of("profile", Map.of("name", "Ada L."))),
                        w("b", Map.of("profile", Map.of("name", "A. Lovelace"))))));

        assertEquals("profile.name", e.getKey());
        assertEquals(List.of("a", "b"), e.getBranches());
    }

    @Test
    void contextUpdateAppendsEachBranchsAdditionsToTheParentsListInDeclaredOrder() {
        FlujoContext parent = FlujoContext.of(Map.of("log", List.of("start")));
        Map<String, Object> merged = MergeStrategies.CONTEXT_UPDATE.merge(parent, List.of(
                w("a", Map.of("log", List.of("start", "a1", "a2"))),
                w("b", Map.of("log", List.of("start", "b1")))));

        assertEquals(Map.of("log", List.of("start", "a1", "a2", "b1")), merged);
    }

    @Test
    void contextUpdateAppendsWholeListsWhenThereWasNoParentList() {
        Map<String, Object> merged = MergeStrategies.CONTEXT_UPDATE.merge(EMPTY, List.of(
                w("a", Map.of("tags", List.of("x"))), w("b", Map.of("tags", List.of("y", "z")))));

        assertEquals(Map.of("tags", List.of("x", "y", "z")), merged);
    }

    /**
     * Was a bug (found by MergeStrategiesProperties): two branches that added the same item to a list kept it once, but
     * twice as soon as a third branch changed the list too, so nesting a parallel step in another changed the result
     * ({k1=[x, x, y]} flat, {k1=[x, y]} with the first two nested).
     */
    /** Maps with a null key (a HashMap an agent returned) merge like any other key, with or without a parent map. */
    @Test
    void contextUpdateMergesMapsWithANullKey() {
        Map<Object, Object> a = new java.util.HashMap<>();
        a.put(null, "n");
        a.put("k", 1);
        Map<Object, Object> b = new java.util.HashMap<>();
        b.put(null, "n");
        b.put("j", 2);
        Map<Object, Object> expected = new java.util.HashMap<>(a);
        expected.put("j", 2);

        assertEquals(Map.of("m", expected), MergeStrategies.CONTEXT_UPDATE.merge(EMPTY,
                List.of(w("a", Map.of("m", a)), w("b", Map.of("m", b)))));
        assertEquals(Map.of("m", expected), MergeStrategies.CONTEXT_UPDATE.merge(
                FlujoContext.of(Map.of("m", Map.of("k", 1))), List.of(w("a", Map.of("m", a)), w("b", Map.of("m", b)))));
    }

    @Test
    void contextUpdateKeepsEveryBranchsAdditionsEvenWhenTwoBranchesAddedTheSameItem() {
        FlujoContext parent = FlujoContext.of(Map.of("log", List.of("start")));
        BranchWrites a = w("a", Map.of("log", List.of("start", "x")));
        BranchWrites b = w("b", Map.of("log", List.of("start", "x")));
        BranchWrites c = w("c", Map.of("log", List.of("start", "y")));

        assertEquals(Map.of("log", List.of("start", "x", "x")), MergeStrategies.CONTEXT_UPDATE.merge(parent,
                List.of(a, b)));
        assertEquals(Map.of("log", List.of("start", "x", "x", "y")), MergeStrategies.CONTEXT_UPDATE.merge(parent,
                List.of(a, b, c)));
        assertEquals(Map.of("log", List.of("start", "x", "x", "y")), MergeStrategies.CONTEXT_UPDATE.merge(parent,
                List.of(w("ab", MergeStrategies.CONTEXT_UPDATE.merge(parent, List.of(a, b))), c)));
    }

    @Test
    void contextUpdateListsInDeclaredOrderEvenWhenTheLaterBranchFinishesFirst() throws Exception {
        // b finishes before a is even allowed to finish; the merged list still has a's addition first
        CountDownLatch bDone = new CountDownLatch(1);
        FlujoBranch a = call -> CompletableFuture.supplyAsync(() -> {
            try {
                assertTrue(bDone.await(SAFETY_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            call.context().put("log", List.of("start", "from a"));
            return "a";
        }, pool);
        FlujoBranch b = call -> {
            call.context().put("log", List.of("start", "from b"));
            bDone.countDown();
            return CompletableFuture.completedFuture("b");
        };
        FlujoContext parent = FlujoContext.of(Map.of("log", List.of("start")));

        StepResult result = await(execute(parallel(branches("a", a, "b", b)), "in", parent));

        assertEquals(List.of("start", "from a", "from b"), result.contextUpdates().get("log"));
        assertEquals(List.of("start"), parent.get("log"));
    }

    @Test
    void contextUpdateFailsWhenOneBranchWritesAMapAndAnotherAScalar() {
        MergeConflictException e = assertThrows(MergeConflictException.class,
                () -> MergeStrategies.CONTEXT_UPDATE.merge(EMPTY, List.of(
                        w("a", Map.of("x", Map.of("k", 1))), w("b", Map.of("x", "flat")))));

        assertEquals("x", e.getKey());
    }

    @Test
    void contextUpdateMergesMapsRelativeToTheParentAsListsAre() {
        // lists are merged relative to the parent's list; maps are not, so an unchanged field counts as a write
        FlujoContext parent = FlujoContext.of(Map.of("profile", Map.of("name", "Ada", "age", 36)));
        Map<String, Object> merged = MergeStrategies.CONTEXT_UPDATE.merge(parent, List.of(
                w("a", Map.of("profile", Map.of("name", "Ada Lovelace", "age", 36))),
                w("b", Map.of("profile", Map.of("name", "Ada", "age", 37)))));

        assertEquals(Map.of("profile", Map.of("name", "Ada Lovelace", "age", 37)), merged);
    }

    // --- OVERWRITE / KEEP_FIRST -----------------------------------------------------------------------------------

    @Test
    void overwriteTakesTheLastDeclaredBranchAndKeepFirstTheFirst() {
        List<BranchWrites> writes = List.of(w("a", Map.of("x", 1, "only-a", "A")), w("b", Map.of("x", 2)),
                w("c", Map.of("x", 3, "only-c", "C")));

        assertEquals(Map.of("x", 3, "only-a", "A", "only-c", "C"), MergeStrategies.OVERWRITE.merge(EMPTY, writes));
        assertEquals(Map.of("x", 1, "only-a", "A", "only-c", "C"), MergeStrategies.KEEP_FIRST.merge(EMPTY, writes));
    }

    @Test
    void overwriteAndKeepFirstFollowDeclaredOrderNotFinishOrder() throws Exception {
        for (MergeStrategies strategy : List.of(MergeStrategies.OVERWRITE, MergeStrategies.KEEP_FIRST)) {
            // "first" is declared first but finishes last
            CountDownLatch secondDone = new CountDownLatch(1);
            FlujoBranch first = call -> CompletableFuture.supplyAsync(() -> {
                try {
                    assertTrue(secondDone.await(SAFETY_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                call.context().put("winner", "first");
                return "1";
            }, pool);
            FlujoBranch second = call -> {
                call.context().put("winner", "second");
                secondDone.countDown();
                return CompletableFuture.completedFuture("2");
            };

            StepResult result = await(execute(parallel(branches("first", first, "second", second), strategy, null),
                    "in"));

            String expected = strategy == MergeStrategies.OVERWRITE ? "second" : "first";
            assertEquals(expected, result.contextUpdates().get("winner"), strategy.name());
        }
    }

    // --- ERROR_ON_CONFLICT ----------------------------------------------------------------------------------------

    @Test
    void errorOnConflictAcceptsEqualValuesAndSingleWriters() {
        assertEquals(Map.of("x", 1, "y", List.of(1), "z", 3), MergeStrategies.ERROR_ON_CONFLICT.merge(EMPTY, List.of(
                w("a", Map.of("x", 1, "y", List.of(1))), w("b", Map.of("x", 1, "y", List.of(1), "z", 3)))));
    }

    @Test
    void errorOnConflictFailsOnDifferentValuesEvenListsAndMapsThatContextUpdateWouldCombine() {
        MergeConflictException lists = assertThrows(MergeConflictException.class,
                () -> MergeStrategies.ERROR_ON_CONFLICT.merge(EMPTY, List.of(
                        w("a", Map.of("log", List.of("a"))), w("b", Map.of("log", List.of("b"))))));
        MergeConflictException maps = assertThrows(MergeConflictException.class,
                () -> MergeStrategies.ERROR_ON_CONFLICT.merge(EMPTY, List.of(
                        w("a", Map.of("m", Map.of("k", 1))), w("b", Map.of("m", Map.of("j", 2))))));

        assertEquals("log", lists.getKey());
        assertEquals(List.of("a", "b"), lists.getBranches());
        assertTrue(lists.getMessage().contains("ERROR_ON_CONFLICT"), lists.getMessage());
        assertEquals("m", maps.getKey());
    }

    @Test
    void errorOnConflictInAParallelStepFailsTheStep() {
        ParallelPlan plan = parallel(branches("a", writing(Map.of("x", 1), "A"), "b", writing(Map.of("x", 2), "B")),
                MergeStrategies.ERROR_ON_CONFLICT, null);

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        MergeConflictException conflict = assertInstanceOf(MergeConflictException.class, e.getCause());
        assertEquals(List.of("a", "b"), conflict.getBranches());
    }

    // --- custom ---------------------------------------------------------------------------------------------------

    @Test
    void aCustomStrategyGetsTheParentAndTheSuccessfulBranchesInDeclaredOrder() {
        List<String> seenOrder = new ArrayList<>();
        MergeStrategy sum = (parent, writes) -> {
            int total = (Integer) parent.get("total");
            for (BranchWrites b : writes) {
                seenOrder.add(b.branch());
                total += (Integer) b.writes().get("n");
            }
            return Map.of("total", total);
        };
        ParallelPlan plan = parallel(branches("a", writing(Map.of("n", 1), "A"), "broken", failing("no"),
                "b", writing(Map.of("n", 2), "B"), "c", writing(Map.of("n", 3), "C")), sum, BranchFailurePolicy.IGNORE);

        StepResult result = await(execute(plan, "in", FlujoContext.of(Map.of("total", 10))));

        assertEquals(Map.of("total", 16), result.contextUpdates());
        assertEquals(List.of("a", "b", "c"), seenOrder, "a failed branch's writes are not merged");
    }

    @Test
    void aCustomStrategyReturningNullMergesNothing() {
        ParallelPlan plan = parallel(branches("a", writing(Map.of("n", 1), "A")), (parent, writes) -> null, null);

        assertEquals(Map.of(), await(execute(plan, "in")).contextUpdates());
    }

    @Test
    void aCustomStrategyThatThrowsFailsTheStep() {
        ParallelPlan plan = parallel(branches("a", writing(Map.of("n", 1), "A")), (parent, writes) -> {
            throw new MergeConflictException("mine", "n", List.of("a"));
        }, null);

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertInstanceOf(MergeConflictException.class, e.getCause());
        assertTrue(e.getFeedback().get(0).contains("mine"), e.getFeedback().toString());
    }
}
