package dev.flujo.core.exec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.context.CopyOnWriteContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCoreContextUpdateTest extends ExecutorCoreTestSupport {

    @Test
    void mapOutputBecomesTheContextUpdatesAndTheContextItselfIsUntouched() {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("title", "Hello");
        output.put("lang", "en");
        ScriptedAgent agent = ScriptedAgent.named("extractor").alwaysReturn(output);
        StepPlan plan = plan("extract", retries(0), agent).updatesContext(true).build();
        CopyOnWriteContext context = FlujoContext.of(Map.of("existing", 1));

        StepResult result = await(execute(plan, "doc", context));

        assertEquals(output, result.contextUpdates());
        assertEquals(List.of("title", "lang"), List.copyOf(result.contextUpdates().keySet()));
        assertEquals(Map.of("existing", 1), context.asMap());
        assertEquals(Map.of(), context.writes());
    }

    @Test
    void nonMapOutputFailsTheAttemptWithFeedbackAndTheRetryCanFixIt() {
        ScriptedAgent agent = ScriptedAgent.named("extractor").thenReturn("title: Hello").thenReturn(Map.of("title", "Hello"));
        StepPlan plan = plan("extract", retries(1), agent).updatesContext(true).build();

        StepResult result = await(execute(plan, "doc"));

        assertEquals(Map.of("title", "Hello"), result.contextUpdates());
        assertEquals(2, result.attempts());
        String feedback = agent.request(2).feedback();
        assertTrue(feedback.contains("updatesContext needs a Map output"), feedback);
        assertTrue(feedback.contains("java.lang.String"), feedback);
    }

    @Test
    void nonMapOutputOnEveryAttemptFailsTheStepWithoutContextUpdates() {
        ScriptedAgent agent = ScriptedAgent.named("extractor").alwaysReturn("not a map");
        StepPlan plan = plan("extract", retries(1), agent).updatesContext(true).sinkTo("raw").build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "doc"), FlujoStepFailedException.class);

        assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(Map.of(), e.getResult().contextUpdates());
        assertEquals(2, e.getAttempts());
    }

    @Test
    void mapWithNullValueOrNonStringKeyIsRejected() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("title", null);
        ScriptedAgent agent = ScriptedAgent.named("extractor")
                .thenReturn(withNull)
                .thenReturn(Map.of(42, "answer"))
                .thenReturn(Map.of("ok", true));
        StepPlan plan = plan("extract", retries(2), agent).updatesContext(true).build();

        StepResult result = await(execute(plan, "doc"));

        assertEquals(Map.of("ok", true), result.contextUpdates());
        assertTrue(result.feedback().get(0).contains("no value for key 'title'"), result.feedback().get(0));
        assertTrue(result.feedback().get(1).contains("string keys"), result.feedback().get(1));
    }

    @Test
    void sinkToStoresTheOutputUnderItsKey() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("the summary");
        StepPlan plan = plan("summarize", retries(0), agent).sinkTo("summary").build();

        StepResult result = await(execute(plan, "doc"));

        assertEquals("the summary", result.output());
        assertEquals(Map.of("summary", "the summary"), result.contextUpdates());
    }

    @Test
    void updatesContextAndSinkToCombine() {
        ScriptedAgent agent = ScriptedAgent.named("extractor").alwaysReturn(Map.of("title", "Hello"));
        StepPlan plan = plan("extract", retries(0), agent).updatesContext(true).sinkTo("extracted").build();

        StepResult result = await(execute(plan, "doc"));

        assertEquals(Map.of("title", "Hello", "extracted", Map.of("title", "Hello")), result.contextUpdates());
    }

    @Test
    void blankSinkToMeansNone() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("x");
        StepPlan plan = plan("summarize", retries(0), agent).sinkTo("  ").build();

        assertEquals(Map.of(), await(execute(plan, "doc")).contextUpdates());
    }

    @Test
    void failedAttemptLeavesNoContextUpdates() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("rejected draft").thenReturn("accepted");
        StepPlan plan = plan("summarize", retries(1), agent)
                .sinkTo("summary")
                .validators(List.of(validator("v", out -> "accepted".equals(out)
                        ? ValidationResult.ok()
                        : ValidationResult.fail("rejected"))))
                .build();

        StepResult result = await(execute(plan, "doc"));

        assertEquals(Map.of("summary", "accepted"), result.contextUpdates());
    }

    @Test
    void failedStepLeavesNoContextUpdates() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("rejected draft");
        StepPlan plan = plan("summarize", retries(0), agent)
                .sinkTo("summary")
                .validators(List.of(validator("v", out -> ValidationResult.fail("rejected"))))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "doc"), FlujoStepFailedException.class);

        assertEquals(Map.of(), e.getResult().contextUpdates());
        assertEquals(Map.of(), run.lastResult("summarize").contextUpdates());
    }
}
