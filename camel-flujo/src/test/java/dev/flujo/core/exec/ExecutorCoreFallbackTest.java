package dev.flujo.core.exec;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCoreFallbackTest extends ExecutorCoreTestSupport {

    @Test
    void fallbackRunsOnceAfterAllAttemptsFailed() {
        ScriptedAgent primary = ScriptedAgent.named("primary").alwaysThrow("primary down");
        ScriptedAgent backup = ScriptedAgent.named("backup").thenReturn("from backup");
        StepPlan plan = plan("draft", retries(1), primary).fallback(backup.asNamed()).build();

        StepResult result = await(execute(plan, "q"));

        assertEquals(2, primary.calls());
        assertEquals(1, backup.calls());
        assertTrue(result.success());
        assertEquals("from backup", result.output());
        assertEquals(2, result.attempts(), "the fallback call is not counted as an attempt");
        assertTrue(result.fallbackUsed());
        assertEquals(Boolean.TRUE, result.metadata().get(StepResult.META_FALLBACK));
        assertEquals("backup", result.metadata().get(StepResult.META_FALLBACK_AGENT));
        String original = (String) result.metadata().get(StepResult.META_ORIGINAL_ERROR);
        assertTrue(original.contains("IllegalStateException"), original);
        assertTrue(original.contains("primary down #2"), original);

        // the fallback gets the same input and all the feedback so far
        assertEquals("q", backup.request(1).input());
        assertEquals(3, backup.request(1).attempt());
        assertEquals(2, backup.request(1).feedbackHistory().size());
        assertEquals(backup.request(1).feedbackHistory().get(1), backup.request(1).feedback());
        // the fallback call knows whose fallback it is; ordinary attempts are in no chain
        assertEquals(List.of("draft"), backup.request(1).fallbackChain());
        assertEquals(List.of(), primary.request(1).fallbackChain());
    }

    @Test
    void fallbackIsNotUsedWhenAnAttemptSucceeds() {
        ScriptedAgent primary = ScriptedAgent.named("primary").thenThrow(new IllegalStateException("x")).thenReturn("ok");
        ScriptedAgent backup = ScriptedAgent.named("backup").alwaysReturn("from backup");
        StepPlan plan = plan("draft", retries(1), primary).fallback(backup.asNamed()).build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("ok", result.output());
        assertEquals(0, backup.calls());
        assertFalse(result.fallbackUsed());
        assertFalse(result.metadata().containsKey(StepResult.META_FALLBACK_AGENT));
    }

    @Test
    void failingFallbackFailsTheStep() {
        IllegalStateException backupError = new IllegalStateException("backup down too");
        ScriptedAgent primary = ScriptedAgent.named("primary").alwaysThrow("primary down");
        ScriptedAgent backup = ScriptedAgent.named("backup").thenThrow(backupError);
        StepPlan plan = plan("draft", retries(1), primary).fallback(backup.asNamed()).build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(1, backup.calls());
        assertSame(backupError, e.getCause());
        assertEquals(2, e.getAttempts());
        assertEquals(3, e.getFeedback().size());
        assertTrue(e.getFeedback().get(2).startsWith("fallback backup:"), e.getFeedback().get(2));
        assertTrue(e.getResult().fallbackUsed());
        assertTrue(e.getMessage().contains("and its fallback"), e.getMessage());
        assertEquals(List.of(e.getResult()), run.history());
    }

    @Test
    void fallbackOutputMustPassTheValidators() {
        ScriptedAgent primary = ScriptedAgent.named("primary").alwaysThrow("primary down");
        ScriptedAgent backup = ScriptedAgent.named("backup").thenReturn("bad backup output");
        StepPlan plan = plan("draft", retries(0), primary)
                .fallback(backup.asNamed())
                .validators(List.of(validator("noBad",
                        out -> out.toString().contains("bad") ? ValidationResult.fail("contains bad") : ValidationResult.ok())))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        OutputRejectedException rejected = assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(List.of("noBad: contains bad"), rejected.getValidationFailures());
        assertEquals(List.of("noBad: contains bad"), e.getResult().metadata().get(StepResult.META_VALIDATION_FAILURES));
        assertTrue(e.getResult().fallbackUsed());
        assertEquals(1, backup.calls());
    }

    @Test
    void fallbackOutputGoesThroughTheOutputProcessorsAndValidators() {
        ScriptedAgent primary = ScriptedAgent.named("primary").alwaysThrow("primary down");
        ScriptedAgent backup = ScriptedAgent.named("backup").thenReturn("backup");
        StepPlan plan = plan("draft", retries(0), primary)
                .fallback(backup.asNamed())
                .outputProcessors(List.of((value, ctx) -> value + "!"))
                .validators(List.of(validator("endsWithBang",
                        out -> out.toString().endsWith("!") ? ValidationResult.ok() : ValidationResult.fail("no bang"))))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("backup!", result.output());
        assertTrue(result.fallbackUsed());
    }

    @Test
    void stepAlreadyInItsFallbackChainFailsWithTheChainNamed() {
        ScriptedAgent agent = ScriptedAgent.named("primary").alwaysReturn("never");
        StepPlan plan = plan("a", retries(0), agent).build();

        FlujoConfigurationException e = awaitFailure(
                core.execute(plan, "q", FlujoContext.empty(), run, List.of("x", "a")), FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("x -> a -> a"), e.getMessage());
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertEquals(0, agent.calls());
        StepResult recorded = run.lastResult("a");
        assertFalse(recorded.success());

        // outside that chain the same step runs normally
        assertEquals("never", await(execute(plan, "q")).output());
    }

    @Test
    void fallbackThatRunsTheSameStepAgainIsACycle() {
        AtomicReference<StepPlan> self = new AtomicReference<>();
        ScriptedAgent primary = ScriptedAgent.named("primary").alwaysThrow("down");
        FlujoAgent rerun = request -> core.execute(self.get(), request.input(), request.context(), run,
                request.fallbackChain())
                .thenApply(r -> AgentResponse.of(r.output()));
        StepPlan plan = plan("a", retries(0), primary).fallback(new NamedAgent("flujo:step:a", rerun)).build();
        self.set(plan);

        FlujoConfigurationException e = awaitFailure(execute(plan, "q"), FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("a -> a"), e.getMessage());
        assertEquals(1, primary.calls(), "the nested run must not call the agent");
    }

    @Test
    void fallbackChainThroughAnotherStepBackToTheFirstIsACycle() {
        AtomicReference<StepPlan> planA = new AtomicReference<>();
        AtomicReference<StepPlan> planB = new AtomicReference<>();
        ScriptedAgent primaryA = ScriptedAgent.named("primaryA").alwaysThrow("A down");
        ScriptedAgent primaryB = ScriptedAgent.named("primaryB").alwaysThrow("B down");
        FlujoAgent runB = request -> core.execute(planB.get(), request.input(), request.context(), run,
                request.fallbackChain())
                .thenApply(r -> AgentResponse.of(r.output()));
        FlujoAgent runA = request -> core.execute(planA.get(), request.input(), request.context(), run,
                request.fallbackChain())
                .thenApply(r -> AgentResponse.of(r.output()));
        planA.set(plan("a", retries(0), primaryA).fallback(new NamedAgent("flujo:step:b", runB)).build());
        planB.set(plan("b", retries(0), primaryB).fallback(new NamedAgent("flujo:step:a", runA)).build());

        FlujoConfigurationException e = awaitFailure(execute(planA.get(), "q"), FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("a -> b -> a"), e.getMessage());
        assertEquals(1, primaryA.calls());
        assertEquals(1, primaryB.calls());
        assertTrue(run.history().stream().noneMatch(StepResult::success));
    }

    /**
     * Parallel branches of one exchange share its FlujoRun (FlujoRun is documented as thread-safe for exactly that).
     * While one branch runs step "s"'s fallback, another branch running step "s" is not a fallback cycle: nothing in
     * its own call chain is in a fallback.
     */
    @Test
    void parallelBranchRunningTheSameStepWhileAnotherIsInItsFallbackIsNotACycle() throws Exception {
        ScriptedAgent primary = ScriptedAgent.named("primary").alwaysThrow("down");
        ScriptedAgent backup = ScriptedAgent.named("backup").thenHang().alwaysReturn("fallback for branch 2");
        StepPlan plan = plan("s", retries(0), primary).fallback(backup.asNamed()).build();

        CompletableFuture<StepResult> branch1 = execute(plan, "item 1", FlujoContext.empty());
        CompletableFuture<AgentResponse> branch1Fallback = backup.nextPending();
        CompletableFuture<StepResult> branch2 = execute(plan, "item 2", FlujoContext.empty());
        branch1Fallback.complete(AgentResponse.of("fallback for branch 1"));

        assertEquals("fallback for branch 1", await(branch1).output());
        assertEquals("fallback for branch 2", await(branch2).output());
    }
}
