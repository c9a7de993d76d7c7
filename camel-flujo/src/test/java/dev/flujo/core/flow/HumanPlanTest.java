package dev.flujo.core.flow;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.run.HumanInteraction;
import dev.flujo.core.state.InMemoryStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HumanPlanTest extends FlowTestSupport {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\"]}";

    private final InMemoryStateStore store = new InMemoryStateStore();

    private HumanPlan human(UsageLimits limits) {
        return new HumanPlan(
                new CompositeStep("approve", "human", limits, null),
                (input, ctx) -> "Approve " + input + " for " + ctx.get("tenant") + "?", SCHEMA, "direct:afterApproval",
                store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void savesEverythingNeededToContinueAndSucceedsPaused() {
        StepResult earlier = new StepResult(
                "extract", "refund 40 EUR", true, 1, 0, Usage.tokens(7, 3), null, null,
                null, null);
        run.record(earlier);
        run.ledger().reconcile(0, BigDecimal.ZERO, Usage.of(7, 3, new BigDecimal("0.01")));
        run.recordHumanInteraction(new HumanInteraction("triage", "Which queue?", "billing", NOW.minusSeconds(60)));
        FlujoContext context = FlujoContext.of(Map.of("tenant", "acme"));

        StepResult result = await(execute(human(new UsageLimits(null, 1000L)), "the refund", context));

        // the run answered a person once already: this pause has a pause id of its own, with a random token
        String pauseId = (String) result.metadata().get(StepResult.META_PAUSE_ID);
        assertTrue(pauseId.matches(java.util.regex.Pattern.quote(run.runId() + ".2.") + "[0-9a-f]{32}"), pauseId);
        PausedRun paused = store.load(pauseId).orElseThrow();
        assertEquals(pauseId, paused.pauseId());
        assertEquals(run.runId(), paused.runId());
        assertEquals(RunStatus.PAUSED, paused.status());
        assertEquals("approve", paused.stepName());
        assertEquals("Approve the refund for acme?", paused.message());
        assertEquals(SCHEMA, paused.answerSchema());
        assertEquals("direct:afterApproval", paused.resumeUri());
        assertEquals("the refund", paused.input());
        assertEquals(Map.of("tenant", "acme"), paused.context());
        assertEquals(List.of(earlier), paused.history(), "the history before the human step");
        assertEquals(10, paused.usage().totalTokens());
        assertEquals(1000L, paused.limits().tokenLimit(), "the human step's own limits are part of the run's");
        assertEquals(run.humanHistory(), paused.humanHistory());
        assertEquals(NOW, paused.pausedAt());
        assertEquals(List.of(pauseId), store.pausedRunIds(), "paused runs are listed by pause id");
        assertTrue(store.load(run.runId() + ".2").isEmpty(), "the pause id without its token is no pause id");

        assertTrue(result.success());
        assertEquals("Approve the refund for acme?", result.output());
        assertEquals(true, result.metadata().get(StepResult.META_PAUSED));
        assertEquals("human", result.metadata().get(StepResult.META_KIND));
        assertSame(result, last(run.history()));
    }

    @Test
    void inABranchRunItFailsWithAConfigurationErrorAndSavesNothing() {
        FlujoRun branch = run.branch();

        FlujoConfigurationException e = awaitFailure(
                human(null).execute(core, "x", FlujoContext.of(Map.of()), branch, List.of()),
                FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("'approve'"), e.getMessage());
        assertTrue(store.load(run.runId()).isEmpty());
        assertFalse(branch.history().get(0).success());
    }

    @Test
    void insideAParallelBranchTheParallelStepFailsWithTheConfigurationError() {
        HumanPlan plan = human(null);
        FlujoBranch pauses = call -> plan.execute(core, call.input(), call.context(), call.run(), List.of())
                .thenApply(StepResult::output);

        awaitFailure(execute(parallel(branches("ok", value(1), "pause", pauses), null, BranchFailurePolicy.IGNORE),
                "x", FlujoContext.of(Map.of("tenant", "acme"))), FlujoConfigurationException.class);

        assertTrue(store.pausedRunIds().isEmpty());
    }

    @Test
    void aMessageThatCannotBeMadeFailsTheStepAndSavesNothing() {
        HumanPlan plan = new HumanPlan(step("approve", "human"), (in, ctx) -> {
            throw new IllegalStateException("template broken");
        }, null, "direct:next", store, null);

        FlujoStepFailedException e = awaitFailure(execute(plan, "x"), FlujoStepFailedException.class);

        assertEquals(List.of("could not pause: IllegalStateException: template broken"), e.getFeedback());
        assertTrue(store.pausedRunIds().isEmpty());
    }

    @Test
    void aHumanStepWithoutResumeUriIsAConfigurationError() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> new HumanPlan(step("approve", "human"), (in, ctx) -> "?", null, " ", store, null));
        assertTrue(e.getMessage().contains("resumeUri"), e.getMessage());
    }
}
