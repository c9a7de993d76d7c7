package dev.flujo.camel.flow;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.InMemoryStateStore;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.ResumeRejectedException;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.state.StateCodec;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.ProcessorEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * flujo:human pauses a run in a SQLite state store; flujo:resume continues it at resumeUri with the answer: what it
 * reads as the answer, what it refuses (leaving the run paused), and that no secret of a resumeUri leaks.
 */
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
    private final InMemoryStateStore memoryStore = new InMemoryStateStore();

    /** A component that takes any option, secrets included, and answers by setting a header: a stand-in for http. */
    static final class VaultComponent extends DefaultComponent {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            parameters.clear();
            return new ProcessorEndpoint(uri, this, exchange -> exchange.getMessage().setHeader("vault", remaining));
        }
    }

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("flujo-state.db");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("drafter", drafter);
        registry.bind("publisher", publisher);
        registry.bind("bigPublisher", bigPublisher);
        registry.bind("liner", TestAgents.answering(List.of("line 1", "line 2")));
        registry.bind("memoryStore", memoryStore);
        // an agent whose reply body is a stream, as an http endpoint's is
        registry.bind("streamingAgent", (FlujoAgent) request -> CompletableFuture.completedFuture(
                AgentResponse.of(new ByteArrayInputStream("a draft".getBytes(StandardCharsets.UTF_8)))));
        registry.bind("vault", new VaultComponent());
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

                // a stream output earlier in the run, then a pause
                from("direct:stream-then-pause").to("flujo:step:streamDraft?agent=#streamingAgent")
                        .convertBodyTo(String.class)
                        .to("flujo:human:streamApprove?resumeUri=direct:after-pause&" + state);
                from("direct:after-pause").to("mock:after-pause");

                // two people in turn, without messages
                from("direct:two-stage-bare").to("flujo:human:legal?resumeUri=direct:after-legal-bare&" + state);
                from("direct:after-legal-bare").setProperty("legal", simple("${body}"))
                        .to("flujo:human:finance?resumeUri=direct:after-finance-bare&" + state);
                from("direct:after-finance-bare").to("mock:after-finance");

                // a pause whose answer has a schema
                from("direct:schema-pause").to("flujo:human:schemaPause?resumeUri=direct:after-pause&" + state
                                               + "&answerSchema=RAW({\"type\":\"object\",\"required\":[\"approved\"]})");

                // a resumeUri with a secret that resolves
                from("direct:secret-pause").to("flujo:human:secretPause?stateStore=#memoryStore"
                                               + "&resumeUri=RAW(vault:after?password=TOPSECRET42)");

                // answers as bytes, in the memory store
                from("direct:ask-in-memory").to("flujo:human:ask?resumeUri=direct:answered&stateStore=memory"
                                                + "&answerSchema=RAW(" + SCHEMA + ")");
                from("direct:answered").to("mock:answered");
                from("direct:resume-in-memory").to("flujo:resume?stateStore=memory");

                // a forged run property
                from("direct:ask-forged").to("flujo:human:askForged?resumeUri=direct:answered&" + state);
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
        new JdbcStateStore(stateUrl()).save(new PausedRun(
                runId, RunStatus.PAUSED, "approve", "ok?", null,
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

    // --- from the review of the composite kinds -------------------------------------------------------------------

    @Test
    void aStreamOutputEarlierInTheRunDoesNotKeepTheRunFromPausing() {
        Exchange out = template.request("direct:stream-then-pause", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(FlujoConstants.STATUS_PAUSED, out.getMessage().getHeader(FlujoConstants.STATUS));
    }

    @Test
    void aResumeWhoseDirectRouteIsGoneLeavesTheRunPaused() {
        String runId = "paused-by-another-version";
        new JdbcStateStore(stateUrl()).save(new PausedRun(
                runId, RunStatus.PAUSED, "approve", "ok?", null,
                "direct:route-of-an-older-version?block=false", "q", Map.of(), List.of(), Usage.ZERO, null, List.of(),
                Instant.now()));

        Exchange failed = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("\"ok\"");
        });

        assertNotNull(failed.getException(), "nothing consumes direct:route-of-an-older-version");
        assertEquals(RunStatus.PAUSED, new JdbcStateStore(stateUrl()).load(runId).orElseThrow().status(),
                "a resume that continued nothing must not use the run up");
    }

    @Test
    void aDuplicateOfTheFirstAnswerDoesNotResumeTheSecondPause() throws Exception {
        getMockEndpoint("mock:after-finance").expectedBodiesReceived("finance says yes");
        Exchange first = template.request("direct:two-stage-bare", e -> e.getMessage().setBody("contract"));
        String firstKey = first.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        Exchange second = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, firstKey);
            e.getMessage().setBody("\"legal says yes\"");
        });
        assertEquals(FlujoConstants.STATUS_PAUSED, second.getMessage().getHeader(FlujoConstants.STATUS));
        String secondKey = second.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange duplicate = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, firstKey);
            e.getMessage().setBody("\"legal says yes\"");
        });

        assertNotNull(duplicate.getException(), "the legal answer was taken as finance's");
        assertInstanceOf(ResumeRejectedException.class, duplicate.getException());
        Exchange finance = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, secondKey);
            e.getMessage().setBody("\"finance says yes\"");
        });
        assertNull(finance.getException(), () -> messages(finance.getException()));
        getMockEndpoint("mock:after-finance").assertIsSatisfied();
    }

    // a pin: behaviour that is right
    @Test
    void anInputStreamAnswerIsReadAsJsonCheckedAndABadOneLeavesTheRunPaused() throws Exception {
        getMockEndpoint("mock:after-pause").expectedMessageCount(1);
        Exchange paused = template.request("direct:schema-pause", e -> e.getMessage().setBody("q"));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange bad = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody(new ByteArrayInputStream("{\"note\":1}".getBytes(StandardCharsets.UTF_8)));
        });
        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER,
                exceptionOf(bad, ResumeRejectedException.class).getReason());
        assertEquals(RunStatus.PAUSED, new JdbcStateStore(stateUrl()).load(runId).orElseThrow().status());

        Exchange good = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody(new ByteArrayInputStream("{\"approved\":true}".getBytes(StandardCharsets.UTF_8)));
        });
        assertNull(good.getException(), () -> messages(good.getException()));
        getMockEndpoint("mock:after-pause").assertIsSatisfied();
        assertEquals(Map.of("approved", true),
                getMockEndpoint("mock:after-pause").getReceivedExchanges().get(0).getMessage().getBody());
    }

    // --- secrets in a resumeUri (from the review of the composite kinds) ------------------------------------------

    @Test
    void aSecretInAnUnresolvableResumeUriDoesNotLeakIntoTheStartFailure() {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:leaky").to("flujo:human:leaky?stateStore=memory"
                                        + "&resumeUri=RAW(direct:after?apiKey=TOPSECRET42)");
            }
        }));
        String all = messages(e);
        assertContains(all, "resumeUri");
        assertFalse(all.contains("TOPSECRET42"), all);
    }

    @Test
    void aSecretInTheResumeUriIsNotWrittenToTheStateStore() {
        Exchange paused = template.request("direct:secret-pause", e -> e.getMessage().setBody("q"));
        assertNull(paused.getException(), () -> messages(paused.getException()));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        String stored = StateCodec.write(memoryStore.load(runId).orElseThrow());

        assertFalse(stored.contains("TOPSECRET42"), stored);
    }

    @Test
    void aSecretInAStoredResumeUriDoesNotLeakIntoTheResumeFailure() {
        String runId = "paused-with-a-key";
        new JdbcStateStore(stateUrl()).save(new PausedRun(
                runId, RunStatus.PAUSED, "approve", "ok?", null,
                "direct:after?apiKey=TOPSECRET42", "q", Map.of(), List.of(), Usage.ZERO, null, List.of(),
                Instant.now()));

        Exchange failed = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("\"ok\"");
        });

        assertNotNull(failed.getException());
        assertEquals(RunStatus.PAUSED, new JdbcStateStore(stateUrl()).load(runId).orElseThrow().status());
        String all = messages(failed.getException());
        assertFalse(all.contains("TOPSECRET42"), all);
    }

    // --- answers as bytes -----------------------------------------------------------------------------------------

    /*
     * Found by the resume payload stress test (issue 7): an answer arriving as bytes that are not UTF-8 - a byte[]
     * body, or a stream such as an HTTP request's, which flujo:resume read as text - resumed the run with U+FFFD in
     * place of what was sent. It is refused now, the run stays paused; a stream in a charset the exchange names is read
     * in that charset. These pause and resume in the memory store.
     */

    private static final String CAFE_ANSWER = "{\"approved\": true, \"note\": \"caf\u00e9\"}";

    private String pauseInMemory() {
        return template.request("direct:ask-in-memory", e -> e.getMessage().setBody("ship it?")).getMessage()
                .getHeader(FlujoConstants.RUN_ID, String.class);
    }

    private Exchange resumeInMemory(String pauseId, Object body, String charset) {
        return template.request("direct:resume-in-memory", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, pauseId);
            e.getMessage().setBody(body);
            if (charset != null) {
                e.setProperty(Exchange.CHARSET_NAME, charset);
            }
        });
    }

    private static void assertNotUtf8(Exchange resumed) {
        ResumeRejectedException e = exceptionOf(resumed, ResumeRejectedException.class);
        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, e.getReason());
        assertContains(e.getMessage(), "not UTF-8");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAndTheRunStaysPaused() throws Exception {
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.expectedMessageCount(1);
        String pauseId = pauseInMemory();
        byte[] latin1 = CAFE_ANSWER.getBytes(StandardCharsets.ISO_8859_1);

        assertNotUtf8(resumeInMemory(pauseId, latin1, null));
        assertNotUtf8(resumeInMemory(pauseId, new ByteArrayInputStream(latin1), null));
        assertNotUtf8(resumeInMemory(pauseId, new ByteArrayInputStream(latin1), "UTF-8"));

        Exchange resumed = resumeInMemory(pauseId, new ByteArrayInputStream(CAFE_ANSWER.getBytes(StandardCharsets.UTF_8)),
                null);
        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        answered.assertIsSatisfied();
        assertEquals(Map.of("approved", true, "note", "caf\u00e9"), answered.getExchanges().get(0).getMessage().getBody());
    }

    @Test
    void aStreamInTheCharsetTheExchangeNamesIsReadInIt() throws Exception {
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.expectedMessageCount(1);

        Exchange resumed = resumeInMemory(pauseInMemory(),
                new ByteArrayInputStream(CAFE_ANSWER.getBytes(StandardCharsets.ISO_8859_1)),
                "ISO-8859-1");

        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        answered.assertIsSatisfied();
        assertEquals(Map.of("approved", true, "note", "caf\u00e9"), answered.getExchanges().get(0).getMessage().getBody());
    }

    // --- a forged run property ------------------------------------------------------------------------------------

    /*
     * Found by the bad-input fuzzing (issue 7): a CamelFlujoRun property that is not a run (text or a map a caller set)
     * is refused by flujo:resume as it is by every step; the resume replaced it silently and went on. The stored run
     * stays paused. The refusal names the run the caller tried to resume, escaped and cut as a refused resume quotes
     * it (found by the resume payload stress test: it named none).
     */

    /** Resumes the run with the answer "yes" and, unless null, {@code forged} as the CamelFlujoRun property. */
    private Exchange resumeWithRunProperty(String runId, Object forged) {
        return template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("yes");
            if (forged != null) {
                e.setProperty(FlujoConstants.RUN, forged);
            }
        });
    }

    @Test
    void aForgedRunPropertyIsRefusedAndTheRunStaysPaused() throws Exception {
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.expectedMessageCount(1);
        String runId = template.request("direct:ask-forged", e -> e.getMessage().setBody("ship it?")).getMessage()
                .getHeader(FlujoConstants.RUN_ID, String.class);
        JdbcStateStore store = new JdbcStateStore(stateUrl());
        PausedRun before = store.load(runId).orElseThrow();

        for (Object forged : new Object[] { "forged run", Map.of("runId", runId) }) {
            FlujoConfigurationException e = exceptionOf(resumeWithRunProperty(runId, forged),
                    FlujoConfigurationException.class);
            // the message names the run the caller tried to resume (it named none), quoted as a refused resume's
            assertContains(e.getMessage(), FlujoConstants.RUN, "refusing to resume run '" + PausedRun.shown(runId) + "'");
            assertEquals(before, store.load(runId).orElseThrow());
        }
        FlujoConfigurationException escaped = exceptionOf(
                resumeWithRunProperty(runId + "\nforged log line", "forged run"),
                FlujoConfigurationException.class);
        assertContains(escaped.getMessage(), "refusing to resume run '" + PausedRun.shown(runId)
                                             + "\\u000aforged log line'");

        assertNull(resumeWithRunProperty(runId, null).getException());
        assertEquals(RunStatus.RESUMED, store.load(runId).orElseThrow().status());
        answered.assertIsSatisfied();
    }
}
