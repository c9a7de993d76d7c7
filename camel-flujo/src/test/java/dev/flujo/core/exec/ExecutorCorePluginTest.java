package dev.flujo.core.exec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.agent.AgentResolver;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.PluginInput;
import dev.flujo.core.step.PluginOutcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCorePluginTest extends ExecutorCoreTestSupport {

    @Test
    void pluginsRunByDescendingPriorityAndInDeclarationOrderOnTies() {
        List<String> order = new CopyOnWriteArrayList<>();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        StepPlan plan = plan("draft", retries(0), agent)
                .plugins(List.of(
                        plugin("low", 1, in -> log(order, "low")),
                        plugin("mid-a", 5, in -> log(order, "mid-a")),
                        plugin("high", 10, in -> log(order, "high")),
                        plugin("mid-b", 5, in -> log(order, "mid-b")),
                        plugin("negative", -3, in -> log(order, "negative"))))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("out", result.output());
        assertEquals(List.of("high", "mid-a", "mid-b", "low", "negative"), order);
    }

    private static PluginOutcome log(List<String> order, String name) {
        order.add(name);
        return PluginOutcome.success();
    }

    @Test
    void newSolutionReplacesTheOutputAndLaterPluginsSeeIt() {
        List<PluginInput> seenByLater = new CopyOnWriteArrayList<>();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("draft");
        StepPlan plan = plan("edit", retries(0), agent)
                .promptProcessors(List.of((value, ctx) -> value + " (prompted)"))
                .plugins(List.of(
                        plugin("polish", 10, in -> PluginOutcome.newSolution(in.output() + " polished")),
                        plugin("observer", 1, in -> {
                            seenByLater.add(in);
                            return null; // null counts as success
                        })))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("draft polished", result.output());
        assertEquals(1, seenByLater.size());
        PluginInput in = seenByLater.get(0);
        assertEquals("draft polished", in.output());
        assertEquals("q (prompted)", in.input());
        assertEquals("edit", in.stepName());
        assertEquals("writer", in.agent());
        assertEquals(1, in.attempt());
    }

    @Test
    void feedbackFailsTheAttemptAndTheStepRetries() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("untitled").thenReturn("# Title\nbody");
        StepPlan plan = plan("draft", retries(1), agent)
                .plugins(List.of(plugin("titleCheck", 0, in -> in.output().toString().startsWith("#")
                        ? PluginOutcome.success() : PluginOutcome.feedback("add a title"))))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("# Title\nbody", result.output());
        assertEquals(2, agent.calls());
        assertEquals(2, result.attempts());
        String feedback = agent.request(2).feedback();
        assertTrue(feedback.contains("titleCheck"), feedback);
        assertTrue(feedback.contains("add a title"), feedback);
    }

    @Test
    void feedbackEndsThePluginChainAndExhaustedAttemptsFailWithOutputRejected() {
        List<String> ran = new CopyOnWriteArrayList<>();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("meh");
        StepPlan plan = plan("draft", retries(1), agent)
                .plugins(List.of(
                        plugin("critic", 10, in -> {
                            ran.add("critic");
                            return PluginOutcome.feedback("not good enough");
                        }),
                        plugin("after", 1, in -> {
                            ran.add("after");
                            return PluginOutcome.success();
                        })))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(List.of("critic", "critic"), ran);
        OutputRejectedException cause = assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(List.of(), cause.getValidationFailures());
        assertTrue(cause.getMessage().contains("not good enough"), cause.getMessage());
        assertEquals(2, e.getAttempts());
    }

    @Test
    void throwingPluginFailsTheAttempt() {
        IllegalStateException boom = new IllegalStateException("plugin bug");
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        StepPlan plan = plan("draft", retries(0), agent)
                .plugins(List.of(plugin("buggy", 0, in -> {
                    throw boom;
                })))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertSame(boom, e.getCause());
        assertTrue(e.getFeedback().get(0).contains("buggy threw IllegalStateException: plugin bug"),
                e.getFeedback().get(0));
    }

    @Test
    void redirectCallsTheResolvedAgentWithTheSameInput() {
        List<String> resolved = new CopyOnWriteArrayList<>();
        ScriptedAgent a = ScriptedAgent.named("A").alwaysReturn("from A");
        ScriptedAgent b = ScriptedAgent.named("B").alwaysReturn("from B");
        AgentResolver resolver = ref -> {
            resolved.add(ref);
            return Map.of("B", b.asNamed()).get(ref);
        };
        List<String> agentsSeen = new CopyOnWriteArrayList<>();
        StepPlan plan = plan("route", retries(2), a)
                .promptProcessors(List.of((value, ctx) -> "prompt:" + value))
                .agentResolver(resolver)
                .plugins(List.of(plugin("router", 0, in -> {
                    agentsSeen.add(in.agent());
                    return "A".equals(in.agent()) ? PluginOutcome.redirect("B") : PluginOutcome.success();
                })))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("from B", result.output());
        assertEquals(1, a.calls());
        assertEquals(1, b.calls());
        assertEquals(List.of("B"), resolved);
        assertEquals("prompt:q", b.request(1).input());
        assertEquals(a.request(1).input(), b.request(1).input());
        assertEquals(a.request(1).attempt(), b.request(1).attempt());
        assertEquals(List.of("A", "B"), agentsSeen);
        assertEquals(List.of("B"), result.metadata().get(StepResult.META_REDIRECTS));
        assertEquals(1, result.attempts());
    }

    @Test
    void redirectCycleFailsWithConfigurationErrorWithoutLoopingOrRetrying() {
        ScriptedAgent a = ScriptedAgent.named("A").alwaysReturn("from A");
        ScriptedAgent b = ScriptedAgent.named("B").alwaysReturn("from B");
        Map<String, NamedAgent> agents = Map.of("A", a.asNamed(), "B", b.asNamed());
        StepPlan plan = plan("route", retries(3), a)
                .agentResolver(agents::get)
                .plugins(List.of(plugin("pingPong", 0,
                        in -> PluginOutcome.redirect("A".equals(in.agent()) ? "B" : "A"))))
                .build();

        FlujoConfigurationException e = awaitFailure(execute(plan, "q"), FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("A -> B -> A"), e.getMessage());
        assertTrue(e.getMessage().contains("route"), e.getMessage());
        assertEquals(1, a.calls());
        assertEquals(1, b.calls());
        StepResult recorded = run.lastResult("route");
        assertFalse(recorded.success());
        assertEquals(1, recorded.attempts());
        assertEquals(List.of("B"), recorded.metadata().get(StepResult.META_REDIRECTS));
    }

    @Test
    void redirectToTheSameAgentIsACycle() {
        ScriptedAgent a = ScriptedAgent.named("A").alwaysReturn("from A");
        StepPlan plan = plan("route", retries(3), a)
                .agentResolver(ref -> a.asNamed())
                .plugins(List.of(plugin("loop", 0, in -> PluginOutcome.redirect("A"))))
                .build();

        FlujoConfigurationException e = awaitFailure(execute(plan, "q"), FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("A -> A"), e.getMessage());
        assertEquals(1, a.calls());
    }

    @Test
    void unresolvableRedirectFailsWithConfigurationErrorAndIsNotRetried() {
        ScriptedAgent a = ScriptedAgent.named("A").alwaysReturn("from A");
        StepPlan plan = plan("route", retries(3), a)
                .plugins(List.of(plugin("router", 0, in -> PluginOutcome.redirect("direct:nowhere"))))
                .build();

        FlujoConfigurationException e = awaitFailure(execute(plan, "q"), FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("direct:nowhere"), e.getMessage());
        assertEquals(1, a.calls());
        assertNull(run.lastResult("route").output());
    }

    @Test
    void pluginOutcomesRejectNullArguments() {
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> PluginOutcome.feedback(null));
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> PluginOutcome.redirect(null));
        assertSame(PluginOutcome.success(), PluginOutcome.SUCCESS);
        assertNull(((PluginOutcome.NewSolution) PluginOutcome.newSolution(null)).output());
    }
}
