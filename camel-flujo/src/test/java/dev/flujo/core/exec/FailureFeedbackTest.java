package dev.flujo.core.exec;

import java.time.Duration;

import dev.flujo.core.FlujoStepFailedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feedback and messages of a failed step stay short and say each thing once: a model reads the feedback, an
 * operator the message.
 */
class FailureFeedbackTest extends ExecutorCoreTestSupport {

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theFailureMessageQuotesTheCauseOnce() {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenThrow(new IllegalStateException("the model is overloaded"));
        StepPlan plan = plan("s", config().set("maxRetries", 0).build(), agent).build();

        FlujoStepFailedException failed = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(1, occurrences(failed.getMessage(), "the model is overloaded"), failed.getMessage());
    }

    @Test
    void aNestedStepsFailureIsQuotedOnceByTheOuterStep() {
        ScriptedAgent inner = ScriptedAgent.named("inner").thenThrow(new IllegalStateException("boom"));
        StepPlan innerPlan = plan("inner", config().set("maxRetries", 0).build(), inner).build();
        FlujoStepFailedException innerFailure = awaitFailure(execute(innerPlan, "q"), FlujoStepFailedException.class);
        ScriptedAgent outer = ScriptedAgent.named("outer").thenThrow(innerFailure);
        StepPlan outerPlan = plan("outer", config().set("maxRetries", 0).build(), outer).build();

        FlujoStepFailedException failed = awaitFailure(execute(outerPlan, "q"), FlujoStepFailedException.class);

        assertEquals(1, occurrences(failed.getMessage(), "boom"), failed.getMessage());
    }

    @Test
    void aLongErrorIsCutInTheFeedback() {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenThrow(new IllegalStateException("x".repeat(5000)))
                .thenReturn("ok");
        StepPlan plan = plan("s", config().set("maxRetries", 1).set("retryDelay", Duration.ZERO).build(), agent)
                .build();

        var result = await(execute(plan, "q"));

        assertTrue(result.feedback().get(0).length() <= 600, "feedback of " + result.feedback().get(0).length());
    }
}
