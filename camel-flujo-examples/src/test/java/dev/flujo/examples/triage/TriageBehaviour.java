package dev.flujo.examples.triage;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.ResumeRejectedException;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.examples.ExampleAssertions;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the triage pipeline does, checked on the Java DSL ({@link TriageJavaDslTest}) and on the YAML route files
 * ({@link TriageYamlDslTest}) alike: the demo's sample tickets, then one ticket paused and resumed by hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TriageBehaviour {

    static final String TICKET = "I was charged twice for one invoice, please refund the extra payment.";

    Path dir;
    Main main;
    ProducerTemplate template;
    List<TriageDemo.Outcome> outcomes;

    /** {@code java} or {@code yaml}. */
    abstract String dsl();

    @BeforeAll
    void runTheSamples(@TempDir Path stateDir) throws Exception {
        dir = stateDir;
        main = TriageTestSupport.start(TriageTestSupport.main(dsl()), dir, Map.of());
        template = main.getCamelContext().createProducerTemplate();
        outcomes = TriageDemo.runSamples(main.getCamelContext());
    }

    @AfterAll
    void stop() {
        main.stop();
    }

    private static List<String> names(List<StepResult> results) {
        return results.stream().map(StepResult::name).toList();
    }

    @Test
    void everyTicketWithinBudgetGoesThroughEveryStepToItsReply() {
        assertEquals(5, outcomes.size());
        for (TriageDemo.Outcome o : outcomes.subList(0, 4)) {
            assertNull(o.error(), o.ticket());
            FlujoRun run = o.run();
            assertEquals(List.of("classify", "investigate", "summarize", "approve", "reply"), names(run.history()));
            StepResult investigate = run.lastResult("investigate");
            assertEquals(List.of("research", "policy"), names(investigate.children()), "the parallel branches");
            assertTrue(o.approval().startsWith("Approve this plan for a " + run.lastResult("classify").output()
                                               + " ticket? "),
                    o.approval());
            assertTrue(String.valueOf(o.reply()).startsWith("Dear customer"), String.valueOf(o.reply()));
        }
        assertEquals(List.of("billing", "technical", "general", "billing"),
                outcomes.subList(0, 4).stream().map(o -> o.run().lastResult("classify").output()).toList());
    }

    @Test
    void theParallelBranchesWorkFromTheCategory() {
        StepResult investigate = outcomes.get(1).run().lastResult("investigate");
        assertEquals(Map.of("research", "KB-204: version 4.2 crashes on the Android settings screen; 4.2.1 fixes it"
                                        + " this week.",
                "policy", "offer the fixed version and a workaround"), investigate.output());
    }

    @Test
    void summarizeIsRetriedWithTheValidationFeedbackAndTheSummaryIsWhatThePersonIsAsked() {
        for (TriageDemo.Outcome o : outcomes.subList(0, 4)) {
            StepResult summarize = o.run().lastResult("summarize");
            assertEquals(2, summarize.attempts());
            assertTrue(summarize.feedback().get(0).contains("${body.length} <= 160"), summarize.feedback().toString());
            String summary = summarize.output().toString();
            assertTrue(summary.length() <= 160, summary);
            assertTrue(o.approval().endsWith(summary), o.approval());
        }
    }

    @Test
    void theReviewersAnswerDecidesTheReply() {
        assertEquals("Dear customer, thank you for writing to us. We have refunded the duplicate payment; it reaches"
                     + " your card within 5 working days. Kind regards, the support team.",
                outcomes.get(0).reply());
        assertEquals(Map.of("approved", false), outcomes.get(2).run().lastResult("approve").output());
        assertTrue(outcomes.get(2).reply().toString().contains("A specialist will look into your request"));
    }

    @Test
    void theRepeatedTicketIsClassifiedFromTheCacheAtNoCost() {
        StepResult first = outcomes.get(0).run().lastResult("classify");
        ExampleAssertions.assertAnsweredFromCache(first, outcomes.get(3).run().lastResult("classify"));
        assertEquals(outcomes.get(0).run().usage().totalTokens() - first.usage().totalTokens(),
                outcomes.get(3).run().usage().totalTokens(), "the same run but for the classification");
    }

    @Test
    void runTotalsAreTheStepsUsagePricedByTheComponentDefaultsWithinTheLimits() {
        for (TriageDemo.Outcome o : outcomes) {
            ExampleAssertions.assertUsageIsThePricedSumOfTheSteps(o.run());
            assertEquals(800L, o.run().limits().tokenLimit());
            assertEquals(0, new BigDecimal("0.01").compareTo(o.run().limits().costLimitUsd()));
        }
    }

    @Test
    void theLongTicketIsStoppedByTheTokenLimitBeforeAnyoneIsAsked() {
        TriageDemo.Outcome o = outcomes.get(4);
        UsageLimitExceededException breach = assertInstanceOf(UsageLimitExceededException.class, o.error());
        assertEquals("summarize", breach.getStepName());
        assertTrue(breach.getTotals().totalTokens() > 800, breach.getMessage());
        assertEquals(breach.getTotals().totalTokens(), o.run().usage().totalTokens());
        assertNull(o.approval(), "the run never paused");
        assertEquals(List.of("classify", "investigate", "summarize"), names(o.run().history()));
    }

    @Test
    void theApprovalPausesTheRunInTheStateStoreAndTheAnswerResumesItOnce() {
        Exchange paused = template.request("direct:triage", e -> e.getMessage().setBody(TICKET));
        assertNull(paused.getException());
        assertEquals(FlujoConstants.STATUS_PAUSED, paused.getMessage().getHeader(FlujoConstants.STATUS));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        assertEquals(RunStatus.PAUSED, storedStatus(runId));
        assertFalse(names(runOf(paused).history()).contains("reply"), "nothing after the approval ran");

        Exchange resumed = resume(runId, "{\"approved\": true, \"note\": \"Refunded.\"}");

        assertNull(resumed.getException());
        assertEquals(FlujoConstants.STATUS_RESUMED, resumed.getMessage().getHeader(FlujoConstants.STATUS));
        assertEquals("Dear customer, thank you for writing to us. Refunded. Kind regards, the support team.",
                resumed.getMessage().getBody());
        FlujoRun run = runOf(resumed);
        assertEquals(runOf(paused).runId(), run.runId(), "the same run continues");
        assertEquals(List.of("classify", "investigate", "summarize", "approve", "reply"), names(run.history()));
        assertTrue(run.usage().totalTokens() > runOf(paused).usage().totalTokens(), "usage before the pause is kept");
        assertEquals("billing", resumed.getProperty("category"), "the context is restored");
        assertEquals(RunStatus.RESUMED, storedStatus(runId));

        Exchange again = resume(runId, "{\"approved\": true}");
        assertInstanceOf(ResumeRejectedException.class, again.getException());
    }

    @Test
    void anAnswerOutsideTheSchemaIsRejectedAndTheRunStaysPaused() {
        Exchange paused = template.request("direct:triage", e -> e.getMessage().setBody(TICKET));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange rejected = resume(runId, "{\"note\": \"no decision\"}");

        assertInstanceOf(ResumeRejectedException.class, rejected.getException());
        assertTrue(rejected.getException().getMessage().contains("approved"), rejected.getException().getMessage());
        assertEquals(RunStatus.PAUSED, storedStatus(runId));
        assertNull(resume(runId, "{\"approved\": false}").getException());
    }

    private Exchange resume(String runId, String answer) {
        return template.request("direct:triage-resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody(answer);
        });
    }

    private RunStatus storedStatus(String runId) {
        return new JdbcStateStore(TriageTestSupport.stateUrl(dir)).load(runId).orElseThrow().status();
    }

    private static FlujoRun runOf(Exchange exchange) {
        return exchange.getProperty(FlujoConstants.RUN, FlujoRun.class);
    }
}
