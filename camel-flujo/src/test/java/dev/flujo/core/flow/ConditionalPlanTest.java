package dev.flujo.core.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionalPlanTest extends FlowTestSupport {

    private final AtomicInteger billingRuns = new AtomicInteger();
    private final AtomicInteger techRuns = new AtomicInteger();

    private Map<String, FlujoBranch> categories() {
        return branches(
                "billing", (FlujoBranch) call -> {
                    billingRuns.incrementAndGet();
                    call.context().put("queue", "billing");
                    return CompletableFuture.completedFuture("billing handled " + call.input());
                },
                "tech", (FlujoBranch) call -> {
                    techRuns.incrementAndGet();
                    return CompletableFuture.completedFuture("tech handled " + call.input());
                });
    }

    private static final ConditionalPlan.Selector BY_CATEGORY = (input, ctx) -> ctx.get("category");

    private CompletableFuture<StepResult> route(ConditionalPlan plan, String category) {
        return execute(plan, "ticket-1", FlujoContext.of(Map.of("category", category)));
    }

    @Test
    void runsOnlyTheBranchOfTheSelectedKey() {
        ConditionalPlan plan = new ConditionalPlan(step("cond", "conditional"), BY_CATEGORY, categories(), null);

        StepResult result = await(route(plan, "billing"));

        assertEquals("billing handled ticket-1", result.output());
        assertEquals(List.of("billing"), result.metadata().get(StepResult.META_CHOSEN));
        assertEquals(Map.of("queue", "billing"), result.contextUpdates(), "the branch's writes are the step's");
        assertEquals(List.of("billing"), names(result.children()));
        assertEquals(1, billingRuns.get());
        assertEquals(0, techRuns.get());
        assertEquals("conditional", result.metadata().get(StepResult.META_KIND));
    }

    @Test
    void theDefaultBranchRunsWhenNoKeyMatches() {
        ConditionalPlan plan = new ConditionalPlan(
                step("cond", "conditional"), BY_CATEGORY, categories(),
                call -> CompletableFuture.completedFuture("triage " + call.input()));

        StepResult result = await(route(plan, "sales"));

        assertEquals("triage ticket-1", result.output());
        assertEquals(List.of(ConditionalPlan.DEFAULT), result.metadata().get(StepResult.META_CHOSEN));
        assertEquals(List.of("default"), names(result.children()));
        assertEquals(0, billingRuns.get() + techRuns.get());
    }

    @Test
    void aNullKeyTakesTheDefaultBranch() {
        ConditionalPlan plan = new ConditionalPlan(
                step("cond", "conditional"), (in, ctx) -> null, categories(),
                value("fallback"));

        assertEquals("fallback", await(execute(plan, "x")).output());
    }

    @Test
    void theKeyIsComparedAsAString() {
        ConditionalPlan plan = new ConditionalPlan(
                step("cond", "conditional"), (in, ctx) -> 2,
                branches("1", value("one"), "2", value("two")), null);

        assertEquals("two", await(execute(plan, "x")).output());
    }

    @Test
    void noMatchAndNoDefaultFailsNamingTheKeyAndListingTheKeys() {
        ConditionalPlan plan = new ConditionalPlan(step("cond", "conditional"), BY_CATEGORY, categories(), null);

        FlujoStepFailedException e = awaitFailure(route(plan, "sales"), FlujoStepFailedException.class);

        assertEquals("cond", e.getStepName());
        String message = e.getCause().getMessage();
        assertTrue(message.contains("'sales'"), message);
        assertTrue(message.contains("billing, tech"), message);
        assertTrue(e.getMessage().contains("sales"), e.getMessage());
        assertEquals(0, billingRuns.get() + techRuns.get());
    }

    @Test
    void aFailingSelectorFailsTheStep() {
        ConditionalPlan plan = new ConditionalPlan(step("cond", "conditional"), (in, ctx) -> {
            throw new IllegalArgumentException("no category");
        }, categories(), value("default"));

        FlujoStepFailedException e = awaitFailure(execute(plan, "x"), FlujoStepFailedException.class);

        assertEquals(List.of("condition failed: IllegalArgumentException: no category"), e.getFeedback());
    }

    @Test
    void aFailingBranchFailsTheStepNamingIt() {
        ConditionalPlan plan = new ConditionalPlan(
                step("cond", "conditional"), (in, ctx) -> "bad",
                branches("bad", failing("broken")), null);

        FlujoStepFailedException e = awaitFailure(execute(plan, "x"), FlujoStepFailedException.class);

        assertEquals(List.of("branch bad failed: IllegalStateException: broken"), e.getFeedback());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void aConditionalWithoutBranchesOrDefaultIsAConfigurationError() {
        assertThrows(FlujoConfigurationException.class,
                () -> new ConditionalPlan(step("cond", "conditional"), BY_CATEGORY, Map.of(), null));
        // only a default is allowed: every key takes it
        ConditionalPlan onlyDefault = new ConditionalPlan(
                step("cond", "conditional"), BY_CATEGORY, null,
                value("always"));
        assertEquals("always", await(route(onlyDefault, "anything")).output());
    }
}
