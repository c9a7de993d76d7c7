package dev.flujo.core.exec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorCoreValidationTest extends ExecutorCoreTestSupport {

    @Test
    void allValidatorsRunAndEveryFailureIsReported() {
        AtomicInteger ranLength = new AtomicInteger();
        AtomicInteger ranFormat = new AtomicInteger();
        AtomicInteger ranPassing = new AtomicInteger();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("hi");
        StepPlan plan = plan("draft", retries(0), agent)
                .validators(List.of(
                        validator("length", out -> {
                            ranLength.incrementAndGet();
                            return ValidationResult.fail("too short");
                        }),
                        validator("passing", out -> {
                            ranPassing.incrementAndGet();
                            return ValidationResult.ok();
                        }),
                        validator("format", out -> {
                            ranFormat.incrementAndGet();
                            return ValidationResult.fail("not json");
                        })))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(1, ranLength.get());
        assertEquals(1, ranPassing.get());
        assertEquals(1, ranFormat.get());
        List<String> expected = List.of("length: too short", "format: not json");
        OutputRejectedException cause = assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(expected, cause.getValidationFailures());
        assertEquals(expected, e.getResult().metadata().get(StepResult.META_VALIDATION_FAILURES));
        String feedback = e.getFeedback().get(0);
        assertTrue(feedback.contains("length: too short"), feedback);
        assertTrue(feedback.contains("format: not json"), feedback);
    }

    @Test
    void retryFeedbackCarriesEveryValidatorFailure() {
        ScriptedAgent agent = ScriptedAgent.named("writer").thenReturn("hi").thenReturn("{\"text\":\"hello world\"}");
        StepPlan plan = plan("draft", retries(1), agent)
                .validators(List.of(
                        validator("length", out -> out.toString().length() < 5
                                ? ValidationResult.fail("too short")
                                : ValidationResult.ok()),
                        validator("format", out -> out.toString().startsWith("{")
                                ? ValidationResult.ok()
                                : ValidationResult.fail("not json"))))
                .build();

        StepResult result = await(execute(plan, "q"));

        assertEquals(2, result.attempts());
        String feedback = agent.request(2).feedback();
        assertTrue(feedback.contains("length: too short"), feedback);
        assertTrue(feedback.contains("format: not json"), feedback);
    }

    @Test
    void throwingValidatorCountsAsAFailureAndTheOthersStillRun() {
        AtomicInteger otherRan = new AtomicInteger();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        StepPlan plan = plan("draft", retries(0), agent)
                .validators(List.of(
                        validator("exploding", out -> {
                            throw new IllegalArgumentException("kaput");
                        }),
                        validator("other", out -> {
                            otherRan.incrementAndGet();
                            return ValidationResult.fail("also wrong");
                        })))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(1, otherRan.get());
        OutputRejectedException cause = assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(List.of("exploding threw IllegalArgumentException: kaput", "other: also wrong"),
                cause.getValidationFailures());
    }

    @Test
    void checkedExceptionFromValidatorCountsAsAFailure() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        FlujoValidator checked = new FlujoValidator() {
            @Override
            public ValidationResult validate(Object output, FlujoContext context) throws Exception {
                throw new java.io.IOException("schema not found");
            }

            @Override
            public String name() {
                return "schema";
            }
        };
        StepPlan plan = plan("draft", retries(0), agent).validators(List.of(checked)).build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        OutputRejectedException cause = assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(List.of("schema threw IOException: schema not found"), cause.getValidationFailures());
    }

    @Test
    void nullResultAndFailureWithoutFeedbackAreFailures() {
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("out");
        StepPlan plan = plan("draft", retries(0), agent)
                .validators(List.of(
                        validator("silent", out -> null),
                        validator("terse", out -> ValidationResult.fail(null))))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        OutputRejectedException cause = assertInstanceOf(OutputRejectedException.class, e.getCause());
        assertEquals(List.of("silent returned no result", "terse: invalid output"), cause.getValidationFailures());
    }

    @Test
    void validatorsSeeTheProcessedOutputAndTheContext() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        ScriptedAgent agent = ScriptedAgent.named("writer").alwaysReturn("raw");
        FlujoValidator recording = new FlujoValidator() {
            @Override
            public ValidationResult validate(Object output, FlujoContext context) {
                seen.add(output);
                seen.add(context.get("lang"));
                return ValidationResult.ok();
            }
        };
        StepPlan plan = plan("draft", retries(0), agent)
                .outputProcessors(List.of((value, ctx) -> value.toString().toUpperCase()))
                .validators(List.of(recording))
                .build();

        StepResult result = await(execute(plan, "q", FlujoContext.of(Map.of("lang", "es"))));

        assertEquals("RAW", result.output());
        assertEquals(List.of("RAW", "es"), seen);
    }

    @Test
    void validatorThrowingAnErrorStillEndsTheStep() {
        ScriptedAgent agent = ScriptedAgent.named("a").alwaysReturn("out");
        StepPlan plan = plan("v", retries(1), agent)
                .validators(List.of((output, ctx) -> {
                    throw new AssertionError("validator bug");
                }))
                .build();

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertInstanceOf(AssertionError.class, e.getCause());
        assertFalse(e.getResult().success());
        assertEquals(List.of(e.getResult()), run.history());
    }
}
