package dev.flujo.camel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flujo.camel.agent.CamelAgentResolver;
import dev.flujo.camel.agent.EndpointAgent;
import dev.flujo.camel.branch.CamelBranches;
import dev.flujo.camel.option.FlujoUris;
import dev.flujo.camel.option.OptionCatalog;
import dev.flujo.camel.option.OptionValues;
import dev.flujo.camel.plan.CompositePlanFactory;
import dev.flujo.camel.plan.StepPlanFactory;
import dev.flujo.camel.telemetry.EndpointTelemetry;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.exec.FlujoPlan;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.flow.RouterPlan;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.state.StateStore;
import dev.flujo.core.telemetry.AutomaticOptimizer;
import dev.flujo.core.telemetry.StepObserver;
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
import org.apache.camel.util.URISupport;

/**
 * Runs an AI-pipeline step: an agent call wrapped in prompt and output processors, validators and plugins, with retries
 * that feed back what went wrong, a fallback, an output cache and run-wide token and cost limits - or a composite of
 * steps: parallel branches, a loop, a conditional, a router, a map over a list, a pause for a person and the resume
 * that continues it.
 */
@ManagedResource(description = "Flujo step")
@UriEndpoint(firstVersion = "4.18.0", scheme = "flujo", title = "Flujo", syntax = "flujo:kind:name",
             producerOnly = true, category = { Category.AI }, headersClass = FlujoConstants.class)
// kinds: step (agent), parallel, loop, conditional, router, map, human (pause for a person), resume
public class FlujoEndpoint extends DefaultEndpoint {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FlujoEndpoint.class);

    @UriPath(description = "The kind of endpoint: step (an agent call), parallel, loop, conditional, router, map,"
                           + " human (pause the run for a person) or resume (continue a paused run).",
             enums = "step,parallel,loop,conditional,router,map,human,resume")
    @Metadata(required = true)
    private FlujoKind kind;
    @UriPath(description = "The step name: used in results, headers, errors and the cache fingerprint. Required for"
                           + " every kind but resume.")
    private String name;
    @UriParam
    private volatile FlujoConfiguration configuration;

    private CamelAgentResolver agents;
    private CamelBranches branches;
    private volatile FlujoPlan plan;
    private volatile OptimizationConfig configured;
    private volatile boolean optimizationsOff;
    private EndpointTelemetry telemetry;
    private AdaptiveConcurrencyLimit adaptiveLimit;
    private volatile List<String> ineffective = List.of();
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
        throw new UnsupportedOperationException(
                "The flujo component has no consumer: use it in to(), e.g. "
                                                + "to(\"flujo:step:" + name + "?agent=direct:llm\")");
    }

    @Override
    protected synchronized void doStart() throws Exception {
        super.doStart();
        configured = configuration.toOptimizationConfig(name);
        agents = new CamelAgentResolver(
                getCamelContext(), name, new EndpointAgent.UsageHeaders(
                        configuration.getInputTokensHeader(), configuration.getOutputTokensHeader(),
                        configuration.getCostHeader()),
                configuration.getSystemMessage());
        branches = new CamelBranches(getCamelContext(), name);
        telemetry = new EndpointTelemetry(getCamelContext(), name, kind, getComponent().scheduler());
        ServiceHelper.startService(agents, branches);
        try {
            plan = buildPlan(effectiveConfig());
            if (kind == FlujoKind.RESUME) {
                stateStore = getComponent().stateStores().storeFor(name.isEmpty() ? "resume" : name, configuration);
            }
        } catch (RuntimeException e) {
            telemetry.stop();
            ServiceHelper.stopService(agents, branches);
            throw e;
        }
    }

    /**
     * Everything decided once per configuration: the plan of the kind, its telemetry, the automatic optimizer. Called
     * at start and again when the options change at runtime; a step keeps its cache entries and its adaptive limit
     * across such changes.
     */
    private FlujoPlan buildPlan(OptimizationConfig config) {
        // the observer is made once per plan, from the adaptive limit its agent step was given (none for other kinds)
        java.util.function.Function<AdaptiveConcurrencyLimit, StepObserver> observer
                = kind == FlujoKind.HUMAN || kind == FlujoKind.RESUME
                        ? limit -> null
                        : limit -> telemetry.observer(config, limit);
        CompositePlanFactory composites = new CompositePlanFactory(
                getCamelContext(), name, kind, configuration,
                branches, getComponent().resilience(), observer);
        FlujoPlan built = switch (kind) {
            case STEP -> new StepPlanFactory(getCamelContext(), name, configuration, getComponent().resilience())
                    .keeping(observer, adaptiveLimit, plan instanceof StepPlan previous ? previous.cache() : null,
                            plan != null)
                    .create(config, agents);
            case PARALLEL -> composites.parallel(config);
            case LOOP -> composites.loop(config);
            case CONDITIONAL -> composites.conditional(config);
            case ROUTER -> composites.router(config, agents, adaptiveLimit,
                    plan instanceof RouterPlan previous ? previous.router().cache() : null, plan != null);
            case MAP -> composites.map(config);
            case HUMAN -> composites.human(getComponent().stateStores());
            case RESUME -> null;
        };
        StepPlan agentStep = agentStep(built);
        if (agentStep != null && agentStep.concurrencyLimit() != null) {
            // kept for the plans of later runtime changes: what the limit learned survives them
            adaptiveLimit = agentStep.concurrencyLimit();
        }
        List<String> ineffective = OptionCatalog.ineffective(config, uriOptions());
        if (!ineffective.isEmpty()) {
            // not an error (the route may switch the prerequisite on at runtime), but never silent
            LOG.warn("Step '{}': {}", name, String.join("; ", ineffective));
        }
        this.ineffective = ineffective;
        telemetry.optimize(config, agentStep == null ? null : agentStep.cache(),
                agentStep == null ? null : agentStep.bulkhead());
        return built;
    }

    /** The agent step of a plan: the step itself, a router's routing step; {@code null} for other kinds. */
    private static StepPlan agentStep(FlujoPlan plan) {
        return plan instanceof StepPlan step ? step : plan instanceof RouterPlan router ? router.router() : null;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (telemetry != null) {
            telemetry.stop();
        }
        ServiceHelper.stopService(agents, branches);
        plan = null;
        super.doStop();
    }

    private OptimizationConfig effectiveConfig() {
        return optimizationsOff ? configured.withoutOptimizations() : configured;
    }

    /**
     * Turns every optimization off (see {@link OptimizationConfig#withoutOptimizations()}) for the next exchange,
     * without a restart; exchanges in flight finish as they started. The kill switch when an optimization is suspected
     * of a problem.
     */
    @ManagedOperation(description = "Turn every optimization off, effective for the next exchange")
    public synchronized void disableOptimizations() {
        optimizationsOff = true;
        replan();
    }

    /** Turns the optimizations back on, as the options configure them, for the next exchange. */
    @ManagedOperation(description = "Turn the configured optimizations back on, effective for the next exchange")
    public synchronized void enableOptimizations() {
        optimizationsOff = false;
        replan();
    }

    @ManagedAttribute(description = "Whether the optimizations are on (as configured) or turned off at runtime")
    public boolean isOptimizationsEnabled() {
        return !optimizationsOff;
    }

    /**
     * Changes options at runtime, effective for the next exchange, e.g. {@code reconfigure(Map.of("maxRetries",
     * 3, "cacheMaxSize", 50000))}. The options are checked like URI options: an unknown option, one this kind does not
     * take or a bad value fails naming it and changes nothing.
     *
     * @throws FlujoConfigurationException naming the problems; the endpoint keeps its previous options
     */
    public synchronized void reconfigure(Map<String, Object> options) {
        FlujoConfiguration changed = prepare(options);
        OptimizationConfig next = changed.toOptimizationConfig(name);
        FlujoConfiguration previous = configuration;
        OptimizationConfig previousConfig = configured;
        configuration = changed;
        configured = next;
        try {
            replan();
        } catch (RuntimeException e) {
            configuration = previous;
            configured = previousConfig;
            replan();
            throw e;
        }
        LOG.info("Step '{}' reconfigured at runtime: {}", name, options.keySet());
    }

    /**
     * This endpoint's options with {@code options} applied, checked as {@link #reconfigure} checks them, without
     * changing anything (the component checks every endpoint before it changes any).
     */
    synchronized FlujoConfiguration prepare(Map<String, Object> options) {
        List<String> wiring = options.keySet().stream().filter(o -> !OptionCatalog.RUNTIME.contains(o)).sorted().toList();
        if (!wiring.isEmpty()) {
            throw new FlujoConfigurationException(
                    "Step '" + name + "': " + wiring + " cannot change at runtime (they"
                                                  + " name agents, beans or endpoints resolved at start): change the route and restart it. Runtime"
                                                  + " options: the execution options (OptimizationConfig) and resultHeaders");
        }
        Map<String, Object> remaining = asText(options);
        OptionValues.check(remaining, "flujo step '" + name + "'");
        OptionValues.checkKind(remaining, kind, FlujoUris.sanitize(getEndpointUri()));
        return configuration.changedBy(getCamelContext(), remaining, name);
    }

    /** The options written in this endpoint's URI (they win over component-wide changes, as over defaults). */
    java.util.Set<String> uriOptions() {
        String uri = getEndpointUri();
        int query = uri.indexOf('?');
        if (query < 0) {
            return java.util.Set.of();
        }
        try {
            return URISupport.parseQuery(uri.substring(query + 1)).keySet();
        } catch (java.net.URISyntaxException e) {
            return java.util.Set.of();
        }
    }

    /**
     * Numbers and booleans as text, as URI options are: checked the same way (no silent lenient conversion) and bound
     * whatever their boxed type ({@code 3} for a long option).
     */
    static Map<String, Object> asText(Map<String, Object> options) {
        Map<String, Object> text = new LinkedHashMap<>();
        options.forEach((option, value) -> text.put(option,
                value instanceof Number || value instanceof Boolean ? value.toString() : value));
        return text;
    }

    /**
     * The execution options this endpoint is configured with, as the JSON of {@link OptimizationConfig#toJson()}: what
     * its URI, the component defaults and runtime changes made of them (not the kill switch of
     * {@link #disableOptimizations()}, which is a state of its own). {@link #importConfig} takes it back.
     */
    @ManagedOperation(description = "The execution options (OptimizationConfig) this step runs with, as JSON")
    public String exportConfig() {
        OptimizationConfig config = configured;
        return (config == null ? configuration.toOptimizationConfig(name) : config).toJson();
    }

    /**
     * Applies an exported configuration (the JSON of {@link #exportConfig()}, whole or in part: absent options keep the
     * core's defaults), effective for the next exchange. The JSON is validated; then the options whose values differ
     * from this endpoint's are changed as {@link #reconfigure} changes them. Refused whole, naming the bad option, when
     * the JSON is malformed or invalid, or changes an option this kind does not take.
     *
     * @return                             the options it changed, by name, as text
     * @throws FlujoConfigurationException naming the problems; the endpoint keeps its options
     */
    @ManagedOperation(description = "Apply execution options (OptimizationConfig JSON, as exportConfig writes it),"
                                    + " effective for the next exchange; refused whole naming a bad option")
    public synchronized Map<String, Object> importConfig(String json) {
        OptimizationConfig imported = OptimizationConfig.fromJson(json);
        OptimizationConfig current = configured == null ? configuration.toOptimizationConfig(name) : configured;
        Map<String, Object> changes = OptionCatalog.changes(current, imported);
        if (!changes.isEmpty()) {
            reconfigure(changes);
        }
        return changes;
    }

    /** A reconfiguration of one option, as JMX and the console pass it: the value as text. */
    @ManagedOperation(description = "Change one option at runtime (e.g. maxRetries, 3), effective for the next exchange")
    public void updateOption(String option, String value) {
        reconfigure(Map.of(option, value));
    }

    private void replan() {
        if (isStarted() || isStarting()) {
            plan = buildPlan(effectiveConfig());
        }
    }

    /** Hands the meters what {@code enableOptimizedTelemetry} has buffered, now. */
    @ManagedOperation(description = "Flush the batched telemetry to the meters now")
    public void flushTelemetry() {
        if (telemetry != null) {
            telemetry.flush();
        }
    }

    /** Runs the automatic optimizer's analysis now; what it applied (empty when it is off). */
    @ManagedOperation(description = "Run the automatic optimization analysis now")
    public List<AutomaticOptimizer.Action> runOptimizationAnalysis() {
        return telemetry == null ? List.of() : telemetry.analyzeNow();
    }

    private StepStatistics statistics() {
        return telemetry == null ? null : telemetry.statistics();
    }

    /**
     * Execution count, failures, total and mean time, p50/p95/p99 (over the last executions), retries, fallbacks, cache
     * hits, misses and hit rate, breaker rejections, errors by type; empty unless {@code enablePerformanceMonitoring}
     * is on.
     */
    public Map<String, Object> getPerformanceStatistics() {
        StepStatistics stats = statistics();
        return stats == null ? Map.of() : stats.snapshot();
    }

    /** Which optimizations this endpoint runs with now, and what they did. */
    public Map<String, Object> getOptimizationStats() {
        OptimizationConfig config = configured == null ? configuration.toOptimizationConfig(name) : effectiveConfig();
        Map<String, Object> on = new LinkedHashMap<>();
        on.put("optimizationsEnabled", !optimizationsOff);
        on.putAll(OptionCatalog.stats(config, configuration));
        if (!ineffective.isEmpty()) {
            on.put("ineffectiveOptions", ineffective);
        }
        StepPlan step = agentStep(plan);
        if (step != null) {
            if (step.cache() != null) {
                on.put("cacheEntries", step.cache().estimatedSize());
                on.put("cacheCurrentMaximum", step.cache().currentMaximum());
                on.put("cacheUnderMemoryPressure", step.cache().underMemoryPressure());
                on.put("cacheRefusedUnderPressure", step.cache().refusedUnderPressure());
            }
            if (step.bulkhead() != null) {
                on.put("bulkheadMaxConcurrent", step.bulkhead().getBulkheadConfig().getMaxConcurrentCalls());
            }
            if (step.concurrencyLimit() != null) {
                on.put("concurrencyLimit", step.concurrencyLimit().limit());
                on.put("concurrencyInFlight", step.concurrencyLimit().inFlight());
                on.put("concurrencyRejected", step.concurrencyLimit().rejected());
            }
        }
        AutomaticOptimizer optimizer = telemetry == null ? null : telemetry.optimizer();
        if (optimizer != null) {
            on.put("automaticActions", optimizer.history().stream().map(Object::toString).toList());
        }
        return on;
    }

    /** Advice computed from the statistics: description, impact and priority of each. */
    public List<StepStatistics.Recommendation> getPerformanceRecommendations() {
        StepStatistics stats = statistics();
        if (stats == null) {
            return List.of();
        }
        OptimizationConfig config = configured == null ? configuration.toOptimizationConfig(name) : effectiveConfig();
        return stats.recommendations(config.caching().cache(), config.caching().cacheMaxSize());
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

    @ManagedOperation(description = "Which optimizations run, and what they did")
    public String optimizationStats() {
        return getOptimizationStats().toString();
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
