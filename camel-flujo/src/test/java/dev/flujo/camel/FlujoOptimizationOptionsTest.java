package dev.flujo.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.cache.CacheKey;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.flow.ParallelPlan;
import dev.flujo.core.telemetry.AutomaticOptimizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimization options through Camel: each one reaches the plan and changes what an exchange sees, the kill switch
 * and runtime changes apply to the next exchange, and composite kinds are metered too.
 */
class FlujoOptimizationOptionsTest extends FlujoRouteTestSupport {

    private final SimpleMeterRegistry meters = bind("metricsRegistry", new SimpleMeterRegistry());
    private final TestAgents.CountingAgent echo = bind("echo", TestAgents.answering(r -> "echo:" + r.input()));
    private final TestAgents.PendingAgent slow = bind("slow", new TestAgents.PendingAgent(1));
    private final TestAgents.PendingAgent slowTwice = bind("slowTwice", new TestAgents.PendingAgent(2));
    private final TestAgents.CountingAgent failing = bind("failing", TestAgents.failing("down"));

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:shared").to("flujo:step:shared?agent=#slow&cache=true");
        r.from("direct:unshared").to("flujo:step:unshared?agent=#slowTwice&cache=true&enableCacheOptimization=false");
        r.from("direct:batched").to("flujo:step:batched?agent=#echo&enablePerformanceMonitoring=true"
                                    + "&enableOptimizedTelemetry=true&telemetryBatchSize=3&telemetryFlushIntervalSeconds=3600");
        r.from("direct:tuned").to("flujo:step:tuned?agent=#echo&cache=true&cacheMaxSize=10"
                                  + "&enablePerformanceMonitoring=true&enableAutomaticOptimization=true"
                                  + "&optimizationAnalysisIntervalSeconds=3600");
        r.from("direct:retried").to("flujo:step:retried?agent=#failing&maxRetries=0");
        r.from("direct:parallel").to("flujo:parallel:fan?branches=a=direct:a,b=direct:b"
                                     + "&enablePerformanceMonitoring=true");
        r.from("direct:a").setBody(r.simple("a:${body}"));
        r.from("direct:b").setBody(r.simple("b:${body}"));
        r.from("direct:adaptive").to("flujo:step:adaptive?agent=#echo&enableConcurrencyOptimization=true"
                                     + "&enablePerformanceMonitoring=true");
        r.from("direct:pointless").to(
                "flujo:step:pointless?agent=#echo&cacheCompression=true&errorCacheSize=5&enableOptimizedErrorHandling=false");
        r.from("direct:guarded").to("flujo:step:guarded?agent=#echo&enableCircuitBreaker=true"
                                    + "&circuitBreakerFailureThreshold=5");
        r.from("direct:eager").to("flujo:parallel:eager?branches=direct:a&enableContextOptimization=false");
    }

    private FlujoEndpoint endpoint(String prefix) {
        return context.getEndpoints().stream().filter(FlujoEndpoint.class::isInstance).map(FlujoEndpoint.class::cast)
                .filter(e -> e.getEndpointUri().startsWith(prefix)).findFirst().orElseThrow();
    }

    private StepPlan stepPlan(String prefix) {
        return (StepPlan) endpoint(prefix).getPlan();
    }

    @Test
    void identicalMissesInFlightShareOneAgentCall() throws Exception {
        CompletableFuture<Exchange> first = template.asyncSend("direct:shared", e -> e.getIn().setBody("same"));
        assertTrue(slow.arrived().await(5, TimeUnit.SECONDS));
        CompletableFuture<Exchange> second = template.asyncSend("direct:shared", e -> e.getIn().setBody("same"));
        // the second exchange waits for the first one's call instead of making its own
        assertFalse(second.isDone());
        slow.releaseAll("answer");

        assertEquals("answer", first.get(5, TimeUnit.SECONDS).getMessage().getBody());
        Exchange shared = second.get(5, TimeUnit.SECONDS);
        assertEquals("answer", shared.getMessage().getBody());
        assertEquals(Boolean.TRUE, shared.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        assertEquals(1, slow.calls());
    }

    @Test
    void withoutCacheOptimizationEachMissCallsTheAgent() throws Exception {
        CompletableFuture<Exchange> first = template.asyncSend("direct:unshared", e -> e.getIn().setBody("same"));
        CompletableFuture<Exchange> second = template.asyncSend("direct:unshared", e -> e.getIn().setBody("same"));
        // both calls arrive while neither has an answer
        assertTrue(slowTwice.arrived().await(5, TimeUnit.SECONDS));
        assertEquals(2, slowTwice.calls());
        slowTwice.releaseAll("answer");
        first.get(5, TimeUnit.SECONDS);
        assertEquals(Boolean.FALSE, second.get(5, TimeUnit.SECONDS).getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }

    @Test
    void optimizedTelemetryHandsTheMetersBatches() {
        template.requestBody("direct:batched", "1");
        template.requestBody("direct:batched", "2");
        // statistics are kept at once; the meters see nothing until the batch of 3 is full
        assertEquals(2L, endpoint("flujo://step:batched").getPerformanceStatistics().get("executionCount"));
        assertEquals(0.0, successes("batched"));
        template.requestBody("direct:batched", "3");
        assertEquals(3.0, successes("batched"));
        template.requestBody("direct:batched", "4");
        assertEquals(3.0, successes("batched"));
        endpoint("flujo://step:batched").flushTelemetry();
        assertEquals(4.0, successes("batched"));
    }

    private double successes(String step) {
        var counter = meters.find("flujo.step.outcomes").tag("flujo.step", step).tag("outcome", "success").counter();
        return counter == null ? 0.0 : counter.count();
    }

    @Test
    void automaticOptimizationGrowsACacheThatEvictsWhileItsHitRateIsLow() {
        for (int i = 0; i < 150; i++) {
            template.requestBody("direct:tuned", "distinct-" + i);
        }
        FlujoEndpoint tuned = endpoint("flujo://step:tuned");
        List<AutomaticOptimizer.Action> actions = tuned.runOptimizationAnalysis();

        assertEquals(1, actions.size(), actions.toString());
        assertEquals("cacheMaxSize", actions.get(0).option());
        assertEquals(20L, stepPlan("flujo://step:tuned").cache().maximumSize());
        assertEquals(20L, tuned.getOptimizationStats().get("cacheCurrentMaximum"));
    }

    @Test
    void compositeKindsAreMeteredAndKeepStatistics() {
        template.requestBody("direct:parallel", "x");
        var timer = meters.find("gen_ai.client.operation.duration").tag("flujo.step", "fan")
                .tag("flujo.kind", "parallel").tag("outcome", "success").timer();
        assertNotNull(timer);
        assertEquals(1, timer.count());
        assertEquals(1L, endpoint("flujo://parallel:fan").getPerformanceStatistics().get("executionCount"));
    }

    @Test
    void theAdaptiveLimitIsInThePlanTheStatisticsAndAGauge() {
        assertEquals("echo:z", template.requestBody("direct:adaptive", "z"));
        int limit = stepPlan("flujo://step:adaptive").concurrencyLimit().limit();

        assertEquals(limit, endpoint("flujo://step:adaptive").getOptimizationStats().get("concurrencyLimit"));
        assertEquals(limit, meters.get("flujo.step.concurrency.limit").tag("flujo.step", "adaptive").gauge().value());
        assertNull(stepPlan("flujo://step:shared").concurrencyLimit());
    }

    @Test
    void contextOptimizationReachesTheCompositePlan() {
        assertTrue(((ParallelPlan) endpoint("flujo://parallel:fan").getPlan()).step().copyOnWriteContexts());
        assertFalse(((ParallelPlan) endpoint("flujo://parallel:eager").getPlan()).step().copyOnWriteContexts());
        assertEquals("a:y", template.requestBody("direct:eager", "y", Map.class).get("direct:a"));
    }

    @Test
    void disableOptimizationsIsAKillSwitchForTheNextExchangeAndEnableRestoresTheConfiguredOnes() {
        FlujoEndpoint shared = endpoint("flujo://step:shared");
        assertTrue(stepPlan("flujo://step:shared").sharesCacheMisses());
        assertTrue(stepPlan("flujo://step:shared").outputPhases().isEmpty());

        context.getComponent("flujo", FlujoComponent.class).disableOptimizations();

        assertFalse(shared.isOptimizationsEnabled());
        assertFalse(stepPlan("flujo://step:shared").sharesCacheMisses());
        // the generic pipeline: every phase, even empty ones
        assertEquals(3, stepPlan("flujo://step:shared").outputPhases().size());
        // what the user asked for is not an optimization: the cache stays
        assertNotNull(stepPlan("flujo://step:shared").cache());

        context.getComponent("flujo", FlujoComponent.class).enableOptimizations();
        assertTrue(stepPlan("flujo://step:shared").sharesCacheMisses());
        assertTrue(stepPlan("flujo://step:shared").outputPhases().isEmpty());
    }

    @Test
    void reconfigureChangesTheNextExchangeAndKeepsTheCacheEntries() {
        assertThrows(Exception.class, () -> template.requestBody("direct:retried", "x"));
        assertEquals(1, failing.calls());

        endpoint("flujo://step:retried").reconfigure(Map.of("maxRetries", "2"));
        assertThrows(Exception.class, () -> template.requestBody("direct:retried", "x"));
        assertEquals(1 + 3, failing.calls());

        template.requestBody("direct:tuned", "kept");
        endpoint("flujo://step:tuned").updateOption("cacheMaxSize", "500");
        template.requestBody("direct:tuned", "kept");
        assertEquals(1, echo.requests.stream().filter(r -> "kept".equals(r.input())).count());
        assertEquals(500L, stepPlan("flujo://step:tuned").cache().maximumSize());
    }

    @Test
    void resultHeadersCanBeTurnedOffAtRuntime() {
        template.requestBody("direct:batched", "h");
        assertNotNull(template.request("direct:batched", e -> e.getIn().setBody("h1")).getMessage()
                .getHeader(FlujoConstants.STEP_NAME));

        context.getComponent("flujo", FlujoComponent.class).reconfigure(Map.of("resultHeaders", "false"));

        assertNull(template.request("direct:batched", e -> e.getIn().setBody("h2")).getMessage()
                .getHeader(FlujoConstants.STEP_NAME));
        assertFalse(endpoint("flujo://step:retried").getConfiguration().isResultHeaders());
    }

    @Test
    void optionsThatCannotWorkAreReportedNotSilentlyDropped() {
        Object ineffective = endpoint("flujo://step:pointless").getOptimizationStats().get("ineffectiveOptions");

        assertEquals(List.of("cacheCompression has no effect without cache=true",
                "errorCacheSize has no effect without enableOptimizedErrorHandling=true"), ineffective);
        assertNull(endpoint("flujo://step:shared").getOptimizationStats().get("ineffectiveOptions"));
    }

    @Test
    void aComponentWideChangeLeavesOptionsWrittenInAnEndpointsUri() {
        context.getComponent("flujo", FlujoComponent.class).reconfigure(Map.of("maxRetries", 3));

        assertEquals(0, endpoint("flujo://step:retried").getConfiguration().getMaxRetries(), "maxRetries=0 in its URI");
        assertEquals(4, stepPlan("flujo://step:shared").maxAttempts());
        assertEquals(3, context.getComponent("flujo", FlujoComponent.class).getConfiguration().getMaxRetries());
    }

    @Test
    void aRuntimeChangeOfTheBreakerSettingsReplacesTheBreakerInTheRegistry() {
        template.requestBody("direct:guarded", "g");
        var registry = context.getCamelContextExtension()
                .getContextPlugin(io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.class);
        assertEquals(5, registry.find("flujo-#echo").orElseThrow().getCircuitBreakerConfig().getSlidingWindowSize());

        endpoint("flujo://step:guarded").reconfigure(Map.of("circuitBreakerFailureThreshold", "2",
                "circuitBreakerRecoveryTimeoutSeconds", "9"));

        // breakers are looked up when the step first calls its agent: the next exchange
        assertEquals("echo:g2", template.requestBody("direct:guarded", "g2"));
        var replaced = registry.find("flujo-#echo").orElseThrow();
        assertEquals(2, replaced.getCircuitBreakerConfig().getSlidingWindowSize());
        assertEquals(9000L, replaced.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
        assertEquals(1, replaced.getMetrics().getNumberOfSuccessfulCalls(), "the step calls through the new breaker");
    }

    @Test
    void aBadRuntimeChangeFailsNamingTheOptionAndChangesNothing() {
        FlujoEndpoint retried = endpoint("flujo://step:retried");
        StepPlan before = stepPlan("flujo://step:retried");

        Exception bad = assertThrows(FlujoConfigurationException.class,
                () -> retried.reconfigure(Map.of("maxRetries", "-1")));
        assertTrue(bad.getMessage().contains("maxRetries"), bad.getMessage());
        Exception notTaken = assertThrows(FlujoConfigurationException.class,
                () -> retried.reconfigure(Map.of("branches", "direct:a")));
        assertTrue(notTaken.getMessage().contains("branches"), notTaken.getMessage());

        Exception wiring = assertThrows(FlujoConfigurationException.class,
                () -> retried.reconfigure(Map.of("agent", "#echo")));
        assertTrue(wiring.getMessage().contains("[agent] cannot change at runtime"), wiring.getMessage());
        assertThrows(FlujoConfigurationException.class,
                () -> context.getComponent("flujo", FlujoComponent.class).reconfigure(Map.of("validators", "#x")));

        assertEquals(before, retried.getPlan());
        assertEquals(0, retried.getConfiguration().getMaxRetries());
    }

    @Test
    void algorithmOptimizationHashesTextKeysWide() {
        FlujoEndpoint endpoint = endpoint("flujo://step:tuned");
        CacheKey narrow = stepPlan("flujo://step:tuned").cache().keyFor("text", FlujoContext.empty());
        assertFalse(narrow.isWide());
        endpoint.reconfigure(Map.of("enableAlgorithmOptimization", "true"));
        CacheKey wide = stepPlan("flujo://step:tuned").cache().keyFor("text", FlujoContext.empty());
        assertTrue(wide.isWide());
        // a wide cache is a new cache: its keys are not comparable with the old ones
        assertNull(stepPlan("flujo://step:tuned").cache().get(wide));
    }
}
