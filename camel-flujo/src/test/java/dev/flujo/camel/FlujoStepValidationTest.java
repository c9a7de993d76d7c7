package dev.flujo.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** validators (FlujoValidator or Camel Predicate beans) and validate (a Simple predicate on the output). */
class FlujoStepValidationTest extends FlujoRouteTestSupport {

    private final TestAgents.ScriptedAgent shortThenLong = bind("shortThenLong", TestAgents.scripted("ab", "abcdef"));
    private final TestAgents.CountingAgent answersBad = bind("answersBad", TestAgents.answering("bad word"));
    private final TestAgents.ScriptedAgent badThenOk = bind("badThenOk", TestAgents.scripted("bad word", "fine"));
    private final TestAgents.CountingAgent planB = bind("planB", TestAgents.answering("clean fallback"));
    private final TestAgents.CountingAgent echoContext = bind("echoContext",
            TestAgents.answering(r -> "len-" + r.context().get("limit")));
    private final AtomicInteger notEmptyRuns = new AtomicInteger();
    private final AtomicInteger noBadWordsRuns = new AtomicInteger();
    private final AtomicInteger shortRuns = new AtomicInteger();

    // beans the routes name that no test reads back
    {
        bind("notEmpty", (FlujoValidator) (output, context) -> {
            notEmptyRuns.incrementAndGet();
            return output.toString().isEmpty() ? ValidationResult.fail("empty") : ValidationResult.ok();
        });
        bind("noBadWords", new FlujoValidator() {
            @Override
            public ValidationResult validate(Object output, dev.flujo.core.context.FlujoContext context) {
                noBadWordsRuns.incrementAndGet();
                return output.toString().contains("bad")
                        ? ValidationResult.fail("contains a bad word")
                        : ValidationResult.ok();
            }

            @Override
            public String name() {
                return "noBadWords";
            }
        });
        bind("shortEnough", new FlujoValidator() {
            @Override
            public ValidationResult validate(Object output, dev.flujo.core.context.FlujoContext context) {
                shortRuns.incrementAndGet();
                return output.toString().length() <= 4 ? ValidationResult.ok() : ValidationResult.fail("too long");
            }

            @Override
            public String name() {
                return "shortEnough";
            }
        });
        bind("throwing", (FlujoValidator) (output, context) -> {
            throw new IllegalArgumentException("validator crashed");
        });
        bind("withinLimit", (FlujoValidator) (output, context) -> {
            Integer limit = context.get("limit", Integer.class);
            return output.toString().length() <= limit ? ValidationResult.ok() : ValidationResult.fail("over limit");
        });
        bind("containsFine", (Predicate) e -> e.getMessage().getBody(String.class).contains("fine"));
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:validate").to("flujo:step:validate?agent=#shortThenLong&validate=RAW(${body.length} > 3)");
        r.from("direct:plainUri").to("flujo:step:plainUri?agent=#badThenOk&validate=${body} contains 'fine'");
        r.from("direct:all").to("flujo:step:all?agent=#answersBad&validators=#notEmpty,#noBadWords,#shortEnough");
        r.from("direct:both").to("flujo:step:both?agent=#answersBad&maxRetries=0&validators=#noBadWords"
                                 + "&validate=RAW(${body} startsWith 'good')");
        r.from("direct:predicate").to("flujo:step:predicate?agent=#badThenOk&validators=#containsFine");
        r.from("direct:throwing").to("flujo:step:throwing?agent=#badThenOk&maxRetries=0&validators=#throwing");
        r.from("direct:fallback").to("flujo:step:fallback?agent=#answersBad&validators=#noBadWords&fallback=#planB");
        r.from("direct:header").to("flujo:step:header?agent=#badThenOk&validate=RAW(${body} == ${header.expected})");
        r.from("direct:context").to("flujo:step:context?agent=#echoContext&maxRetries=0&validators=#withinLimit");
    }

    @Test
    void failedValidatePredicateIsRetried() {
        Exchange result = run("direct:validate");

        assertNull(result.getException());
        assertEquals("abcdef", result.getMessage().getBody());
        assertEquals(2, shortThenLong.calls());
        String feedback = shortThenLong.request(1).feedback();
        assertTrue(feedback.contains("${body.length} > 3"), feedback);
    }

    @Test
    void validateWithoutRawInTheUri() {
        Exchange result = run("direct:plainUri");

        assertNull(result.getException());
        assertEquals("fine", result.getMessage().getBody());
        assertEquals(2, badThenOk.calls());
    }

    @Test
    void everyValidatorRunsAndAllFailuresBecomeFeedback() {
        Exchange result = run("direct:all");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(2, answersBad.calls());
        // all three ran on both attempts: no short-circuit after the first failure
        assertEquals(2, notEmptyRuns.get());
        assertEquals(2, noBadWordsRuns.get());
        assertEquals(2, shortRuns.get());

        String feedback = answersBad.request(1).feedback();
        assertTrue(feedback.contains("noBadWords: contains a bad word"), feedback);
        assertTrue(feedback.contains("shortEnough: too long"), feedback);

        OutputRejectedException rejected = assertInstanceOf(OutputRejectedException.class, failure.getCause());
        assertEquals(2, rejected.getValidationFailures().size());
        assertEquals(List.of("noBadWords: contains a bad word", "shortEnough: too long"),
                failure.getResult().metadata().get(StepResult.META_VALIDATION_FAILURES));
    }

    @Test
    void validatorsAndValidateExpressionAllRun() {
        Exchange result = run("direct:both");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        OutputRejectedException rejected = assertInstanceOf(OutputRejectedException.class, failure.getCause());
        assertEquals(2, rejected.getValidationFailures().size(), rejected.getValidationFailures().toString());
        assertTrue(rejected.getValidationFailures().get(1).contains("startsWith 'good'"));
    }

    @Test
    void camelPredicateBeanAsValidator() {
        Exchange result = run("direct:predicate");

        assertEquals("fine", result.getMessage().getBody());
        assertEquals(2, badThenOk.calls());
        assertTrue(badThenOk.request(1).feedback().contains("#containsFine"), badThenOk.request(1).feedback());
    }

    @Test
    void throwingValidatorIsAFailedValidation() {
        Exchange result = run("direct:throwing");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertTrue(failure.getFeedback().get(0).contains("validator crashed"), failure.getFeedback().toString());
        assertInstanceOf(OutputRejectedException.class, failure.getCause());
    }

    @Test
    void validationFailuresLeadToFallback() {
        Exchange result = run("direct:fallback");

        assertNull(result.getException());
        assertEquals("clean fallback", result.getMessage().getBody());
        assertEquals(2, answersBad.calls());
        assertEquals(1, planB.calls());
        StepResult step = runOf(result).lastResult("fallback");
        assertTrue(String.valueOf(step.metadata().get(StepResult.META_ORIGINAL_ERROR)).contains("bad word"));
    }

    @Test
    void validatePredicateSeesTheExchangeHeaders() {
        Exchange result = template.request("direct:header", e -> {
            e.getMessage().setBody("q");
            e.getMessage().setHeader("expected", "fine");
        });

        assertEquals("fine", result.getMessage().getBody());
        assertEquals(2, badThenOk.calls());
    }

    @Test
    void validatorSeesTheContext() {
        Exchange ok = runWith("direct:context", Map.of("limit", 10));
        assertNull(ok.getException());
        assertEquals("len-10", ok.getMessage().getBody());

        Exchange tooLong = runWith("direct:context", Map.of("limit", 3));
        assertInstanceOf(FlujoStepFailedException.class, tooLong.getException());
    }
}
