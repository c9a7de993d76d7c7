package dev.flujo.camel;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.flujo.camel.option.FlujoUris;
import dev.flujo.camel.option.OptionCatalog;
import dev.flujo.camel.option.OptionValues;
import dev.flujo.camel.resilience.CamelResilience;
import dev.flujo.camel.state.StateStores;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.exec.ExecutorCore;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The {@code flujo:} component: {@code flujo:kind:name?options}. Every endpoint option can also be set here as a
 * default for all endpoints, e.g. {@code camel.component.flujo.maxRetries=2}.
 *
 * <p>
 * One {@link ExecutorCore} serves all endpoints. Its time-out scheduler, continuation pool, branch pool (for the
 * branches of composite steps) and blocking-agent pool (for the calls of blocking endpoint agents that a time-out
 * bounds, see {@link #setBlockingAgentPoolSize}) come from Camel's {@code ExecutorServiceManager}, so they are named,
 * managed and shut down with the context.
 */
@Component("flujo")
@org.apache.camel.api.management.ManagedResource(description = "Flujo component")
public class FlujoComponent extends DefaultComponent {

    @Metadata(description = "Default options for every flujo endpoint of this component.")
    private FlujoConfiguration configuration = new FlujoConfiguration();

    /** Calls queued for the blocking-agent pool when every thread of it is busy; more are made on the caller. */
    static final int BLOCKING_AGENT_QUEUE_SIZE = 1_000;

    @Metadata(label = "advanced", defaultValue = "20",
              description = "Threads of the pool (FlujoBlockingAgents) that makes the calls of blocking endpoint agents"
                            + " bounded by a timeout: a synchronous producer (camel-http, langchain4j), a direct:"
                            + " route or seda:. Such a call holds a pool thread while the agent works, so the caller's thread is"
                            + " free when the timeout fires. Up to 1000 calls wait in the queue when every thread is busy"
                            + " (a call whose timeout fires while queued is not made); beyond that a call is made on the"
                            + " caller's thread. Asynchronous agents, and calls without a timeout, never use the pool."
                            + " Read when the first flujo endpoint starts.")
    private int blockingAgentPoolSize = 20;

    private ScheduledExecutorService timeoutScheduler;
    private ScheduledExecutorService telemetryScheduler;
    private ExecutorService continuationPool;
    private ExecutorService branchPool;
    private ExecutorService blockingAgentPool;
    private volatile ExecutorCore executorCore;
    private volatile boolean defaultsChecked;
    private volatile StateStores stateStores;
    private volatile boolean optimizationsOff;
    private final CamelResilience resilience = new CamelResilience(this::getCamelContext);

    public FlujoComponent() {
    }

    public FlujoComponent(CamelContext context) {
        super(context);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        checkComponentDefaultsOnce();
        String safeUri = FlujoUris.sanitize(uri);
        int colon = remaining.indexOf(':');
        String kind = colon < 0 ? remaining : remaining.substring(0, colon);
        FlujoKind flujoKind = FlujoKind.of(kind, safeUri);
        String name = colon < 0 ? "" : remaining.substring(colon + 1);
        if (name.isBlank() && flujoKind.needsName()) {
            throw new FlujoConfigurationException(
                    "Missing step name in " + safeUri + "; expected flujo:"
                                                  + flujoKind.uriName() + ":NAME");
        }
        OptionValues.check(parameters, "flujo step '" + name + "'");
        OptionValues.checkKind(parameters, flujoKind, safeUri);
        FlujoEndpoint endpoint = new FlujoEndpoint(uri, this, flujoKind, name, configuration.copy());
        setProperties(endpoint, parameters);
        if (optimizationsOff) {
            endpoint.disableOptimizations();
        }
        // option values are checked now, so a bad one fails the route start naming the option
        endpoint.getConfiguration().toOptimizationConfig(name);
        return endpoint;
    }

    /**
     * Checks the raw text of {@code camel.component.flujo.*} properties, which Camel would convert leniently (see
     * {@link OptionValues}), so a bad component default fails the route start naming the option. Done when the first
     * endpoint is created: by then camel-main has made every property source visible, which is not yet the case when
     * the component initialises.
     */
    private void checkComponentDefaultsOnce() {
        if (!defaultsChecked && getCamelContext().getPropertiesComponent() != null) {
            OptionValues.checkComponentDefaults(getCamelContext().getPropertiesComponent(), "camel.component.flujo.");
            defaultsChecked = true;
        }
    }

    /**
     * Runs the endpoints' scheduled telemetry work (batch flushes, automatic optimization), created on first use. Not
     * the time-out timer: a slow flush must never delay a time-out.
     */
    synchronized ScheduledExecutorService scheduler() {
        if (telemetryScheduler == null) {
            telemetryScheduler = getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "FlujoTelemetry");
        }
        return telemetryScheduler;
    }

    /**
     * Turns every optimization off on every flujo endpoint, and on endpoints created later, effective for the next
     * exchange (see {@link FlujoEndpoint#disableOptimizations()}).
     */
    @org.apache.camel.api.management.ManagedOperation(description = "Turn every optimization off on every flujo"
                                                                    + " endpoint, effective for the next exchange")
    public void disableOptimizations() {
        optimizationsOff = true;
        endpoints().forEach(FlujoEndpoint::disableOptimizations);
    }

    /** Turns the configured optimizations back on, on every flujo endpoint, effective for the next exchange. */
    @org.apache.camel.api.management.ManagedOperation(description = "Turn the configured optimizations back on on"
                                                                    + " every flujo endpoint, effective for the next exchange")
    public void enableOptimizations() {
        optimizationsOff = false;
        endpoints().forEach(FlujoEndpoint::enableOptimizations);
    }

    @org.apache.camel.api.management.ManagedAttribute(description = "Whether the optimizations are on")
    public boolean isOptimizationsEnabled() {
        return !optimizationsOff;
    }

    /**
     * Changes options at runtime on every flujo endpoint whose kind takes them (and as defaults of endpoints created
     * later), effective for the next exchange.
     *
     * @throws FlujoConfigurationException naming a bad option or value; then nothing is changed
     */
    public synchronized void reconfigure(Map<String, Object> options) {
        java.util.List<String> wiring = options.keySet().stream()
                .filter(o -> !OptionCatalog.RUNTIME.contains(o)).sorted().toList();
        if (!wiring.isEmpty()) {
            throw new FlujoConfigurationException(
                    "flujo component: " + wiring + " cannot change at runtime: change"
                                                  + " the configuration and restart. Runtime options: the execution options and resultHeaders");
        }
        Map<String, Object> remaining = FlujoEndpoint.asText(options);
        OptionValues.check(remaining, "flujo component");
        FlujoConfiguration changed = configuration.changedBy(getCamelContext(), remaining, "(component defaults)");
        // every endpoint checked before any is changed; an option written in an endpoint's URI wins, as it does
        // over component defaults
        Map<FlujoEndpoint, Map<String, Object>> changes = new java.util.LinkedHashMap<>();
        for (FlujoEndpoint endpoint : endpoints()) {
            Map<String, Object> taken = new java.util.LinkedHashMap<>();
            java.util.Set<String> explicit = endpoint.uriOptions();
            options.forEach((option, value) -> {
                if (endpoint.getKind().takes(option) && !explicit.contains(option)) {
                    taken.put(option, value);
                }
            });
            if (!taken.isEmpty()) {
                endpoint.prepare(taken);
                changes.put(endpoint, taken);
            }
        }
        configuration = changed;
        changes.forEach(FlujoEndpoint::reconfigure);
    }

    /** The component defaults of the execution options, as the JSON of {@link OptimizationConfig#toJson()}. */
    @org.apache.camel.api.management.ManagedOperation(description = "The default execution options"
                                                                    + " (OptimizationConfig) of flujo endpoints, as JSON")
    public String exportConfig() {
        return configuration.toOptimizationConfig("(component defaults)").toJson();
    }

    /**
     * Applies an exported configuration as the component defaults and on every endpoint, as {@link #reconfigure} does
     * with the options whose values differ from the current defaults (an option written in an endpoint's URI wins
     * there). Refused whole, naming the bad option, when the JSON is malformed or invalid.
     *
     * @return the options it changed, by name, as text
     */
    @org.apache.camel.api.management.ManagedOperation(description = "Apply default execution options"
                                                                    + " (OptimizationConfig JSON) on every flujo endpoint; refused whole naming a bad option")
    public synchronized Map<String, Object> importConfig(String json) {
        OptimizationConfig imported = OptimizationConfig.fromJson(json);
        Map<String, Object> changes = OptionCatalog.changes(
                configuration.toOptimizationConfig("(component defaults)"), imported);
        if (!changes.isEmpty()) {
            reconfigure(changes);
        }
        return changes;
    }

    /** The agents' circuit breakers and the steps' bulkheads, in camel-resilience4j's registries. */
    CamelResilience resilience() {
        return resilience;
    }

    /** The state stores human and resume endpoints share, created on first use. */
    StateStores stateStores() {
        StateStores stores = stateStores;
        if (stores == null) {
            synchronized (this) {
                stores = stateStores;
                if (stores == null) {
                    stores = new StateStores(getCamelContext());
                    stateStores = stores;
                }
            }
        }
        return stores;
    }

    /** The shared executor, created on first use (endpoints may start before the component's own start ends). */
    ExecutorCore executorCore() {
        ExecutorCore core = executorCore;
        if (core == null) {
            synchronized (this) {
                core = executorCore;
                if (core == null) {
                    if (blockingAgentPoolSize < 1) {
                        throw new FlujoConfigurationException(
                                "Invalid options of the flujo component: blockingAgentPoolSize must be at least 1, was "
                                                              + blockingAgentPoolSize);
                    }
                    var executors = getCamelContext().getExecutorServiceManager();
                    // one alarm per agent call in flight with a time-out: not Camel's default queue bound (1,000),
                    // which rejected the alarm of the 1,001st call in flight and so failed that call
                    ThreadPoolProfile alarms = new ThreadPoolProfile("FlujoTimeouts");
                    alarms.setPoolSize(1);
                    alarms.setMaxPoolSize(1);
                    alarms.setKeepAliveTime(0L);
                    alarms.setAllowCoreThreadTimeOut(false);
                    alarms.setMaxQueueSize(-1);
                    timeoutScheduler = executors.newScheduledThreadPool(this, "FlujoTimeouts", alarms);
                    if (timeoutScheduler instanceof ScheduledThreadPoolExecutor stpe) {
                        // an answered call cancels its alarm: drop it now rather than keep it queued until it was due
                        stpe.setRemoveOnCancelPolicy(true);
                    }
                    continuationPool = executors.newDefaultThreadPool(this, "FlujoContinuations");
                    branchPool = executors.newDefaultThreadPool(this, "FlujoBranches");
                    // a fixed pool whose idle threads go away, a bounded queue, and a refusal (not Camel's default
                    // CallerRuns) that the core handles itself: it makes a refused call on the caller's thread
                    ThreadPoolProfile blocking = new ThreadPoolProfile("FlujoBlockingAgents");
                    blocking.setPoolSize(blockingAgentPoolSize);
                    blocking.setMaxPoolSize(blockingAgentPoolSize);
                    blocking.setKeepAliveTime(60L);
                    blocking.setTimeUnit(java.util.concurrent.TimeUnit.SECONDS);
                    blocking.setAllowCoreThreadTimeOut(true);
                    blocking.setMaxQueueSize(BLOCKING_AGENT_QUEUE_SIZE);
                    blocking.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
                    blockingAgentPool = executors.newThreadPool(this, "FlujoBlockingAgents", blocking);
                    core = new ExecutorCore(
                            timeoutScheduler, continuationPool, branchPool, blockingAgentPool,
                            System::nanoTime);
                    executorCore = core;
                }
            }
        }
        return core;
    }

    /**
     * Stops after the routes (Camel's shutdown strategy has given exchanges in flight its time-out to finish): an agent
     * call still waiting for its answer is abandoned, so its exchange fails with a FlujoCancelledException instead of
     * waiting forever for an agent - and a time-out - that a stopped context no longer runs.
     */
    @Override
    protected synchronized void doStop() throws Exception {
        if (executorCore != null) {
            executorCore.stop(new IllegalStateException(
                    "the flujo component of Camel context '"
                                                        + getCamelContext().getName() + "' stopped"));
        }
        var executors = getCamelContext().getExecutorServiceManager();
        if (timeoutScheduler != null) {
            executors.shutdown(timeoutScheduler);
            timeoutScheduler = null;
        }
        if (continuationPool != null) {
            executors.shutdown(continuationPool);
            continuationPool = null;
        }
        if (branchPool != null) {
            executors.shutdown(branchPool);
            branchPool = null;
        }
        if (blockingAgentPool != null) {
            // not shutdownNow: a call the pool is making goes on (it cannot be taken back), its reply is dropped
            executors.shutdown(blockingAgentPool);
            blockingAgentPool = null;
        }
        if (telemetryScheduler != null) {
            executors.shutdown(telemetryScheduler);
            telemetryScheduler = null;
        }
        executorCore = null;
        resilience.clear();
        super.doStop();
    }

    /** The performance statistics of every flujo step endpoint of the context that keeps them, by endpoint URI. */
    public Map<String, Map<String, Object>> getPerformanceStatistics() {
        Map<String, Map<String, Object>> all = new java.util.TreeMap<>();
        for (FlujoEndpoint endpoint : endpoints()) {
            Map<String, Object> stats = endpoint.getPerformanceStatistics();
            if (!stats.isEmpty()) {
                all.put(FlujoUris.sanitize(endpoint.getEndpointUri()), stats);
            }
        }
        return all;
    }

    /** The recommendations of every flujo step endpoint that has any, by endpoint URI. */
    public Map<String, java.util.List<dev.flujo.core.telemetry.StepStatistics.Recommendation>> getPerformanceRecommendations() {
        Map<String, java.util.List<dev.flujo.core.telemetry.StepStatistics.Recommendation>> all = new java.util.TreeMap<>();
        for (FlujoEndpoint endpoint : endpoints()) {
            var advice = endpoint.getPerformanceRecommendations();
            if (!advice.isEmpty()) {
                all.put(FlujoUris.sanitize(endpoint.getEndpointUri()), advice);
            }
        }
        return all;
    }

    /** The flujo endpoints of this component in the context. */
    public java.util.List<FlujoEndpoint> endpoints() {
        return getCamelContext().getEndpoints().stream().filter(FlujoEndpoint.class::isInstance)
                .map(FlujoEndpoint.class::cast).filter(e -> e.getComponent() == this).toList();
    }

    public FlujoConfiguration getConfiguration() {
        return configuration;
    }

    /** Default options for every flujo endpoint of this component. */
    public void setConfiguration(FlujoConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getBlockingAgentPoolSize() {
        return blockingAgentPoolSize;
    }

    /**
     * Threads of the pool that makes the calls of blocking endpoint agents (a synchronous producer, a {@code direct:}
     * route) bounded by a {@code timeout}, default 20; queue of {@value #BLOCKING_AGENT_QUEUE_SIZE} calls, beyond which
     * a call is made on the caller's thread. Read when the first flujo endpoint starts.
     */
    public void setBlockingAgentPoolSize(int blockingAgentPoolSize) {
        this.blockingAgentPoolSize = blockingAgentPoolSize;
    }
}
