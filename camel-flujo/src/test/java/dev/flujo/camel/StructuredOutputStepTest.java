package dev.flujo.camel;

import java.util.Map;

import dev.flujo.core.FlujoStepFailedException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * outputSchema on a step: an answer that breaks the schema is retried with its problems as feedback, a passing one is
 * the output as a Map (or outputType), and the structured value survives the cache and the context; validateMessage is
 * the feedback a failed validate hands on.
 */
class StructuredOutputStepTest extends FlujoRouteTestSupport {

    private static final String SCHEMA = "resource:classpath:schemas/triage.schema.json";

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;

    /** The classification a step binds its answer to ({@code outputType}). */
    public record Triage(String category, String reason) {
    }

    private final TestAgents.ScriptedAgent repairs = bind("repairs", TestAgents.scripted(
            "```json\n{\"category\": \"refund\", \"reason\": \"money back\"}\n```",
            "{\"category\": \"billing\", \"reason\": \"money back\"}"));
    private final TestAgents.ScriptedAgent answers = bind("answers", TestAgents.scripted(
            "Here you go: {\"category\": \"outage\", \"reason\": \"site down\"}"));
    private final TestAgents.ScriptedAgent prose = bind("prose", TestAgents.scripted("It is about billing, I think."));
    private final TestAgents.ScriptedAgent shouts = bind("shouts", TestAgents.scripted("hello", "HELLO"));

    @Test
    void anAnswerThatBreaksTheSchemaIsRetriedWithItsProblemsAndTheRepairIsAMap() throws Exception {
        addRoute("direct:classify", "flujo:step:classify?agent=#repairs&outputSchema=" + SCHEMA);

        Exchange done = run("direct:classify");

        assertEquals(Map.of("category", "billing", "reason", "money back"), done.getMessage().getBody());
        assertEquals(2, repairs.calls());
        String feedback = repairs.request(1).feedback();
        assertTrue(feedback.contains("/category") && feedback.contains("output schema"), feedback);
    }

    @Test
    void outputTypeBindsTheAnswer() throws Exception {
        addRoute("direct:typed", "flujo:step:typed?agent=#answers&outputSchema=" + SCHEMA + "&outputType="
                                 + Triage.class.getName());

        assertEquals(new Triage("outage", "site down"), run("direct:typed").getMessage().getBody());
    }

    @Test
    void proseFailsWithTheParseErrorAsFeedback() throws Exception {
        addRoute("direct:prose", "flujo:step:prose?agent=#prose&maxRetries=1&outputSchema=" + SCHEMA);

        FlujoStepFailedException failed = exceptionOf(run("direct:prose"), FlujoStepFailedException.class);

        assertEquals(2, failed.getAttempts());
        assertTrue(failed.getFeedback().get(0).startsWith("the answer is not JSON"), failed.getFeedback()::toString);
    }

    @Test
    void aCachedStructuredOutputIsStillAMapAndSinkToKeepsIt() throws Exception {
        addRoutes(r -> r.from("direct:cached")
                .to("flujo:step:cached?agent=#answers&cache=true&sinkTo=triage&outputSchema=" + SCHEMA)
                .setBody(r.exchangeProperty("triage")));

        Object first = run("direct:cached").getMessage().getBody();
        Exchange second = run("direct:cached");

        assertEquals(Map.of("category", "outage", "reason", "site down"), first);
        assertEquals(first, second.getMessage().getBody());
        assertEquals(Boolean.TRUE, resultHeader(second, FlujoConstants.CACHE_HIT));
        assertEquals(1, answers.calls());
    }

    @Test
    void aStructuredOutputSurvivesAPauseAndTheResume() throws Exception {
        addRoutes(r -> {
            r.from("direct:triage-then-ask")
                    .to("flujo:step:classifyFirst?agent=#answers&sinkTo=triage&outputSchema=" + SCHEMA)
                    .to("flujo:human:confirm?stateStore=memory&resumeUri=direct:confirmed");
            r.from("direct:confirmed").setBody(r.exchangeProperty("triage"));
            r.from("direct:resume-it").to("flujo:resume?stateStore=memory");
        });
        Exchange paused = run("direct:triage-then-ask");
        String pauseId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange resumed = template.request("direct:resume-it", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, pauseId);
            e.getMessage().setBody("{\"ok\": true}");
        });

        Map<String, Object> triage = Map.of("category", "outage", "reason", "site down");
        assertEquals(triage, resumed.getMessage().getBody(), "the context write, restored");
        assertEquals(triage, FlujoAssertions.runOf(resumed).lastResult("classifyFirst").output(), "the history");
    }

    /**
     * The jdbc store keeps a run as JSON: an output bound to outputType comes back from a pause as its JSON, a Map -
     * docs/models.md says so; the memory store keeps the object itself.
     */
    @Test
    void aBoundOutputComesBackFromTheJdbcStoreAsItsJson() throws Exception {
        String store = "stateUrl=jdbc:sqlite:" + stateDir.resolve("state.db");
        addRoutes(r -> {
            r.from("direct:typed-then-ask")
                    .to("flujo:step:typedFirst?agent=#answers&sinkTo=triage&outputSchema=" + SCHEMA + "&outputType="
                        + Triage.class.getName())
                    .to("flujo:human:confirmTyped?" + store + "&resumeUri=direct:confirmed-typed");
            r.from("direct:confirmed-typed").setBody(r.exchangeProperty("triage"));
            r.from("direct:resume-typed").to("flujo:resume?" + store);
        });
        Exchange paused = run("direct:typed-then-ask");
        assertEquals(new Triage("outage", "site down"), paused.getProperty("triage"), "before the pause: the object");

        Exchange resumed = template.request("direct:resume-typed", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, paused.getMessage().getHeader(FlujoConstants.RUN_ID));
            e.getMessage().setBody("{\"ok\": true}");
        });

        assertEquals(Map.of("category", "outage", "reason", "site down"), resumed.getMessage().getBody());
    }

    @Test
    void validateMessageIsTheFeedbackOfAFailedValidate() throws Exception {
        addRoute("direct:shout", "flujo:step:shout?agent=#shouts&validate=${body} == ${body.toUpperCase()}"
                                 + "&validateMessage=Answer in capitals, not: ${body}");

        assertEquals("HELLO", run("direct:shout").getMessage().getBody());
        assertEquals("validation failed: validate: Answer in capitals, not: hello", shouts.request(1).feedback());
    }

    @Test
    void aSchemaThatCannotBeLoadedOrIsNoSchemaFailsTheStartNamingTheOption() {
        FlujoAssertions.assertRouteStartFails(context,
                "flujo:step:bad?agent=#answers&outputSchema=resource:classpath:nope.json", "outputSchema", "nope.json");
        FlujoAssertions.assertRouteStartFails(context, "flujo:step:bad2?agent=#answers&outputSchema=[1]",
                "outputSchema", "not a valid JSON Schema");
        FlujoAssertions.assertRouteStartFails(context, "flujo:step:bad3?agent=#answers&outputSchema=" + SCHEMA
                                                       + "&outputType=no.such.Type",
                "outputType", "no.such.Type");
    }

    @Test
    void outputTypeWithoutASchemaFailsTheStart() {
        FlujoAssertions.assertRouteStartFails(context, "flujo:step:typeOnly?agent=#answers&outputType=java.lang.String",
                "outputType", "set outputSchema too");
    }
}
