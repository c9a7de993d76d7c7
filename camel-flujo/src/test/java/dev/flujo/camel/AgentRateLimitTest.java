package dev.flujo.camel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.resilience.RateLimitedException;
import dev.flujo.core.result.StepResult;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * requestsPerMinute and tokensPerMinute hold per agent, across every step, branch and item calling it: a flujo:map of
 * 500 items all started at once reaches a real HTTP model server (WireMock) at the allowed rate, read from its request
 * journal, while the waiting calls hold no thread; a token budget spent by one step makes the next call of another step
 * fail with RateLimitedException instead of calling the agent.
 */
class AgentRateLimitTest extends FlujoRouteTestSupport {

    private static final String PATH = "/v1/chat/completions";
    /** A real HTTP model server, its stubs and journal reset before each test. */
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance().options(options().dynamicPort()).build();

    private final TestAgents.CountingAgent fallback = bind("fallback", TestAgents.answering("from fallback"));
    private final SimpleMeterRegistry meters = bind("metricsRegistry", new SimpleMeterRegistry());
    private int meteredCalls;

    @BeforeEach
    void stubServer() {
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(okJson("{\"choices\":[]}")));
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.getContext().getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        r.from("direct:llm").to("http://localhost:" + server.getPort() + PATH + "?httpMethod=POST");
        r.from("direct:item").to("flujo:step:summarize?agent=direct:llm&requestsPerMinute=600");
        // answers with the usage a model server reports: 900 tokens a call
        r.from("direct:metered").process(e -> {
            meteredCalls++;
            e.getMessage().setHeader(FlujoConstants.INPUT_TOKENS, 600);
            e.getMessage().setHeader(FlujoConstants.OUTPUT_TOKENS, 300);
            e.getMessage().setBody("answer");
        });
    }

    @Test
    void fiveHundredItemsStartedAtOnceReachTheServerAtTheRequestRate() throws Exception {
        addRoute("direct:map", "flujo:map:all?body=direct:item&maxConcurrency=0");
        List<String> documents = IntStream.range(0, 500).mapToObj(i -> "document " + i).toList();
        // the HTTP client's first call loads classes and opens the connection, holding the calls due behind it so that
        // they leave together: warm it up, so that the journal shows the limiter's spacing, not the client's start
        run("direct:llm", "warm-up");
        server.resetRequests();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        threads.resetPeakThreadCount();

        Exchange done = run("direct:map", new ArrayList<>(documents));

        assertEquals(null, done.getException());
        List<?> outputs = done.getMessage().getBody(List.class);
        assertEquals(500, outputs.size());
        assertTrue(outputs.stream().allMatch(o -> String.valueOf(o).contains("choices")), "every item answered");
        // the waiting calls are scheduled continuations: the pools stay at their bounds, no thread per item
        int peak = threads.getPeakThreadCount();
        assertTrue(peak - before < 100, "threads grew from " + before + " to " + peak);

        List<Long> times = server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .map(req -> req.getLoggedDate().getTime()).sorted(Comparator.naturalOrder()).toList();
        assertEquals(500, times.size());
        // one permit every 100 ms: any second holds 10 requests, and scheduling jitter (the journal keeps milliseconds)
        // can bring the 11th of a run into the same second, never more
        int busiest = 0;
        for (int i = 0; i < times.size(); i++) {
            int j = i;
            while (j < times.size() && times.get(j) - times.get(i) < 1000) {
                j++;
            }
            if (j - i > 10) {
                System.out.println(
                        "DEBUG window at " + i + ": " + times.subList(i, j).stream().map(t -> t - times.get(0)).toList());
            }
            busiest = Math.max(busiest, j - i);
        }
        assertTrue(busiest <= 11, busiest + " requests arrived within one second");
        double perSecond = (times.size() - 1) * 1000.0 / (times.get(times.size() - 1) - times.get(0));
        assertTrue(perSecond <= 10.1, "the rate was " + perSecond + " requests a second");
    }

    @Test
    void theRequestLimiterIsSharedInTheResilience4jRegistry() throws Exception {
        run("direct:item", "one");

        RateLimiterRegistry registry = context.getCamelContextExtension().getContextPlugin(RateLimiterRegistry.class);
        assertNotNull(registry.find("flujo-direct:llm-requests").orElse(null),
                () -> "limiters: " + registry.getAllRateLimiters());
    }

    @Test
    void aTokenBudgetSpentByOneStepHoldsForTheNextStepCallingTheSameAgent() throws Exception {
        String limits = "agent=direct:metered&tokensPerMinute=1000&rateLimitWait=2s&maxRetries=0";
        addRoute("direct:first", "flujo:step:first?" + limits);
        addRoute("direct:second", "flujo:step:second?" + limits);

        run("direct:first"); // 900 of the 1,000 tokens
        run("direct:second"); // reserved before it is known: the bucket is 800 in debt, 48 s of refill
        FlujoStepFailedException refused = exceptionOf(run("direct:first"), FlujoStepFailedException.class);

        assertEquals(2, meteredCalls, "the third call was not made");
        RateLimitedException cause = assertInstanceOf(RateLimitedException.class, refused.getCause());
        assertEquals("tokensPerMinute=1000", cause.getLimit());
        assertTrue(cause.getMessage().contains("direct:metered"), cause.getMessage());
    }

    @Test
    void aRefusedCallGoesToTheFallbackWithoutRetrying() throws Exception {
        String limits = "agent=direct:metered&tokensPerMinute=1000&rateLimitWait=2s&maxRetries=3&fallback=#fallback"
                        + "&enablePerformanceMonitoring=true";
        addRoute("direct:third", "flujo:step:third?" + limits);

        run("direct:third");
        run("direct:third");
        Exchange refused = run("direct:third");

        assertEquals("from fallback", refused.getMessage().getBody());
        assertEquals(2, meteredCalls);
        StepResult result = runOf(refused).lastResult("third");
        assertEquals("tokensPerMinute=1000", result.metadata().get(StepResult.META_RATE_LIMITED));
        assertEquals(1, result.attempts());
        assertEquals(1.0, meters.get("flujo.step.outcomes").tag("flujo.step", "third").tag("outcome", "rate_limited")
                .counter().count());
    }

    @Test
    void aCallWaitingForItsPermitIsMeteredAsARateLimitWait() throws Exception {
        addRoute("direct:paced",
                "flujo:step:paced?agent=direct:metered&requestsPerMinute=120&enablePerformanceMonitoring=true");

        run("direct:paced");
        Exchange second = run("direct:paced"); // one permit every 500 ms: the second call waits for its own

        assertEquals("answer", second.getMessage().getBody());
        Number waitedMs = (Number) runOf(second).lastResult("paced").metadata().get(StepResult.META_RATE_LIMIT_WAIT_MS);
        assertNotNull(waitedMs, "the second call waited");
        var timer = meters.get("flujo.step.wait").tag("flujo.step", "paced").tag("flujo.wait", "rate_limit").timer();
        assertEquals(1, timer.count());
        assertTrue(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) > 0);
    }

    @Test
    void aRuntimeChangeOfTheLimitReplacesTheAgentsLimiter() throws Exception {
        addRoute("direct:changed", "flujo:step:changed?agent=direct:metered&requestsPerMinute=1&rateLimitWait=0");
        run("direct:changed");
        exceptionOf(run("direct:changed"), FlujoStepFailedException.class); // one a minute: refused

        context.getEndpoints().stream().filter(e -> e.getEndpointUri().startsWith("flujo://step:changed"))
                .map(FlujoEndpoint.class::cast).findFirst().orElseThrow()
                .reconfigure(java.util.Map.of("requestsPerMinute", "600000"));
        Exchange after = run("direct:changed");

        assertEquals("answer", after.getMessage().getBody());
        assertEquals(2, meteredCalls);
        RateLimiterRegistry registry = context.getCamelContextExtension().getContextPlugin(RateLimiterRegistry.class);
        assertEquals(java.time.Duration.ofNanos(100_000),
                registry.find("flujo-direct:metered-requests").orElseThrow().getRateLimiterConfig()
                        .getLimitRefreshPeriod());
    }

    @Test
    void aCallThatUsedLessThanItReservedGivesTheRestBack() throws Exception {
        addRoute("direct:reserving",
                "flujo:step:reserving?agent=direct:metered&tokensPerMinute=10000&expectedTokens=5000");

        run("direct:reserving");

        long left = context.getComponent("flujo", FlujoComponent.class).resilience().availableTokens("direct:metered");
        // 5,000 reserved, 900 used: 9,100 left (plus what refilled meanwhile), not 5,000
        assertTrue(left >= 9100, "tokens left: " + left);
    }
}
