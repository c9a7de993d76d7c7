package dev.flujo.camel;

import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.exec.FlujoPlan;
import dev.flujo.core.state.StateStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flujo.core.telemetry.StepStatistics;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Runs an AI-pipeline step: an agent call wrapped in prompt and output processors, validators and plugins, with
 * retries that feed back what went wrong, a fallback, an output cache and run-wide token and cost limits - or a
 * composite of steps: parallel branches, a loop, a conditional, a router, a map over a list, a pause for a person
 * and the resume that continues it.
 */
@ManagedResource(description = "Flujo step")
@UriEndpoint(firstVersion = "0.1.0", scheme = "flujo", title = "Flujo", syntax = "flujo:kind:name",
             producerOnly = true, category = { Category.AI }, headersClass = FlujoConstants.class)
// kinds: step (agent), parallel, loop, conditional, router, map, human (pause for a person), resume
public class FlujoEndpoint extends DefaultEndpoint {

    @UriPath(description = "The kind of endpoint: step (an agent call), parallel, loop, conditional, router, map,"
            + " human (pause the run for a person) or resume (continue a paused run).",
             enums = "step,parallel,loop,conditional,router,map,human,resume")
    @Metadata(required = true)
    private FlujoKind kind;
    @UriPath(description = "The step name: used in results, headers, errors and the cache fingerprint. Required for"
            + " every kind but resume.")
    private String name;
    @UriParam
    private FlujoConfiguration configuration;

    private CamelAgentResolver agents;
    private CamelBranches branches;
    private volatile FlujoPlan plan;
    private volatile StepStatistics statistics;
    private StateStore stateStore;

    public FlujoEndpoint(String uri, FlujoComponent component, FlujoKind kind, String name,
                         FlujoConfiguration configuration) {
        super(uri, component);
        this.kind = kind;
        this.name = name;
        this.configuration = configuration;
    }

    @Override
    public FlujoComponent getComponent() {
        return (FlujoComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return kind == FlujoKind.RESUME ? new FlujoResumeProducer(this) : new FlujoProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        throw new UnsupportedOperationException("The flujo component has no consumer: use it in to(), e.g. "
                + "to(\"flujo:step:" + name + "?agent=direct:llm\")");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        OptimizationConfig config = configuration.toOptimizationConfig(name);
        agents = new CamelAgentResolver(getCamelContext(), name, new EndpointAgent.UsageHeaders(
                configuration.getInputTokensHeader(), configuration.getOutputTokensHeader(),
                configuration.getCostHeader()));
        branches = new CamelBranches(getCamelContext(), name);
        ServiceHelper.startService(agents, branches);
        try {
            CompositePlanFactory composites = new CompositePlanFactory(getCamelContext(), name, kind, configuration,
                    branches, getComponent().resilience());
            StateStores stores = getComponent().stateStores();
            plan = switch (kind) {
                case STEP -> new StepPlanFactory(getCamelContext(), name, configuration,
                        getComponent().resilience()).statistics(statistics = newStatistics()).create(config, agents);
                case PARALLEL -> composites.parallel(config);
                case LOOP -> composites.loop(config);
                case CONDITIONAL -> composites.conditional(config);
                case ROUTER -> composites.router(config, agents);
                case MAP -> composites.map(config);
                case HUMAN -> composites.human(stores);
                case RESUME -> null;
            };
            if (kind == FlujoKind.RESUME) {
                stateStore = stores.storeFor(name.isEmpty() ? "resume" : name, configuration);
            }
        } catch (RuntimeException e) {
            ServiceHelper.stopService(agents, branches);
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(agents, branches);
        plan = null;
        super.doStop();
    }

    private StepStatistics newStatistics() {
        return configuration.isEnablePerformanceMonitoring() ? new StepStatistics() : null;
    }

    /**
     * Execution count, failures, total and mean time, p50/p95/p99 (over the last executions), retries, fallbacks,
     * cache hits, misses and hit rate, breaker rejections, errors by type; empty unless
     * {@code enablePerformanceMonitoring} is on.
     */
    public Map<String, Object> getPerformanceStatistics() {
        StepStatistics stats = statistics;
        return stats == null ? Map.of() : stats.snapshot();
    }

    /** Which optimizations this endpoint runs with. */
    public Map<String, Object> getOptimizationStats() {
        Map<String, Object> on = new LinkedHashMap<>();
        on.put("cache", configuration.isCache());
        on.put("cacheMaxSize", configuration.getCacheMaxSize());
        on.put("circuitBreaker", configuration.isEnableCircuitBreaker()
                || (configuration.getCircuitBreakerRef() != null && !configuration.getCircuitBreakerRef().isBlank()));
        on.put("maxConcurrentExecutions", configuration.getMaxConcurrentExecutions());
        on.put("optimizedErrorHandling", configuration.isEnableOptimizedErrorHandling());
        on.put("performanceMonitoring", configuration.isEnablePerformanceMonitoring());
        on.put("resultHeaders", configuration.isResultHeaders());
        return on;
    }

    /** Advice computed from the statistics: description, impact and priority of each. */
    public List<StepStatistics.Recommendation> getPerformanceRecommendations() {
        StepStatistics stats = statistics;
        return stats == null ? List.of() : stats.recommendations(configuration.isCache(), configuration.getCacheMaxSize());
    }

    @ManagedAttribute(description = "Executions of the step (enablePerformanceMonitoring)")
    public long getExecutionCount() {
        return (long) getPerformanceStatistics().getOrDefault("executionCount", 0L);
    }

    @ManagedAttribute(description = "Mean time of an execution in ms")
    public double getMeanTimeMs() {
        return (double) getPerformanceStatistics().getOrDefault("meanTimeMs", 0.0);
    }

    @ManagedAttribute(description = "95th percentile of the recent executions' time in ms")
    public double getP95Ms() {
        return (double) getPerformanceStatistics().getOrDefault("p95Ms", 0.0);
    }

    @ManagedAttribute(description = "Share of cache lookups that hit")
    public double getCacheHitRate() {
        return (double) getPerformanceStatistics().getOrDefault("cacheHitRate", 0.0);
    }

    @ManagedOperation(description = "All performance statistics")
    public String performanceStatistics() {
        return getPerformanceStatistics().toString();
    }

    @ManagedOperation(description = "Recommendations computed from the statistics")
    public String performanceRecommendations() {
        return getPerformanceRecommendations().toString();
    }

    /** The plan decided at start; {@code null} while the endpoint is stopped (and always for resume). */
    public FlujoPlan getPlan() {
        return plan;
    }

    /** The store a resume endpoint continues paused runs from; {@code null} for other kinds. */
    StateStore getStateStore() {
        return stateStore;
    }

    public FlujoKind getKind() {
        return kind;
    }

    public void setKind(FlujoKind kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public FlujoConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FlujoConfiguration configuration) {
        this.configuration = configuration;
    }
}
