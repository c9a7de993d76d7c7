package dev.flujo.camel;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LangChain4j chat models as agents, against WireMock speaking OpenAI's chat-completions format (plain JSON and
 * server-sent events): usage and the model name reach the run, a schema violation is repaired with the model's own
 * answer and the problems in the next request, provider errors follow the step's error classes, and a streaming model
 * holds no thread per call.
 */
class LangChain4jModelAgentTest extends FlujoRouteTestSupport {

    private static final String PATH = "/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "resource:classpath:schemas/triage.schema.json";
    /** A real HTTP model server, its stubs and journal reset before each test. */
    @RegisterExtension
    static final WireMockExtension server
            = WireMockExtension.newInstance().options(options().dynamicPort().containerThreads(40)).build();
    /** The JDK HTTP client's own threads, four for every model of the class. */
    private static final ExecutorService httpThreads = Executors.newFixedThreadPool(4);

    private final TestAgents.CountingAgent fallback = bind("fallback", TestAgents.answering("from fallback"));
    private final OpenAiChatModel gpt = bind("gpt", model(0));
    private final OpenAiChatModel retryingGpt = bind("retryingGpt", model(2));
    private final OpenAiStreamingChatModel streamingGpt = bind("streamingGpt",
            OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("test-key").modelName("gpt-4o-mini")
                    // the JDK client on four threads of its own: its requests and streams are asynchronous
                    .httpClientBuilder(
                            new JdkHttpClientBuilder().httpClientBuilder(HttpClient.newBuilder().executor(httpThreads)))
                    .build());

    @AfterAll
    static void stopHttpThreads() {
        httpThreads.shutdownNow();
    }

    /** An OpenAI chat model the way the docs tell users to build it: its own retries off (or, here, left on). */
    private static OpenAiChatModel model(int maxRetries) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("test-key").modelName("gpt-4o-mini")
                .maxRetries(maxRetries)
                // OpenAI takes a JSON schema as the response format; LangChain4j sends one only when told so
                .supportedCapabilities(java.util.Set.of(dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA))
                .build();
    }

    private static String completion(String content, int in, int out) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "id", "chatcmpl-1", "object", "chat.completion", "created", 1, "model", "gpt-4o-mini-2024-07-18",
                "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                        "message", Map.of("role", "assistant", "content", content))),
                "usage", Map.of("prompt_tokens", in, "completion_tokens", out, "total_tokens", in + out)));
    }

    private static String stream(int in, int out, String... parts) throws Exception {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            sse.append("data: ").append(JSON.writeValueAsString(Map.of(
                    "id", "chatcmpl-2", "object", "chat.completion.chunk", "created", 1, "model", "gpt-4o-mini-2024-07-18",
                    "choices", List.of(Map.of("index", 0, "delta", Map.of("content", parts[i]),
                            "finish_reason", i == parts.length - 1 ? "stop" : "")))))
                    .append("\n\n");
        }
        sse.append("data: ").append(JSON.writeValueAsString(Map.of(
                "id", "chatcmpl-2", "object", "chat.completion.chunk", "created", 1, "model", "gpt-4o-mini-2024-07-18",
                "choices", List.of(),
                "usage", Map.of("prompt_tokens", in, "completion_tokens", out, "total_tokens", in + out)))).append("\n\n");
        return sse.append("data: [DONE]\n\n").toString();
    }

    private static List<JsonNode> requestBodies() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        for (ServeEvent e : events) {
            bodies.add(JSON.readTree(e.getRequest().getBodyAsString()));
        }
        return bodies;
    }

    @Test
    void theAnswerItsUsageAndTheModelNameReachTheRun() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(okJson(completion("Paris", 12, 3))));
        addRoute("direct:ask", "flujo:step:ask?agent=#gpt&systemMessage=Answer in one word about ${body}.");

        Exchange done = run("direct:ask", "France");

        assertEquals("Paris", done.getMessage().getBody());
        assertEquals(12L, resultHeader(done, FlujoConstants.INPUT_TOKENS));
        assertEquals(3L, resultHeader(done, FlujoConstants.OUTPUT_TOKENS));
        assertEquals("gpt-4o-mini-2024-07-18", resultHeader(done, FlujoConstants.MODEL));
        JsonNode messages = requestBodies().get(0).get("messages");
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("Answer in one word about France.", messages.get(0).get("content").asText());
        assertEquals("France", messages.get(1).get("content").asText());
    }

    @Test
    void aModelDeclaredInYamlIsAnAgentToo() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(okJson(completion("Brief.", 4, 1))));
        context.getPropertiesComponent().addInitialProperty("test.model.base-url", server.baseUrl() + "/v1");
        for (org.apache.camel.RoutesBuilder routes : YamlRoutes.load(context, List.of("model-agent"))) {
            context.addRoutes(routes);
        }

        Exchange done = run("direct:yaml-model", "Say something.");

        assertEquals("Brief.", done.getMessage().getBody());
        assertEquals("gpt-4o-mini-2024-07-18", resultHeader(done, FlujoConstants.MODEL));
        assertEquals("Answer briefly.", requestBodies().get(0).get("messages").get(0).get("content").asText());
    }

    @Test
    void theReportedUsageCountsAgainstTheRunsLimits() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(okJson(completion("long answer", 40, 30))));
        addRoute("direct:limited", "flujo:step:limited?agent=#gpt&tokenLimit=50");

        UsageLimitExceededException breach = exceptionOf(run("direct:limited"), UsageLimitExceededException.class);

        assertEquals(70, breach.getTotals().totalTokens());
    }

    @Test
    void anAnswerThatBreaksTheSchemaIsRepairedFromItsOwnAnswerAndTheProblems() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).inScenario("repair").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(completion("```json\n{\"category\": \"refund\", \"reason\": \"money\"}\n```", 20, 9)))
                .willSetStateTo("second"));
        server.stubFor(post(urlPathEqualTo(PATH)).inScenario("repair").whenScenarioStateIs("second")
                .willReturn(okJson(completion("{\"category\": \"billing\", \"reason\": \"money\"}", 30, 9))));
        addRoute("direct:classify", "flujo:step:classify?agent=#gpt&outputSchema=" + SCHEMA);

        Exchange done = run("direct:classify", "Where is my refund?");

        assertEquals(Map.of("category", "billing", "reason", "money"), done.getMessage().getBody());
        // both attempts were paid for
        assertEquals(50L, resultHeader(done, FlujoConstants.INPUT_TOKENS));
        assertEquals(18L, resultHeader(done, FlujoConstants.OUTPUT_TOKENS));
        List<JsonNode> requests = requestBodies();
        assertEquals(2, requests.size());
        JsonNode messages = requests.get(1).get("messages");
        assertEquals("assistant", messages.get(1).get("role").asText());
        assertTrue(messages.get(1).get("content").asText().contains("refund"));
        String feedback = messages.get(2).get("content").asText();
        assertTrue(feedback.contains("/category"), feedback);
        // OpenAI constrains the answer at the source: the schema went as the response format
        assertEquals("json_schema", requests.get(0).get("response_format").get("type").asText());
    }

    @Test
    void anUnauthorizedCallIsNotRetriedAndTheFallbackAnswers() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\": {\"message\": \"Incorrect API key\", \"code\": \"invalid_api_key\"}}")));
        addRoute("direct:unauthorized", "flujo:step:unauthorized?agent=#gpt&maxRetries=3&fallback=#fallback");

        assertEquals("from fallback", run("direct:unauthorized").getMessage().getBody());
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void aRateLimitIsRetriedButAnExhaustedQuotaIsNot() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withBody("{\"error\": {\"code\": \"rate_limit_exceeded\"}}"))
                .willSetStateTo("ok"));
        server.stubFor(post(urlPathEqualTo(PATH)).inScenario("limit").whenScenarioStateIs("ok")
                .willReturn(okJson(completion("fine", 1, 1))));
        addRoute("direct:limit", "flujo:step:limit?agent=#gpt&retryDelay=10ms");

        assertEquals("fine", run("direct:limit").getMessage().getBody());
        assertEquals(2, server.getAllServeEvents().size());

        server.resetAll();
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(429)
                .withBody(
                        "{\"error\": {\"message\": \"You exceeded your current quota\", \"code\": \"insufficient_quota\"}}")));
        addRoute("direct:quota", "flujo:step:quota?agent=#gpt&retryDelay=10ms&maxRetries=3");

        exceptionOf(run("direct:quota"), FlujoStepFailedException.class);
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void aModelBuiltWithRetriesOfItsOwnMultipliesTheRequestsOfOneAttempt() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        addRoute("direct:own", "flujo:step:own?agent=#retryingGpt&maxRetries=0");
        addRoute("direct:once", "flujo:step:once?agent=#gpt&maxRetries=0");

        exceptionOf(run("direct:own"), FlujoStepFailedException.class);
        int withItsRetries = server.getAllServeEvents().size();
        server.resetRequests();
        exceptionOf(run("direct:once"), FlujoStepFailedException.class);

        assertEquals(3, withItsRetries, "maxRetries(2): three requests in one flujo attempt");
        assertEquals(1, server.getAllServeEvents().size(), "maxRetries(0): one request per attempt");
    }

    @Test
    void aStreamingModelsAnswerIsAssembledWithItsUsage() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                .withBody(stream(5, 2, "Hel", "lo"))));
        addRoute("direct:stream", "flujo:step:stream?agent=#streamingGpt");

        Exchange done = run("direct:stream");

        assertEquals("Hello", done.getMessage().getBody());
        assertEquals(5L, resultHeader(done, FlujoConstants.INPUT_TOKENS));
        assertEquals(2L, resultHeader(done, FlujoConstants.OUTPUT_TOKENS));
    }

    /** The threads of Camel and flujo (route, template, flujo's pools): what a call through flujo could hold. */
    private static int camelThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("Camel") || t.getName().contains("Flujo")).count();
    }

    /**
     * Flujo waits for none of the 1,000 streams: the steps complete from the model's handler, and Camel's and flujo's
     * threads stay at their pools' bounds. (LangChain4j's JDK client itself reads each server-sent-event stream with a
     * blocking read on a thread of its own while the stream is open - docs/models.md says so.)
     */
    @Test
    void aThousandConcurrentStreamingStepsHoldNoThreadOfFlujoPerCall() throws Exception {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                .withBody(stream(3, 1, "ok"))));
        addRoute("direct:many", "flujo:step:many?agent=#streamingGpt&resultHeaders=false");
        int before = camelThreads();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger(before);
        var sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(camelThreads(), Math::max), 0, 5, TimeUnit.MILLISECONDS);

        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(template.asyncRequestBody("direct:many", "q" + i));
        }
        try {
            for (CompletableFuture<Object> call : calls) {
                assertEquals("ok", call.get(60, TimeUnit.SECONDS));
            }
        } finally {
            sampler.shutdownNow();
        }

        // a thread per call would be 1,000 more; the template's pool and flujo's stay at their bounds
        assertTrue(peak.get() - before <= 40, "Camel and flujo threads grew from " + before + " to " + peak.get());
    }
}
