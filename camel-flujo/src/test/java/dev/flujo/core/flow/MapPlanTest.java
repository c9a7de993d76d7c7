package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapPlanTest extends FlowTestSupport {

    private static MapPlan map(FlujoBranch body, String itemsKey, BranchFailurePolicy policy) {
        return new MapPlan(step("map", "map"), body, itemsKey, null, policy, 0);
    }

    private static final FlujoBranch UPPER = call -> CompletableFuture.completedFuture(
            String.valueOf(call.input()).toUpperCase());

    @Test
    void outputIsInItemOrderWhenItemsFinishInReverse() throws Exception {
        Map<Object, CompletableFuture<Object>> held = new ConcurrentHashMap<>();
        CountDownLatch allStarted = new CountDownLatch(4);
        FlujoBranch waits = call -> {
            CompletableFuture<Object> f = held.computeIfAbsent(call.input(), k -> new CompletableFuture<>());
            allStarted.countDown();
            return f;
        };

        CompletableFuture<StepResult> future = execute(map(waits, null, null), List.of("w", "x", "y", "z"));
        assertTrue(allStarted.await(SAFETY_SECONDS, TimeUnit.SECONDS));
        for (String item : List.of("z", "y", "x", "w")) {
            held.get(item).complete(item + "!");
        }
        StepResult result = await(future);

        assertEquals(List.of("w!", "x!", "y!", "z!"), result.output());
        assertEquals(List.of("[0]", "[1]", "[2]", "[3]"), names(result.children()));
        assertEquals("map", result.metadata().get(StepResult.META_KIND));
    }

    @Test
    void aFailedItemUnderPropagateFailsTheStepNamingTheItem() {
        FlujoBranch failsOnBad = call -> "bad".equals(call.input())
                ? CompletableFuture.failedFuture(new IllegalArgumentException("cannot handle bad"))
                : CompletableFuture.completedFuture(call.input());

        FlujoStepFailedException e = awaitFailure(execute(map(failsOnBad, null, BranchFailurePolicy.PROPAGATE),
                List.of("ok", "fine", "bad")), FlujoStepFailedException.class);

        assertTrue(e.getFeedback().contains("branch [2] failed: IllegalArgumentException: cannot handle bad"),
                e.getFeedback().toString());
        assertTrue(((List<?>) e.getResult().metadata().get(StepResult.META_FAILED_BRANCHES)).contains("[2]"));
    }

    @Test
    void aFailedItemUnderIgnoreLeavesANullInItsPlaceAndIsListed() {
        FlujoBranch failsOnBad = call -> "bad".equals(call.input())
                ? CompletableFuture.failedFuture(new IllegalArgumentException("cannot handle bad"))
                : CompletableFuture.completedFuture(String.valueOf(call.input()).toUpperCase());

        StepResult result = await(execute(map(failsOnBad, null, BranchFailurePolicy.IGNORE),
                List.of("a", "b", "bad", "d")));

        assertEquals(Arrays.asList("A", "B", null, "D"), result.output());
        assertEquals(List.of("[2]"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
    }

    @Test
    void itemsCanComeFromAContextKey() {
        FlujoContext context = FlujoContext.of(Map.of("orders", List.of("o1", "o2")));

        StepResult result = await(execute(map(UPPER, "orders", null), "the input is not used", context));

        assertEquals(List.of("O1", "O2"), result.output());
    }

    @Test
    void anArrayIsAListOfItemsToo() {
        assertEquals(List.of("A", "B"), await(execute(map(UPPER, null, null), new String[] { "a", "b" })).output());
    }

    @Test
    void anInputThatIsNotAListFailsWithAClearMessage() {
        FlujoStepFailedException e = awaitFailure(execute(map(UPPER, null, null), "just a string"),
                FlujoStepFailedException.class);

        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("Map step 'map' needs a list of items, but its input is a java.lang.String", cause.getMessage());
        assertEquals(List.of("IllegalArgumentException: " + cause.getMessage()), e.getFeedback());
    }

    @Test
    void anAbsentItemsKeyFailsNamingTheKey() {
        FlujoStepFailedException e = awaitFailure(execute(map(UPPER, "orders", null), List.of("ignored")),
                FlujoStepFailedException.class);

        assertEquals("Map step 'map' has no items: context key 'orders' is absent", e.getCause().getMessage());
    }

    @Test
    void anEmptyListGivesAnEmptyOutput() {
        StepResult result = await(execute(map(UPPER, null, null), List.of()));

        assertTrue(result.success());
        assertEquals(List.of(), result.output());
        assertEquals(List.of(), result.children());
    }

    @Test
    void itemWritesToAListAreMergedInItemOrder() {
        FlujoBranch logs = call -> {
            List<Object> log = new ArrayList<>((List<?>) call.context().get("log"));
            log.add("did " + call.input());
            call.context().put("log", log);
            return CompletableFuture.completedFuture(call.input());
        };
        FlujoContext context = FlujoContext.of(Map.of("log", List.of("begin")));

        StepResult result = await(execute(map(logs, null, null), List.of(1, 2, 3), context));

        assertEquals(List.of("begin", "did 1", "did 2", "did 3"), result.contextUpdates().get("log"));
    }

    @Test
    void negativeMaxConcurrencyIsAConfigurationError() {
        assertThrows(FlujoConfigurationException.class,
                () -> new MapPlan(step("map", "map"), UPPER, null, null, null, -1));
    }
}
