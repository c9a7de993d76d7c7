package dev.flujo.camel;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.RetryAfterException;
import dev.flujo.core.result.StepResult;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed call to a real HTTP model server (WireMock, speaking an OpenAI-compatible error format) is retried after the
 * backoff, no earlier than the server's Retry-After, and not at all when a retry cannot help (401, an exhausted quota,
 * a Retry-After beyond retryMaxDelay). The agents are camel-http and camel-vertx-http endpoints with their own retries
 * off, as the docs advise; every time asserted is read from WireMock's request journal.
 */
class ProviderErrorRetryTest extends FlujoRouteTestSupport {

    private static final String PATH = "/v1/chat/completions";
    private static final String OK = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}";
    /** A real HTTP model server, its stubs and journal reset before each test. */
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance().options(options().dynamicPort()).build();

    private final TestAgents.CountingAgent fallback = bind("fallback", TestAgents.answering("from fallback"));
    /** When the agent route of the header test was entered, in nanoseconds. */
    private final List<Long> routeCalls = new CopyOnWriteArrayList<>();

    @Override
    protected void routes(org.apache.camel.builder.RouteBuilder r) {
        String url = "localhost:" + server.getPort() + PATH;
        // Apache HttpClient's own retry of a 429 or 503 would hide flujo's: off, as the docs tell users
        r.getContext().getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        r.from("direct:llm").to("http://" + url + "?httpMethod=POST");
        r.from("direct:vertx-llm").to("vertx-http:http://" + url + "?httpMethod=POST");
        r.from("direct:asks-to-wait").process(e -> {
            routeCalls.add(System.nanoTime());
            if (routeCalls.size() == 1) {
                e.getMessage().setHeader(FlujoConstants.RETRY_AFTER, "1");
                throw new IllegalStateException("overloaded, try later");
            }
            e.getMessage().setBody("answered");
        });
    }

    /** The server answers the statuses in turn (200 with a completion, others with an error body). */
    private static void answers(int... statuses) {
        answers(java.util.Arrays.stream(statuses).mapToObj(status -> status == 200
                ? okJson(OK)
                : aResponse().withStatus(status).withBody("{\"error\":{\"message\":\"busy\"}}"))
                .toArray(ResponseDefinitionBuilder[]::new));
    }

    /** The server gives the responses in turn, the last one for every further request. */
    private static void answers(ResponseDefinitionBuilder... responses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i + 1 < responses.length ? "answer-" + (i + 1) : state;
            server.stubFor(post(urlEqualTo(PATH)).inScenario("calls").whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    /** When each request reached the server, in milliseconds, oldest first. */
    private static List<Long> requestTimes() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .map(request -> request.getLoggedDate().getTime()).sorted(Comparator.naturalOrder()).toList();
    }

    @Test
    void aServiceUnavailableIsRetriedAfterAnExponentialBackoff() throws Exception {
        answers(503, 503, 200);
        addRoute("direct:s1", "flujo:step:s1?agent=direct:llm&maxRetries=2&retryDelay=200ms&retryJitter=false");

        Exchange done = run("direct:s1");

        assertEquals(OK, done.getMessage().getBody(String.class));
        assertEquals(3, resultHeader(done, FlujoConstants.ATTEMPTS));
        List<Long> times = requestTimes();
        assertEquals(3, times.size());
        // the journal keeps milliseconds: a wait of 200 ms may show as 199
        assertTrue(times.get(1) - times.get(0) >= 199, "first wait " + (times.get(1) - times.get(0)) + " ms");
        assertTrue(times.get(2) - times.get(1) >= 399, "second wait " + (times.get(2) - times.get(1)) + " ms");
        assertTrue(((Number) runOf(done).lastResult("s1").metadata().get(StepResult.META_RETRY_WAIT_MS)).longValue()
                   >= 600);
    }

    @Test
    void aRetryAfterIsWaitedForBeforeTheNextCall() throws Exception {
        answers(aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withBody("{\"error\":{\"code\":\"rate_limit_exceeded\"}}"), okJson(OK));
        addRoute("direct:s2", "flujo:step:s2?agent=direct:llm&retryDelay=10ms");

        Exchange done = run("direct:s2");

        assertEquals(OK, done.getMessage().getBody(String.class));
        List<Long> times = requestTimes();
        assertEquals(2, times.size());
        assertTrue(times.get(1) - times.get(0) >= 999, "waited " + (times.get(1) - times.get(0)) + " ms");
    }

    @Test
    void aRetryAfterFromVertxHttpIsWaitedForToo() throws Exception {
        answers(aResponse().withStatus(503).withHeader("retry-after-ms", "700"), okJson(OK));
        addRoute("direct:s3", "flujo:step:s3?agent=direct:vertx-llm&retryDelay=10ms");

        Exchange done = run("direct:s3");

        assertEquals(OK, done.getMessage().getBody(String.class));
        List<Long> times = requestTimes();
        assertEquals(2, times.size());
        assertTrue(times.get(1) - times.get(0) >= 699, "waited " + (times.get(1) - times.get(0)) + " ms");
    }

    @Test
    void aRetryAfterLongerThanRetryMaxDelayIsNotWaitedForTheFallbackAnswers() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        addRoute("direct:s4", "flujo:step:s4?agent=direct:llm&maxRetries=3&retryMaxDelay=5s&fallback=#fallback");

        Exchange done = run("direct:s4");

        assertEquals("from fallback", done.getMessage().getBody());
        assertEquals(1, requestTimes().size());
        String original = (String) runOf(done).lastResult("s4").metadata().get(StepResult.META_ORIGINAL_ERROR);
        assertTrue(original.contains("retry after 120000 ms") && original.contains("retryMaxDelay 5000 ms"), original);
    }

    @Test
    void withoutAFallbackTheFailureNamesTheWaitAskedFor() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        addRoute("direct:s5", "flujo:step:s5?agent=direct:llm&maxRetries=3&retryMaxDelay=5s");

        FlujoStepFailedException failed = exceptionOf(run("direct:s5"), FlujoStepFailedException.class);

        assertEquals(1, failed.getAttempts());
        RetryAfterException cause = assertInstanceOf(RetryAfterException.class, failed.getCause());
        assertEquals(120, cause.getRetryAfter().toSeconds());
        assertTrue(failed.getMessage().contains("retry after 120000 ms"), failed.getMessage());
        assertEquals(1, requestTimes().size());
    }

    @Test
    void anUnauthorizedCallIsNotRetried() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"code\":\"invalid_api_key\"}}")));
        addRoute("direct:s6", "flujo:step:s6?agent=direct:llm&maxRetries=3&retryDelay=10ms&fallback=#fallback");

        Exchange done = run("direct:s6");

        assertEquals("from fallback", done.getMessage().getBody());
        assertEquals(1, requestTimes().size());
        assertEquals(1, fallback.calls());
    }

    @Test
    void anExhaustedQuotaIsNotRetriedThoughItIsA429() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withBody(
                "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\","
                                                                                              + "\"code\":\"insufficient_quota\"}}")));
        addRoute("direct:s7", "flujo:step:s7?agent=direct:llm&maxRetries=3&retryDelay=10ms&fallback=#fallback");

        Exchange done = run("direct:s7");

        assertEquals("from fallback", done.getMessage().getBody());
        assertEquals(1, requestTimes().size());
    }

    @Test
    void withOptimizedErrorHandlingOffEveryErrorIsRetriedAsBefore() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)));
        addRoute("direct:s8",
                "flujo:step:s8?agent=direct:llm&maxRetries=2&retryDelay=10ms&enableOptimizedErrorHandling=false");

        exceptionOf(run("direct:s8"), FlujoStepFailedException.class);

        assertEquals(3, requestTimes().size());
    }

    @Test
    void anAgentRouteCanAskForAWaitWithTheRetryAfterHeader() throws Exception {
        addRoute("direct:s9", "flujo:step:s9?agent=direct:asks-to-wait&retryDelay=10ms");

        Exchange done = run("direct:s9");

        assertEquals("answered", done.getMessage().getBody());
        assertEquals(2, routeCalls.size());
        long waitedMs = (routeCalls.get(1) - routeCalls.get(0)) / 1_000_000;
        assertTrue(waitedMs >= 999, "waited " + waitedMs + " ms");
    }

    @Test
    void aRejectedAnswerIsRetriedAtOnceNotAfterTheBackoff() throws Exception {
        answers(okJson("{\"choices\":[]}"), okJson(OK));
        addRoute("direct:s10", "flujo:step:s10?agent=direct:llm&retryDelay=20s&retryJitter=false"
                               + "&validate=${body} contains 'assistant'");

        Exchange done = run("direct:s10");

        assertEquals(OK, done.getMessage().getBody(String.class));
        List<Long> times = requestTimes();
        assertEquals(2, times.size());
        assertTrue(times.get(1) - times.get(0) < 10_000, "a rejected answer waited for the 20 s backoff");
    }
}
