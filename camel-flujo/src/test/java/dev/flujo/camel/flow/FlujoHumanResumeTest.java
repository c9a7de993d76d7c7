package dev.flujo.camel.flow;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.ResumeRejectedException;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flujo:human pauses a run in a SQLite state store; flujo:resume continues it at resumeUri with the answer. */
class FlujoHumanResumeTest extends CamelTestSupport {

    static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\"],"
            + "\"properties\":{\"approved\":{\"type\":\"boolean\"},\"note\":{\"type\":\"string\"}}}";

    @TempDir
    Path dir;

    private final TestAgents.CountingAgent drafter = TestAgents.answering(r -> "draft for " + r.input(),
            Usage.tokens(7, 5));
    private final TestAgents.CountingAgent publisher = TestAgents.answering(r -> "published: " + r.input(),
            Usage.tokens(2, 1));
    private final TestAgents.CountingAgent bigPublisher = TestAgents.answering("too expensive", Usage.tokens(6, 4));

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("flujo-state.db");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("drafter", drafter);
        registry.bind("publisher", publisher);
        registry.bind("bigPublisher", bigPublisher);
        registry.bind("liner", TestAgents.answering(List.of("line 1", "line 2")));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String state = "stateUrl=" + stateUrl();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:review")
                        .setProperty("customer", constant("ada"))
                        .setProperty("attempt", constant(1))
                        .to("flujo:step:draft?agent=#drafter")
                        .to("flujo:human:approve?message=Approve '${body}' for ${exchangeProperty.customer}?"
                                + "&answerSchema=RAW(" + SCHEMA + ")&resumeUri=direct:after-approval&" + state)
                        .to("mock:not-reached");
                from("direct:after-approval")
                        .setBody(simple("${exchangeProperty.customer}: approved=${body[approved]}"))
                        .to("mock:approved")
                        .to("flujo:step:publish?agent=#publisher")
                        .to("mock:published");
                from("direct:resume").to("flujo:resume?" + state);

                // limits and usage survive the pause: 12 tokens before it, 10 after, limit 20
                from("direct:budget-review").to("flujo:step:budgetDraft?agent=#drafter&tokenLimit=20")
                        .to("flujo:human:budgetApprove?resumeUri=direct:budget-after&" + state);
                from("direct:budget-after").to("flujo:step:budgetPublish?agent=#bigPublisher")
                        .to("mock:budget-published");

                // two people in turn: the resumed route pauses the same run again
                from("direct:two-stage").to("flujo:human:legal?message=Legal OK?&resumeUri=direct:after-legal&" + state);
                from("direct:after-legal").setProperty("legal", simple("${body}"))
                        .to("flujo:human:finance?message=Finance OK after legal said ${body}?"
                                + "&resumeUri=direct:after-finance&" + state);
                from("direct:after-finance").setBody(simple("legal=${exchangeProperty.legal}, finance=${body}"))
                        .to("mock:both-approved");

                // a human step cannot pause a run from inside a branch
                from("direct:human-in-branch").to("flujo:parallel:withHuman?branches=ask=direct:ask,other=direct:other");
                from("direct:ask").to("flujo:human:branchHuman?resumeUri=direct:after-approval&" + state);
                from("direct:other").setBody(constant("other"));

                // a property Jackson cannot write
                from("direct:unstorable").setProperty("lock", constant(new Object()))
                        .to("flujo:human:holdOn?resumeUri=direct:after-approval&" + state).to("mock:not-reached");

                // a person per line of a split, after a step that created the run
                from("direct:lines").to("flujo:step:lines?agent=#liner")
                        .split(body()).to("flujo:human:line?message=Ship ${body}?&resumeUri=direct:after-approval&" + state)
                        .end().to("mock:after-split");

                // a human step inside a route that is a step's agent
                from("direct:asks").to("flujo:step:asks?agent=direct:asking-agent").to("mock:after-asks");
                from("direct:asking-agent").to("flujo:human:inAgent?message=Really ${body}?"
                        + "&resumeUri=direct:after-approval&" + state);
            }
        };
    }

    private Exchange pause(String uri, Object body) {
        Exchange paused = template.request(uri, e -> e.getMessage().setBody(body));
        assertNull(paused.getException(), () -> messages(paused.getException()));
        assertEquals(FlujoConstants.STATUS_PAUSED, paused.getMessage().getHeader(FlujoConstants.STATUS));
        return paused;
    }

    private static String runIdOf(Exchange paused) {
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        assertNotNull(runId, "CamelFlujoRunId header");
        return runId;
    }

    private Exchange resume(String runId, Object answer) {
        return template.request("direct:resume", e -> {
            if (runId != null) {
                e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            }
            e.getMessage().setBody(answer);
        });
    }

    private RunStatus storedStatus(String runId) {
        return new JdbcStateStore(stateUrl()).load(runId).orElseThrow().status();
    }

    @Test
    void pauseEndsTheExchangeWithTheMessageAndStopsTheRoute() throws Exception {
        getMockEndpoint("mock:not-reached").expectedMessageCount(0);

        Exchange paused = pause("direct:review", "refund #42");

        assertEquals("Approve 'draft for refund #42' for ada?", paused.getMessage().getBody());
        assertEquals("approve", paused.getMessage().getHeader(FlujoConstants.STEP_NAME));
        // the pause id is the run id (the exchange id, for the logs) and a random token (nobody guesses it)
        assertTrue(runIdOf(paused).matches(java.util.regex.Pattern.quote(runOf(paused).runId() + ".") + "[0-9a-f]{32}"),
                runIdOf(paused));
        assertEquals(true, lastResult(paused, "approve").metadata().get(StepResult.META_PAUSED));
        assertEquals(RunStatus.PAUSED, storedStatus(runIdOf(paused)));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void resumeContinuesAtResumeUriWithTheAnswerThePropertiesAndTheRun() throws Exception {
        MockEndpoint approved = getMockEndpoint("mock:approved");
        approved.expectedBodiesReceived("ada: approved=true");
        approved.expectedHeaderReceived(FlujoConstants.STATUS, FlujoConstants.STATUS_RESUMED);
        approved.expectedPropertyReceived("attempt", 1);
        getMockEndpoint("mock:published").expectedBodiesReceived("published: ada: approved=true");
        getMockEndpoint("mock:not-reached").expectedMessageCount(0);
        Exchange paused = pause("direct:review", "refund #42");
        String pauseId = runIdOf(paused);
        String runId = runOf(paused).runId();

        Exchange resumed = resume(pauseId, "{\"approved\": true, \"note\": \"fine\"}");

        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals(runId, resumed.getMessage().getHeader(FlujoConstants.RUN_ID), "on the resumed exchange: the run id");
        assertEquals("ada", resumed.getProperty("customer"));
        FlujoRun run = runOf(resumed);
        assertEquals(runId, run.runId(), "the same run continues");
        assertEquals(List.of("draft", "approve", "publish"), names(run.history()));
        StepResult human = run.lastResult("approve");
        assertEquals(Map.of("approved", true, "note", "fine"), human.output());
        assertEquals(true, human.metadata().get(StepResult.META_RESUMED));
        assertEquals("draft for refund #42", run.history().get(0).output());
        assertEquals(12 + 3, run.usage().totalTokens(), "the usage before the pause is carried over");
        assertEquals(1, run.humanHistory().size());
        assertEquals("Approve 'draft for refund #42' for ada?", run.humanHistory().get(0).message());
        assertEquals(RunStatus.RESUMED, storedStatus(pauseId));
        assertEquals(1, drafter.calls(), "nothing before the pause runs again");
    }

    @Test
    void limitsAndUsageSurviveThePause() throws Exception {
        getMockEndpoint("mock:budget-published").expectedMessageCount(0);
        String runId = runIdOf(pause("direct:budget-review", "q"));

        Exchange resumed = resume(runId, "\"go\"");

        UsageLimitExceededException breach = exceptionOf(resumed, UsageLimitExceededException.class);
        assertEquals("budgetPublish", breach.getStepName());
        assertEquals(22, breach.getTotals().totalTokens(), "12 before the pause + 10 after");
        assertEquals(20L, breach.getLimits().tokenLimit());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anAnswerBreakingTheSchemaIsRejectedWithTheReasonsAndTheRunStaysPaused() throws Exception {
        getMockEndpoint("mock:approved").expectedBodiesReceived("ada: approved=false");
        String runId = runIdOf(pause("direct:review", "refund #42"));

        Exchange wrongType = resume(runId, "{\"approved\": \"yes\"}");
        Exchange notJson = resume(runId, "yes, go ahead");
        Exchange missing = resume(runId, "{\"note\": \"forgot the field\"}");

        ResumeRejectedException rejected = exceptionOf(wrongType, ResumeRejectedException.class);
        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, rejected.getReason());
        assertEquals(runId, rejected.getRunId());
        assertFalse(rejected.getProblems().isEmpty());
        assertContains(String.join("\n", rejected.getProblems()), "approved");
        assertContains(rejected.getMessage(), "schema");
        ResumeRejectedException notJsonRejected = exceptionOf(notJson, ResumeRejectedException.class);
        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, notJsonRejected.getReason());
        assertContains(notJsonRejected.getMessage(), "not JSON");
        assertContains(String.join("\n", exceptionOf(missing, ResumeRejectedException.class).getProblems()),
                "approved");
        assertEquals(RunStatus.PAUSED, storedStatus(runId));

        Exchange good = resume(runId, "{\"approved\": false}");

        assertNull(good.getException(), () -> messages(good.getException()));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aSecondResumeOfTheSameRunFailsClearly() throws Exception {
        getMockEndpoint("mock:approved").expectedMessageCount(1);
        String runId = runIdOf(pause("direct:review", "refund #42"));
        assertNull(resume(runId, "{\"approved\": true}").getException());

        Exchange again = resume(runId, "{\"approved\": true}");

        ResumeRejectedException rejected = exceptionOf(again, ResumeRejectedException.class);
        assertEquals(ResumeRejectedException.Reason.NOT_PAUSED, rejected.getReason());
        assertContains(rejected.getMessage(), dev.flujo.core.state.PausedRun.shown(runId), "resumed already");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void twoConcurrentResumesOfOneRunContinueItOnce() throws Exception {
        getMockEndpoint("mock:approved").expectedMessageCount(1);
        String runId = runIdOf(pause("direct:review", "refund #42"));

        List<Future<Exchange>> replies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            replies.add(template.asyncSend("direct:resume", e -> {
                e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
                e.getMessage().setBody("{\"approved\": true}");
            }));
        }
        int succeeded = 0;
        for (Future<Exchange> reply : replies) {
            Exchange out = reply.get(10, TimeUnit.SECONDS);
            if (out.getException() == null) {
                succeeded++;
            } else {
                assertEquals(ResumeRejectedException.Reason.NOT_PAUSED,
                        exceptionOf(out, ResumeRejectedException.class).getReason());
            }
        }

        assertEquals(1, succeeded);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anUnknownOrMissingRunIdFailsClearly() {
        ResumeRejectedException unknown = exceptionOf(resume("no-such-run", "{\"approved\": true}"),
                ResumeRejectedException.class);
        assertEquals(ResumeRejectedException.Reason.UNKNOWN_RUN, unknown.getReason());
        assertContains(unknown.getMessage(), "no-such-run", "no paused run with this id");

        ResumeRejectedException missing = exceptionOf(resume(null, "{\"approved\": true}"),
                ResumeRejectedException.class);
        assertEquals(ResumeRejectedException.Reason.UNKNOWN_RUN, missing.getReason());
        assertContains(missing.getMessage(), "no run id given");
    }

    @Test
    void aResumedRouteCanPauseTheSameRunAgain() throws Exception {
        getMockEndpoint("mock:both-approved").expectedBodiesReceived("legal=yes, finance=also yes");
        Exchange first = pause("direct:two-stage", "contract");
        String runId = runOf(first).runId();

        Exchange second = resume(runIdOf(first), "yes");

        assertNull(second.getException(), () -> messages(second.getException()));
        assertEquals(FlujoConstants.STATUS_PAUSED, second.getMessage().getHeader(FlujoConstants.STATUS));
        assertEquals("Finance OK after legal said yes?", second.getMessage().getBody());
        String secondPause = runIdOf(second);
        assertTrue(secondPause.matches(java.util.regex.Pattern.quote(runId + ".2.") + "[0-9a-f]{32}"),
                "the same run pauses again, under a pause id of its own: " + secondPause);
        assertEquals(runId, runOf(second).runId());

        Exchange done = resume(secondPause, "also yes");

        assertNull(done.getException(), () -> messages(done.getException()));
        MockEndpoint.assertIsSatisfied(context);
        FlujoRun run = runOf(done);
        assertEquals(List.of("legal", "finance"), run.humanHistory().stream().map(h -> h.stepName()).toList());
        assertEquals(List.of("legal", "finance"), names(run.history()));
    }

    @Test
    void aHumanStepInsideABranchFailsNamingTheRestriction() {
        Exchange out = template.request("direct:human-in-branch", e -> e.getMessage().setBody("q"));

        FlujoConfigurationException error = exceptionOf(out, FlujoConfigurationException.class);
        assertContains(error.getMessage(), "branchHuman", "cannot pause a run inside a branch");
    }

    @Test
    void aPropertyThatCannotBeStoredFailsThePause() throws Exception {
        getMockEndpoint("mock:not-reached").expectedMessageCount(0);

        Exchange out = template.request("direct:unstorable", e -> e.getMessage().setBody("q"));

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("holdOn", failure.getStepName());
        // the step's own message names the property and its type, so the fix is obvious
        assertContains(failure.getMessage(), "could not pause", "not JSON-writable", "lock (a ");
        assertNull(out.getMessage().getHeader(FlujoConstants.STATUS));
        assertTrue(new JdbcStateStore(stateUrl()).pausedRunIds().isEmpty());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aHumanStepInsideASplitDoesNotLoseAPart() throws Exception {
        getMockEndpoint("mock:after-split").expectedMessageCount(0);

        Exchange out = template.request("direct:lines", e -> e.getMessage().setBody("order"));

        JdbcStateStore store = new JdbcStateStore(stateUrl());
        List<String> questions = store.pausedRunIds().stream().map(id -> store.load(id).orElseThrow().message()).toList();
        assertTrue(out.getException() != null || questions.containsAll(List.of("Ship line 1?", "Ship line 2?")),
                "either the split is refused like a parallel branch, or every part's pause is kept: " + questions);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aHumanStepInsideAnAgentRouteDoesNotLetTheCallerGoOn() throws Exception {
        getMockEndpoint("mock:after-asks").expectedMessageCount(0);

        Exchange out = template.request("direct:asks", e -> e.getMessage().setBody("q"));

        assertTrue(out.getException() != null
                        || FlujoConstants.STATUS_PAUSED.equals(out.getMessage().getHeader(FlujoConstants.STATUS)),
                "either refused, or the caller's exchange is paused too; body was: " + out.getMessage().getBody());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anUnresolvableResumeUriLeavesTheRunPaused() {
        // a human step checks its resumeUri at start, so a run paused with one nothing resolves comes from elsewhere:
        // another instance whose routes differ, or an older version of this one
        String runId = "paused-elsewhere";
        new JdbcStateStore(stateUrl()).save(new PausedRun(runId, RunStatus.PAUSED, "approve", "ok?", null,
                "nosuchscheme:after", "q", Map.of(), List.of(), Usage.ZERO, null, List.of(), Instant.now()));

        Exchange failed = resume(runId, "\"ok\"");

        assertNotNull(failed.getException(), "nosuchscheme:after cannot be resolved");
        assertContains(messages(failed.getException()), "nosuchscheme");
        assertEquals(RunStatus.PAUSED, storedStatus(runId), "a resume that continued nothing must not use the run up");
    }

    @Test
    void anUnresolvableResumeUriFailsTheRouteStartNamingTheOption() throws Exception {
        var route = new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:misrouted").to("flujo:human:misrouted?resumeUri=nosuchscheme:after&stateStore=memory");
            }
        };
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> context.addRoutes(route));
        assertContains(messages(e), "resumeUri", "nosuchscheme");
    }
}
