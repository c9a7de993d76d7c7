package dev.flujo.core.exec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.FlujoProcessor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCoreProcessorTest extends ExecutorCoreTestSupport {

    @Test
    void promptAndOutputProcessorsRunInOrder() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenThrow(new IllegalStateException("x")).alwaysReturn("out");
        StepPlan plan = plan("draft", retries(1), agent)
                .promptProcessors(List.of((v, c) -> v + "-p1", (v, c) -> v + "-p2", (v, c) -> v + "-p3"))
                .outputProcessors(List.of((v, c) -> v + "-o1", (v, c) -> v + "-o2"))
                .build();

        StepResult result = await(execute(plan, "in"));

        assertEquals("in-p1-p2-p3", agent.request(1).input());
        // every attempt starts from the step input again, not from the previous attempt's prompt
        assertEquals("in-p1-p2-p3", agent.request(2).input());
        assertEquals("out-o1-o2", result.output());
    }

    @Test
    void singlePromptProcessorIsApplied() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        StepPlan plan = plan("draft", retries(0), agent)
                .promptProcessors(List.of((v, c) -> "Translate to " + c.get("lang") + ": " + v))
                .build();

        await(execute(plan, "hola", FlujoContext.of(Map.of("lang", "en"))));

        assertEquals("Translate to en: hola", agent.request(1).input());
    }

    @Test
    void throwingPromptProcessorFailsTheAttemptBeforeTheAgentIsCalled() {
        AtomicInteger calls = new AtomicInteger();
        FlujoProcessor flaky = (v, c) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalArgumentException("template missing");
            }
            return v + "!";
        };
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        StepPlan plan = plan("draft", retries(1), agent).promptProcessors(List.of(flaky)).build();

        StepResult result = await(execute(plan, "in"));

        assertEquals(1, agent.calls());
        assertEquals(2, result.attempts());
        assertEquals("in!", agent.request(1).input());
        assertTrue(result.feedback().get(0).contains("prompt processor failed"), result.feedback().get(0));
        assertTrue(result.feedback().get(0).contains("template missing"), result.feedback().get(0));
        assertEquals(result.feedback().get(0), agent.request(1).feedback());
    }

    @Test
    void throwingPromptProcessorOnEveryAttemptFailsTheStepWithItsException() {
        IllegalArgumentException broken = new IllegalArgumentException("template missing");
        AtomicInteger secondRan = new AtomicInteger();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        StepPlan plan = plan("draft", retries(0), agent)
                .promptProcessors(List.of((v, c) -> {
                    throw broken;
                }, (v, c) -> {
                    secondRan.incrementAndGet();
                    return v;
                }))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertSame(broken, e.getCause());
        assertEquals(0, agent.calls());
        assertEquals(0, secondRan.get());
    }

    @Test
    void throwingOutputProcessorFailsTheAttemptAndLaterProcessorsDoNotRun() {
        IllegalStateException parseError = new IllegalStateException("unparseable");
        AtomicInteger laterRan = new AtomicInteger();
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("garbage").thenReturn("{}");
        StepPlan plan = plan("draft", retries(1), agent)
                .outputProcessors(List.of((v, c) -> {
                    if ("garbage".equals(v)) {
                        throw parseError;
                    }
                    return "parsed " + v;
                }, (v, c) -> {
                    laterRan.incrementAndGet();
                    return v + " done";
                }))
                .build();

        StepResult result = await(execute(plan, "in"));

        assertEquals("parsed {} done", result.output());
        assertEquals(1, laterRan.get());
        assertEquals(2, result.attempts());
        String feedback = agent.request(2).feedback();
        assertTrue(feedback.contains("unparseable"), feedback);
        assertTrue(feedback.contains("output processor"), feedback);
    }

    @Test
    void throwingOutputProcessorOnTheLastAttemptIsTheCause() {
        IllegalStateException parseError = new IllegalStateException("unparseable");
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("garbage");
        StepPlan plan = plan("draft", retries(0), agent)
                .outputProcessors(List.of((v, c) -> {
                    throw parseError;
                }))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "in"), FlujoStepFailedException.class);

        assertSame(parseError, e.getCause());
    }
}
