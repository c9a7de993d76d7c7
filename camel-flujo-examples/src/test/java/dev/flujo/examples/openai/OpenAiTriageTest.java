package dev.flujo.examples.openai;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.examples.triage.TriageDemo;
import dev.flujo.examples.triage.TriageTestSupport;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The triage example with its model endpoint switched on by configuration alone, against a local server that speaks the
 * OpenAI chat-completions format: the usage the server reports is what the run books and limits.
 */
class OpenAiTriageTest {

    static final String TICKET = "I was charged twice, please refund me.";
    static final String LONG_SUMMARY = "The customer says that they were charged twice and asks for a refund; our"
                                       + " policy allows refunding duplicate charges without proof, so the plan is to refund the duplicate charge.";

    @TempDir
    Path dir;

    /**
     * Summarize: too long at first (the step's validator rejects it), brief once told why; then the reply. While
     * {@link #down}, every request fails with HTTP 500.
     */
    private final StubChatCompletions server;
    private volatile boolean down;
    private Main main;

    OpenAiTriageTest() throws Exception {
        server = new StubChatCompletions(request -> {
            if (down) {
                throw new IllegalStateException("model overloaded");
            }
            JsonNode messages = request.path("messages");
            String prompt = messages.path(0).path("content").asText();
            if (prompt.startsWith("Write the reply")) {
                return new StubChatCompletions.Completion("Dear customer, your refund is on its way.", 47, 25);
            }
            return messages.size() == 1
                    ? new StubChatCompletions.Completion(LONG_SUMMARY, 61, 40)
                    : new StubChatCompletions.Completion("Refund the duplicate charge; no proof needed.", 83, 12);
        });
    }

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
        server.close();
    }

    private TriageDemo.Outcome triage(String dsl, Map<String, String> settings) throws Exception {
        Map<String, String> config = new HashMap<>(
                Map.of(OpenAiChat.BASE_URL, server.baseUrl(),
                        OpenAiChat.API_KEY, "test-key", OpenAiChat.MODEL, "test-model"));
        config.putAll(settings);
        main = TriageTestSupport.start(TriageTestSupport.main(dsl), dir, config);
        return TriageDemo.handle(main.getCamelContext().createProducerTemplate(), TICKET);
    }

    private static Usage localUsage(FlujoRun run) {
        return run.lastResult("classify").usage().plus(run.lastResult("investigate").usage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "java", "yaml" })
    void theUsageTheServerReportsReachesTheRunTotals(String dsl) throws Exception {
        TriageDemo.Outcome outcome = triage(dsl, Map.of());

        assertNull(outcome.error());
        assertEquals("Dear customer, your refund is on its way.", outcome.reply());
        assertTrue(outcome.approval().endsWith("Refund the duplicate charge; no proof needed."), outcome.approval());
        FlujoRun run = outcome.run();
        StepResult summarize = run.lastResult("summarize");
        assertEquals(2, summarize.attempts());
        assertEquals(Usage.tokens(61 + 83, 40 + 12).totalTokens(), summarize.usage().totalTokens());
        assertEquals(61 + 83, summarize.usage().inputTokens());
        assertEquals(47, run.lastResult("reply").usage().inputTokens());
        assertEquals(25, run.lastResult("reply").usage().outputTokens());
        assertEquals(localUsage(run).inputTokens() + 61 + 83 + 47, run.usage().inputTokens());
        assertEquals(localUsage(run).outputTokens() + 40 + 12 + 25, run.usage().outputTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = { "java", "yaml" })
    void theRequestsAreChatCompletionsWithTheKeyThePromptAndOnARetryTheFeedback(String dsl) throws Exception {
        triage(dsl, Map.of());

        List<StubChatCompletions.Request> requests = server.requests;
        assertEquals(3, requests.size(), "summarize, its retry, reply");
        for (StubChatCompletions.Request request : requests) {
            assertEquals("POST", request.method());
            assertEquals("Bearer test-key", request.authorization());
            assertTrue(request.contentType().startsWith("application/json"), request.contentType());
            assertEquals("test-model", request.body().path("model").asText());
            assertEquals("user", request.body().path("messages").path(0).path("role").asText());
        }
        String prompt = requests.get(0).body().path("messages").path(0).path("content").asText();
        assertTrue(prompt.startsWith("Summarize this support case") && prompt.contains("Ticket: " + TICKET), prompt);
        assertEquals(1, requests.get(0).body().path("messages").size());
        JsonNode retry = requests.get(1).body().path("messages");
        assertEquals(prompt, retry.path(0).path("content").asText());
        assertTrue(retry.path(1).path("content").asText().contains("${body.length} <= 160"), retry.toString());
        String reply = requests.get(2).body().path("messages").path(0).path("content").asText();
        assertTrue(reply.startsWith("Write the reply") && reply.contains("Approved: true"), reply);
    }

    @ParameterizedTest
    @ValueSource(strings = { "java", "yaml" })
    void theTokenLimitIsEnforcedWithTheUsageTheServerReports(String dsl) throws Exception {
        TriageDemo.Outcome outcome = triage(dsl, Map.of("triage.tokenLimit", "100"));

        UsageLimitExceededException breach = assertInstanceOf(UsageLimitExceededException.class, outcome.error());
        assertEquals("summarize", breach.getStepName());
        long local = localUsage(outcome.run()).totalTokens();
        assertTrue(local <= 100, "the local steps alone fit the budget: " + local);
        assertEquals(local + 61 + 40, breach.getTotals().totalTokens(), "the first answer's usage breached it");
        assertEquals(1, server.requests.size(), "no agent is called after the breach");
        assertNull(outcome.approval(), "the run never paused for approval");
    }

    @ParameterizedTest
    @ValueSource(strings = { "java", "yaml" })
    void anHttpErrorFailsTheAttemptWhichIsRetriedThenTheStep(String dsl) throws Exception {
        down = true;

        TriageDemo.Outcome outcome = triage(dsl, Map.of());

        FlujoStepFailedException failed = assertInstanceOf(FlujoStepFailedException.class, outcome.error());
        assertEquals("summarize", failed.getStepName());
        assertEquals(3, server.requests.size(), "maxRetries=2: three attempts");
        HttpOperationFailedException http = assertInstanceOf(HttpOperationFailedException.class, failed.getCause());
        assertEquals(500, http.getStatusCode());
        assertEquals(localUsage(outcome.run()).totalTokens(), outcome.run().usage().totalTokens(),
                "a failed call reports no usage");
        assertNull(outcome.approval());
    }
}
