package dev.flujo.core.exec;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.resilience.ErrorClassifier;
import dev.flujo.core.resilience.ErrorClassifier.ErrorClass;
import dev.flujo.core.resilience.HttpFailure;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * enableOptimizedErrorHandling: agent errors a retry cannot fix end the attempts at once (and go to the fallback); the
 * rest are retried as before, and answers the validators reject are always retried with feedback.
 */
class ExecutorCoreErrorHandlingTest extends ExecutorCoreTestSupport {

    private StepPlan plan(boolean optimized, ScriptedAgent agent) {
        return plan("s", config().set("maxRetries", 3).set("retryDelay", java.time.Duration.ofMillis(1))
                .set("enableOptimizedErrorHandling", optimized).build(), agent).build();
    }

    private static ScriptedAgent alwaysThrowing(RuntimeException error) {
        return ScriptedAgent.named("llm").otherwise(r -> {
            throw error;
        });
    }

    @Test
    void aBadRequestIsNotRetriedWhenOnAndRetriedWhenOff() {
        ScriptedAgent on = alwaysThrowing(new IllegalArgumentException("prompt too long"));
        ScriptedAgent off = alwaysThrowing(new IllegalArgumentException("prompt too long"));

        FlujoStepFailedException fatal = awaitFailure(execute(plan(true, on), "q"), FlujoStepFailedException.class);
        awaitFailure(execute(plan(false, off), "q"), FlujoStepFailedException.class);

        assertEquals(1, on.calls());
        assertEquals(Boolean.TRUE, fatal.getResult().metadata().get(StepResult.META_FATAL_ERROR));
        assertEquals(4, off.calls(), "the option ignored would retry");
    }

    @Test
    void httpStatusDecides() {
        ScriptedAgent notFound = alwaysThrowing(new HttpFailure(404));
        ScriptedAgent overloaded = alwaysThrowing(new HttpFailure(503));
        ScriptedAgent throttled = alwaysThrowing(new HttpFailure(429));

        awaitFailure(execute(plan(true, notFound), "q"), FlujoStepFailedException.class);
        awaitFailure(execute(plan(true, overloaded), "q"), FlujoStepFailedException.class);
        awaitFailure(execute(plan(true, throttled), "q"), FlujoStepFailedException.class);

        assertEquals(1, notFound.calls());
        assertEquals(4, overloaded.calls());
        assertEquals(4, throttled.calls());
    }

    @Test
    void aSpentQuotaIsNotRetriedButAConflictIs() {
        ScriptedAgent quota = alwaysThrowing(new HttpFailure(429, "{\"error\":{\"code\":\"insufficient_quota\"}}"));
        ScriptedAgent conflict = alwaysThrowing(new HttpFailure(409, "{\"error\":\"conflict\"}"));

        OptimizationConfig noBackoff = config().set("maxRetries", 3).set("retryDelay", java.time.Duration.ZERO).build();

        FlujoStepFailedException spent
                = awaitFailure(execute(plan("s", noBackoff, quota).build(), "q"), FlujoStepFailedException.class);
        awaitFailure(execute(plan("s", noBackoff, conflict).build(), "q"), FlujoStepFailedException.class);

        assertEquals(1, quota.calls());
        assertEquals(Boolean.TRUE, spent.getResult().metadata().get(StepResult.META_FATAL_ERROR));
        assertEquals(4, conflict.calls());
    }

    @Test
    void ioErrorsAndUnknownErrorsAreRetried() {
        ScriptedAgent io = alwaysThrowing(new UncheckedIOException(new IOException("connection reset")));
        ScriptedAgent unknown = alwaysThrowing(new IllegalStateException("odd"));

        awaitFailure(execute(plan(true, io), "q"), FlujoStepFailedException.class);
        awaitFailure(execute(plan(true, unknown), "q"), FlujoStepFailedException.class);

        assertEquals(4, io.calls());
        assertEquals(4, unknown.calls());
    }

    @Test
    void rejectedAnswersAreStillRetriedWithFeedback() {
        ScriptedAgent agent = ScriptedAgent.named("llm").thenReturn("bad").thenReturn("good");
        StepPlan plan = plan("s",
                config().set("maxRetries", 3).set("retryDelay", java.time.Duration.ofMillis(1))
                        .set("enableOptimizedErrorHandling", true).build(),
                agent)
                .validators(java.util.List.of(validator("good", o -> "good".equals(o)
                        ? ValidationResult.ok()
                        : ValidationResult.fail("say good"))))
                .build();

        assertEquals("good", await(execute(plan, "q")).output());
        assertEquals(2, agent.calls());
    }

    @Test
    void aFatalErrorGoesStraightToTheFallback() {
        ScriptedAgent agent = alwaysThrowing(new HttpFailure(400));
        ScriptedAgent cheap = ScriptedAgent.named("cheap").thenReturn("stand-in");
        StepPlan plan = plan("s",
                config().set("maxRetries", 3).set("retryDelay", java.time.Duration.ofMillis(1))
                        .set("enableOptimizedErrorHandling", true).build(),
                agent)
                .fallback(cheap.asNamed()).build();

        StepResult result = await(execute(plan, "q"));

        assertEquals("stand-in", result.output());
        assertEquals(1, agent.calls());
    }

    @Test
    void classificationsAreRememberedPerTypeWithinTheCacheSize() {
        ErrorClassifier classifier = new ErrorClassifier(2);

        assertEquals(ErrorClass.FATAL, classifier.classify(new IllegalArgumentException()));
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new HttpFailure(502)));
        assertEquals(ErrorClass.FATAL, classifier.classify(new HttpFailure(401)), "the status is read per error");
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new IllegalStateException()));
        assertEquals(ErrorClass.FATAL, classifier.classify(new RuntimeException(new IllegalArgumentException())),
                "a wrapped cause decides when the wrapper does not");

        assertEquals(2, classifier.cachedTypes());
    }
}
