package dev.flujo.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.resilience.StepRejectedException;
import dev.flujo.core.state.InMemoryStateStore;
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
 * Runtime changes through Camel (an endpoint's reconfigure and updateOption, the component's reconfigure and
 * disable/enableOptimizations) and what they reach: the bulkhead, the adaptive limit, the result headers, the router's
 * cache and optimizer, the meters of an exchange in flight; wiring options (usage headers, updatesContext, the state
 * store) refused at runtime; a failed change that changes nothing. From the review of issue 5's optimization layer:
 * each test of the first part failed before its fix.
 */
class FlujoRuntimeChangeTest extends FlujoRouteTestSupport {

    /** Safety net only: no assertion depends on it. */
    private static final long SAFETY_SECONDS = 10;

    private final SimpleMeterRegistry meters = bind("metricsRegistry", new SimpleMeterRegistry());
    private final TestAgents.CountingAgent echo = bind("echo", TestAgents.answering(r -> "echo:" + r.input()));
    private final HangingAgent bulkAgent = bind("bulkAgent", new HangingAgent());
    private final HangingAgent batchAgent = bind("batchAgent", new HangingAgent());
    private final AtomicInteger textThenMapCalls = new AtomicInteger();
    private final TestAgents.CountingAgent textThenMap = bind("textThenMap", TestAgents.answering(
            r -> textThenMapCalls.incrementAndGet() == 1 ? "plain text" : Map.of("k", "v")));
    private final TestAgents.CountingAgent routerAgent = bind("routerAgent", TestAgents.answering(List.of("a")));
    private final TestAgents.CountingAgent tunedRouterAgent = bind("tunedRouterAgent",
            TestAgents.answering(List.of("a")));
    private final InMemoryStateStore customStore = bind("customStore", new InMemoryStateStore());
    private final TestAgents.CountingAgent memAgent = bind("memAgent", TestAgents.answering(r -> "mem:" + r.input()));

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:bulk").to("flujo:step:bulk?agent=#bulkAgent&maxConcurrentExecutions=1"
                                 + "&maxConcurrentExecutionsWait=0");
        r.from("direct:adaptive").to("flujo:step:adaptive?agent=#echo&enableConcurrencyOptimization=true"
                                     + "&maxConcurrentExecutionsWait=0");
        r.from("direct:headers").to("flujo:step:headers?agent=#echo");
        r.from("direct:llm-usage").setHeader("TokensA", r.constant(5)).setHeader("TokensB", r.constant(7))
                .setBody(r.constant("ok"));
        r.from("direct:usage").to("flujo:step:usage?agent=direct:llm-usage&inputTokensHeader=TokensA");
        r.from("direct:ctx").to("flujo:step:ctx?agent=#textThenMap&cache=true");
        r.from("direct:batchy").to("flujo:step:batchy?agent=#batchAgent&enablePerformanceMonitoring=true"
                                   + "&enableOptimizedTelemetry=true&telemetryBatchSize=100&telemetryFlushIntervalSeconds=3600");
        r.from("direct:ra").transform(r.simple("a:${body}"));
        r.from("direct:routed").to("flujo:router:routed?agent=#routerAgent&cache=true&branches=a=direct:ra");
        r.from("direct:tunedRouter").to("flujo:router:tunedRouter?agent=#tunedRouterAgent&cache=true"
                                        + "&cacheMaxSize=10&enablePerformanceMonitoring=true&enableAutomaticOptimization=true"
                                        + "&optimizationAnalysisIntervalSeconds=3600&branches=a=direct:ra");
        r.from("direct:resume").to("flujo:resume?stateStore=memory");
    }

    private FlujoEndpoint endpoint(String prefix) {
        return context.getEndpoints().stream().filter(FlujoEndpoint.class::isInstance).map(FlujoEndpoint.class::cast)
                .filter(e -> e.getEndpointUri().startsWith(prefix)).findFirst().orElseThrow();
    }

    // --- found by the review (each failed before its fix) -------------------------------------------------------

    /*
     * Found by the review, fixed since: a runtime change of maxConcurrentExecutions (or maxConcurrentExecutionsWait)
     * never reaches the bulkhead. StepPlanFactory.create (StepPlanFactory.java:73-75) asks
     * CamelResilience.bulkheadForStep (CamelResilience.java:78-85), which calls BulkheadRegistry.bulkhead(name, config,
     * tags): Resilience4j returns the bulkhead already registered under "flujo-step-<name>" and ignores the new config.
     * So the option is accepted, validated, reported by getOptimizationStats' config part, used in the rejection
     * message - and the step keeps its old cap. Consequences: reconfigure/updateOption of either option does nothing;
     * disableOptimizations() does not undo a cap the automatic optimizer lowered (bulkhead.changeConfig lives on in the
     * registry), and the next AutomaticOptimizer takes that lowered cap as "configured" (AutomaticOptimizer.java:93),
     * so it never raises it back. Fix: when the plan's maxConcurrentExecutions/maxConcurrentExecutionsWait differ from
     * the registered bulkhead's config, call bulkhead.changeConfig(...) (Resilience4j resizes a semaphore bulkhead in
     * place) in bulkheadForStep; keep the AutomaticOptimizer's bound from the OptimizationConfig, not from the live
     * bulkhead.
     */
    @Test
    void aRuntimeChangeOfMaxConcurrentExecutionsReachesTheBulkhead() throws Exception {
        FlujoEndpoint bulk = endpoint("flujo://step:bulk");
        CompletableFuture<Exchange> first = template.asyncSend("direct:bulk", e -> e.getIn().setBody("1"));
        bulkAgent.arrival(0).get(SAFETY_SECONDS, TimeUnit.SECONDS);

        bulk.reconfigure(Map.of("maxConcurrentExecutions", "2"));
        CompletableFuture<Exchange> second = template.asyncSend("direct:bulk", e -> e.getIn().setBody("2"));
        CompletableFuture.anyOf(second, bulkAgent.arrival(1)).get(SAFETY_SECONDS, TimeUnit.SECONDS);
        try {
            Throwable rejected = second.isDone() ? second.get().getException() : null;
            assertFalse(rejected instanceof StepRejectedException,
                    "maxConcurrentExecutions=2, one execution in flight, yet: " + rejected);
            assertTrue(bulkAgent.arrival(1).isDone(), "the second execution reached the agent");
            assertEquals(2, ((StepPlan) bulk.getPlan()).bulkhead().getBulkheadConfig().getMaxConcurrentCalls());
        } finally {
            bulkAgent.releaseAll("done");
            first.get(SAFETY_SECONDS, TimeUnit.SECONDS);
        }
    }

    /*
     * Found by the review, fixed since: the adaptive limit is created once per endpoint with the
     * maxConcurrentExecutionsWait of the first plan (FlujoEndpoint.java:120-122) and kept across runtime changes;
     * AdaptiveConcurrencyLimit's maxWait is final. A runtime change of maxConcurrentExecutionsWait is accepted but
     * never reaches it: a step configured with wait 0 and changed to 60 s still rejects at once (and
     * StepRejectedException then claims "none ended within 60000 ms", because StepExecution.proceed reads the wait from
     * the plan's config, StepExecution.java:186-187). Fix: make the wait a volatile, settable property of
     * AdaptiveConcurrencyLimit (setMaxWait) and set it in buildPlan, or pass the wait to tryAcquire(Duration) from the
     * plan's config.
     */
    @Test
    void aRuntimeChangeOfMaxConcurrentExecutionsWaitReachesTheAdaptiveLimit() throws Exception {
        FlujoEndpoint adaptive = endpoint("flujo://step:adaptive");
        AdaptiveConcurrencyLimit limit = ((StepPlan) adaptive.getPlan()).concurrencyLimit();
        List<AdaptiveConcurrencyLimit.Permit> held = new ArrayList<>();
        while (held.size() < limit.limit()) {
            held.add(limit.tryAcquire());
        }
        adaptive.reconfigure(Map.of("maxConcurrentExecutionsWait", "60000"));
        AdaptiveConcurrencyLimit now = ((StepPlan) adaptive.getPlan()).concurrencyLimit();

        ExecutorService asker = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> thread = new AtomicReference<>();
            Future<AdaptiveConcurrencyLimit.Permit> extra = asker.submit(() -> {
                thread.set(Thread.currentThread());
                return now.tryAcquire();
            });
            // until the asker waits for a slot (TIMED_WAITING in awaitSlot) or has already been answered
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
            while (!extra.isDone() && (thread.get() == null || thread.get().getState() != Thread.State.TIMED_WAITING)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            held.remove(0).ignored();
            AdaptiveConcurrencyLimit.Permit permit = extra.get(SAFETY_SECONDS, TimeUnit.SECONDS);
            assertNotNull(permit, "with maxConcurrentExecutionsWait=60s the execution over the limit waits for the"
                                  + " freed slot instead of being rejected at once");
            permit.ignored();
        } finally {
            held.forEach(AdaptiveConcurrencyLimit.Permit::ignored);
            asker.shutdownNow();
        }
    }

    /*
     * Found by the review, fixed since: resultHeaders is read once, when the producer is created
     * (FlujoProducer.java:41), so a runtime change (reconfigure / updateOption("resultHeaders", "false"), taken by
     * every kind) is accepted, shown by getOptimizationStats ("resultHeaders"=false) and ignored: the CamelFlujo*
     * headers keep being written. Fix: read endpoint.getConfiguration().isResultHeaders() per exchange (one volatile
     * read), or keep it in a volatile field of the endpoint set by reconfigure.
     */
    @Test
    void aRuntimeChangeOfResultHeadersReachesTheNextExchange() {
        FlujoEndpoint headers = endpoint("flujo://step:headers");
        Exchange before = template.request("direct:headers", e -> e.getIn().setBody("a"));
        assertEquals("headers", before.getMessage().getHeader(FlujoConstants.STEP_NAME));

        headers.reconfigure(Map.of("resultHeaders", "false"));
        assertEquals(false, headers.getOptimizationStats().get("resultHeaders"));
        Exchange after = template.request("direct:headers", e -> e.getIn().setBody("b"));

        assertNull(after.getMessage().getHeader(FlujoConstants.STEP_NAME), "resultHeaders=false at runtime");
    }

    /*
     * Found by the review, fixed since: inputTokensHeader / outputTokensHeader / costHeader are taken by STEP and
     * ROUTER and accepted by reconfigure, but the CamelAgentResolver is built once in doStart with the UsageHeaders of
     * the configuration at that time (FlujoEndpoint.java:96-98), and it caches the resolved EndpointAgent
     * (CamelAgentResolver.java:46). A runtime change is silently ignored: usage keeps being read from the old header.
     * Fix: rebuild the resolver (or give EndpointAgent a supplier of the current UsageHeaders) in buildPlan when the
     * header options change; stop the old resolver's producers once no plan uses them.
     */
    @Test
    void theUsageHeadersAreWiringAndCannotChangeAtRuntime() {
        FlujoEndpoint usage = endpoint("flujo://step:usage");

        FlujoConfigurationException refused = assertThrows(FlujoConfigurationException.class,
                () -> usage.reconfigure(Map.of("inputTokensHeader", "TokensB")));

        assertTrue(refused.getMessage().contains("inputTokensHeader"), refused.getMessage());
        Exchange after = template.request("direct:usage", e -> e.getIn().setBody("q2"));
        assertEquals(5L, after.getMessage().getHeader(FlujoConstants.INPUT_TOKENS, Long.class));
    }

    /*
     * Found by the review, fixed since: StepPlanFactory.fingerprint() (StepPlanFactory.java:102-107) leaves out
     * updatesContext, which STEP takes and reconfigure accepts, so StepPlan.cacheOf keeps the cache across
     * reconfigure(updatesContext=true). Its entries never passed ContextUpdatePhase (the old plan had none), but
     * StepExecution.contextWrites trusts cached outputs ("which passed it when stored", StepExecution.java:473-474) and
     * casts them to Map: a cached String makes every exchange with that input fail with a ClassCastException (through
     * crash()) without calling the agent, until the entry expires or is evicted. Fix: put updatesContext (and anything
     * else that changes which outputs are accepted) into the fingerprint, or make StepCache.reconfigured refuse to keep
     * the entries when updatesContext changes.
     */
    @Test
    void updatesContextIsWiringAndCannotChangeAtRuntime() {
        FlujoEndpoint ctx = endpoint("flujo://step:ctx");
        assertEquals("plain text", template.requestBody("direct:ctx", "q"));

        assertThrows(FlujoConfigurationException.class, () -> ctx.reconfigure(Map.of("updatesContext", "true")));

        assertEquals("plain text", template.requestBody("direct:ctx", "q"));
        assertEquals(1, textThenMap.calls(), "the entry still serves the unchanged step");
    }

    /*
     * Found by the review, fixed since: on a runtime change (reconfigure, updateOption, enable/disableOptimizations)
     * EndpointTelemetry.observer() flushes and drops the previous plan's BatchingObserver
     * (EndpointTelemetry.java:53-54, 166-174). The previous plan stays in use by the exchanges in flight, which record
     * into that orphaned batch after its last flush: no timer flushes it any more and flushTelemetry() flushes the new
     * one, so their results never reach the meters (unless that orphan later fills a whole batch). The statistics do
     * see them (shared StepStatistics), so meters and statistics disagree for good. The same happens with the kill
     * switch (enableOptimizedTelemetry goes off). Fix: keep the BatchingObserver across plans while batching stays on
     * (only replace it when batch size changes), or close the old one: a closed BatchingObserver hands each late result
     * straight to the delegate.
     */
    @Test
    void theMetersSeeAnExchangeThatWasInFlightDuringARuntimeChange() throws Exception {
        FlujoEndpoint batchy = endpoint("flujo://step:batchy");
        CompletableFuture<Exchange> inFlight = template.asyncSend("direct:batchy", e -> e.getIn().setBody("x"));
        CompletableFuture<AgentResponse> call = batchAgent.arrival(0).get(SAFETY_SECONDS, TimeUnit.SECONDS);

        batchy.reconfigure(Map.of("maxRetries", "2"));
        call.complete(AgentResponse.of("done"));
        assertEquals("done", inFlight.get(SAFETY_SECONDS, TimeUnit.SECONDS).getMessage().getBody());
        batchy.flushTelemetry();

        assertEquals(1L, batchy.getPerformanceStatistics().get("executionCount"));
        var success = meters.find("flujo.step.outcomes").tag("flujo.step", "batchy").tag("outcome", "success")
                .counter();
        assertEquals(1.0, success == null ? 0.0 : success.count(), "the in-flight exchange's result reached the meters");
    }

    /*
     * Found by the review, fixed since: CompositePlanFactory.router (CompositePlanFactory.java:70-71) builds the
     * router's StepPlan without StepPlanFactory.keeping(...), so unlike a STEP endpoint (FlujoEndpoint.java:130) a
     * ROUTER endpoint loses its cache entries (and its in-flight map for shared misses) on every runtime change, gets a
     * fresh AdaptiveConcurrencyLimit on every replan (the learned limit is lost, and old and new limits each admit
     * their own executions meanwhile) while the endpoint's own adaptive limit - the one metered by the gauge - is never
     * used. Fix: have FlujoEndpoint.buildPlan pass the previous router plan's cache and the endpoint's adaptive limit
     * to composites.router(...) (e.g. RouterPlan exposes its router StepPlan) and call keeping(...) there.
     */
    @Test
    void aRouterKeepsItsCacheEntriesAcrossARuntimeChange() {
        FlujoEndpoint routed = endpoint("flujo://router:routed");
        template.requestBody("direct:routed", "q");
        template.requestBody("direct:routed", "q");
        assertEquals(1, routerAgent.calls(), "the router's answer is cached");

        routed.reconfigure(Map.of("maxRetries", "2"));
        template.requestBody("direct:routed", "q");

        assertEquals(1, routerAgent.calls(), "a runtime change keeps the cache entries, as for flujo:step");
    }

    /*
     * Found by the review, fixed since: ROUTER takes every AGENT option (FlujoKind.java:26), including
     * enableAutomaticOptimization, optimizationAnalysisIntervalSeconds and performanceDegradationThreshold, but
     * FlujoEndpoint.buildPlan (FlujoEndpoint.java:140-144) only hands a StepPlan's cache and bulkhead to the optimizer;
     * a RouterPlan gets telemetry.optimize(config, null, null), and its statistics are the composite's (no cache
     * hits/misses). So on a router the option is validated, scheduled every interval, reported as on - and can never do
     * anything. Fix: pass the router StepPlan's cache and bulkhead and count its cache lookups, or remove the three
     * options from ROUTER's option set so that setting them fails the route start (then change this test to expect
     * that).
     */
    @Test
    void automaticOptimizationOnARouterTunesTheRoutersCache() {
        for (int i = 0; i < 150; i++) {
            template.requestBody("direct:tunedRouter", "distinct-" + i);
        }
        List<AutomaticOptimizer.Action> actions = endpoint("flujo://router:tunedRouter").runOptimizationAnalysis();

        assertEquals(1, actions.size(), "a full cache of 10 that hit 0% of 150 lookups, yet: " + actions);
        assertEquals("cacheMaxSize", actions.get(0).option());
    }

    /*
     * Found by the review, fixed since: FlujoComponent.reconfigure (FlujoComponent.java:116-136) promises "then nothing
     * is changed" on failure, but it assigns the new component configuration before reconfiguring the endpoints, and an
     * endpoint's reconfigure can fail after the component-level check passed (a bean reference is only resolved when
     * the plan is built; an endpoint later in the loop can fail after earlier ones were changed). The component keeps
     * the bad default, so every endpoint created later inherits it (and fails to start), and endpoints earlier in the
     * loop keep the change. Fix: build (and validate) every endpoint's next plan first and commit all or nothing,
     * restoring the component's configuration and the endpoints already changed when one fails.
     */
    @Test
    void aFailedComponentReconfigureChangesNothing() {
        FlujoComponent component = context.getComponent("flujo", FlujoComponent.class);

        assertThrows(RuntimeException.class, () -> component.reconfigure(Map.of("validators", "#noSuchValidator")));

        assertNull(component.getConfiguration().getValidators(),
                "the failed change stays as the default of every endpoint created later");
    }

    /*
     * Found by the review, fixed since: a RESUME endpoint takes stateStore/stateUrl/stateDataSource (FlujoKind.java:33)
     * and reconfigure accepts them, but its store is only chosen in doStart (FlujoEndpoint.java:104-106; buildPlan
     * returns null for RESUME and FlujoResumeProducer captures the store at its start, FlujoResumeProducer.java:50). A
     * runtime change is silently ignored - and after a component-level reconfigure(stateStore=...) the human steps
     * (whose plan is rebuilt) pause runs into the new store while flujo:resume keeps looking in the old one, so those
     * runs cannot be resumed. Fix: resolve the store in buildPlan for RESUME as well and have the producer read it per
     * exchange.
     */
    @Test
    void theStateStoreIsWiringAndCannotChangeAtRuntime() {
        FlujoEndpoint resume = endpoint("flujo://resume");

        assertThrows(FlujoConfigurationException.class, () -> resume.reconfigure(Map.of("stateStore", "#customStore")));

        assertEquals("memory", resume.getConfiguration().getStateStore());
    }

    /*
     * Found by the review, fixed since: same cause as above: a bad stateStore value for RESUME, which fails the
     * endpoint's start, is accepted by reconfigure (the javadoc promises "a bad value fails naming it and changes
     * nothing"), so the endpoint's configuration now holds a value that will fail the next restart. Fix: as above
     * (resolving the store in buildPlan validates it and rolls back on failure).
     */
    @Test
    void aBadStateStoreIsRefusedAtRuntimeAsAtStart() {
        FlujoEndpoint resume = endpoint("flujo://resume");

        assertThrows(RuntimeException.class, () -> resume.reconfigure(Map.of("stateStore", "nonsense")));
        assertEquals("memory", resume.getConfiguration().getStateStore());
    }

    /*
     * Found by the review, fixed since: memoryPressureThresholdMb is only checked for being negative
     * (OptimizationConfig.java:255-258), and MemoryGuard.forHeap converts it with thresholdMb * 1024 * 1024
     * (MemoryGuard.java:52), which overflows for any value above Long.MAX_VALUE / 2^20 (about 8.8e12 MB). A huge
     * threshold - meant as "practically never" - becomes negative, the used heap is always above it, and the cache
     * refuses every entry (and sits at a quarter of its size) for good; the route starts without complaint.
     * FlujoOptionOverflowTest shows overflowing option values are meant to fail the start. Fix: validate
     * memoryPressureThresholdMb <= Long.MAX_VALUE / (1024 * 1024) (naming the option), or convert with
     * Math.multiplyExact and saturate.
     */
    @Test
    void aMemoryPressureThresholdThatOverflowsFailsNamingTheOption() {
        // 2^53 + 1 MB: fits a long, but not as a count of bytes
        Exception bad = assertThrows(Exception.class, () -> context.getEndpoint("flujo:step:mem?agent=#memAgent"
                                                                                + "&cache=true&enableMemoryOptimization=true&memoryPressureThresholdMb=9007199254740993"));

        assertTrue(bad.getMessage().contains("memoryPressureThresholdMb"), bad.getMessage());
    }

    // --- pins: behaviour that is right --------------------------------------------------------------------------

    @Test
    void componentDisableReachesEndpointsCreatedLaterAndEnableRestoresThem() throws Exception {
        FlujoComponent component = context.getComponent("flujo", FlujoComponent.class);
        component.disableOptimizations();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:late").to("flujo:step:late?agent=#echo&cache=true");
            }
        });
        FlujoEndpoint late = endpoint("flujo://step:late");
        assertFalse(late.isOptimizationsEnabled());
        assertFalse(((StepPlan) late.getPlan()).sharesCacheMisses());

        component.enableOptimizations();
        assertTrue(((StepPlan) late.getPlan()).sharesCacheMisses());
    }

    @Test
    void aFailedEndpointReconfigureKeepsTheConfigurationAndTheStepWorks() {
        FlujoEndpoint headers = endpoint("flujo://step:headers");

        assertThrows(RuntimeException.class, () -> headers.reconfigure(Map.of("validators", "#noSuchValidator")));

        // the rollback rebuilds an equivalent plan (a new object) from the previous options
        assertNotNull(headers.getPlan());
        assertNull(headers.getConfiguration().getValidators());
        assertEquals("echo:ok", template.requestBody("direct:headers", "ok"));
    }

    /** Every call hangs until the test completes it; arrival(n) completes when call n (0-based) arrives. */
    static final class HangingAgent implements FlujoAgent {
        private final List<CompletableFuture<CompletableFuture<AgentResponse>>> arrivals = new CopyOnWriteArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        HangingAgent() {
            for (int i = 0; i < 16; i++) {
                arrivals.add(new CompletableFuture<>());
            }
        }

        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            CompletableFuture<AgentResponse> reply = new CompletableFuture<>();
            arrivals.get(next.getAndIncrement()).complete(reply);
            return reply;
        }

        CompletableFuture<CompletableFuture<AgentResponse>> arrival(int n) {
            return arrivals.get(n);
        }

        void releaseAll(Object output) {
            arrivals.stream().filter(CompletableFuture::isDone).forEach(a -> a.join().complete(AgentResponse.of(output)));
        }
    }
}
