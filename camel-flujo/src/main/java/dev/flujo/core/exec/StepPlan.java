package dev.flujo.core.exec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.AgentResolver;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.cache.CacheKey;
import dev.flujo.core.cache.CodecPool;
import dev.flujo.core.cache.MemoryGuard;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.resilience.AgentBreakers;
import dev.flujo.core.resilience.AgentRateLimits;
import dev.flujo.core.resilience.ErrorClassifier;
import dev.flujo.core.resilience.RetryBackoff;
import dev.flujo.core.resilience.StepProtection;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.OutputPhase;
import dev.flujo.core.step.OutputPhases;
import dev.flujo.core.step.StructuredOutput;
import dev.flujo.core.telemetry.StepObserver;
import dev.flujo.core.usage.UsageLimits;
import dev.flujo.core.usage.UsagePricing;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Everything about a step that can be decided once, when its endpoint starts: the resolved agents, the phases the step
 * actually uses (a step without validators has no validation phase, rather than an empty one checked on every call),
 * the cache, the limits and the pricing. Immutable and shared by all exchanges through the step.
 */
public final class StepPlan implements FlujoPlan {

    /** Turns the input into the agent's input: the prompt processors composed once. */
    @FunctionalInterface
    public interface PromptPhase {
        PromptPhase IDENTITY = (input, context) -> input;

        Object apply(Object input, FlujoContext context) throws Exception;
    }

    private final String name;
    private final String fingerprint;
    private final NamedAgent agent;
    private final NamedAgent fallback;
    private final PromptPhase prompt;
    private final List<OutputPhase> outputPhases;
    private final int maxAttempts;
    private final Duration timeout;
    private final StepCache cache;
    private final UsageLimits limits;
    private final long expectedTokens;
    private final BigDecimal expectedCostUsd;
    private final UsagePricing pricing;
    private final boolean updatesContext;
    private final String sinkTo;
    private final AgentResolver agentResolver;
    private final AgentBreakers breakers;
    private final ErrorClassifier errorClassifier;
    private final Bulkhead bulkhead;
    private final StepObserver observer;
    private final OptimizationConfig config;
    private final boolean sharesCacheMisses;
    private final AdaptiveConcurrencyLimit concurrencyLimit;
    private final AgentRateLimits rateLimits;
    private final RetryBackoff backoff;
    private final StructuredOutput structuredOutput;

    private StepPlan(Builder b) {
        this.name = b.name;
        this.config = b.config;
        this.fingerprint = b.fingerprint != null
                ? b.fingerprint
                : CacheKey.fingerprint("step", b.name, "agent", b.agent.name());
        this.agent = b.agent;
        this.fallback = b.fallback;
        // enableStepOptimization: only the phases the step uses, and a prompt phase of exactly its processors;
        // off, every phase runs on every call, empty or not (the generic pipeline, kept to measure against)
        boolean lean = b.config.pipeline().enableStepOptimization();
        this.prompt = lean ? composePrompt(b.promptProcessors) : chain(List.copyOf(b.promptProcessors));
        this.outputPhases = OutputPhases.of(lean, b.outputProcessors, b.structuredOutput, b.validators, b.plugins,
                b.updatesContext ? b.reservedContextKey : null);
        this.structuredOutput = b.structuredOutput;
        this.maxAttempts = b.config.maxAttempts();
        this.timeout = b.config.retry().timeout();
        this.cache = b.config.caching().cache() ? cacheOf(b, fingerprint) : null;
        this.sharesCacheMisses = b.config.caching().enableCacheOptimization();
        this.concurrencyLimit = b.protection.concurrencyLimit();
        this.limits = new UsageLimits(b.config.budget().costLimitUsd(), b.config.budget().tokenLimit());
        this.expectedTokens = b.config.budget().expectedTokens();
        this.expectedCostUsd = b.config.budget().expectedCostUsd();
        this.pricing = new UsagePricing(b.config.budget().costPerInputToken(), b.config.budget().costPerOutputToken());
        this.updatesContext = b.updatesContext;
        this.sinkTo = b.sinkTo;
        this.agentResolver = b.agentResolver;
        this.breakers = b.protection.breakers();
        this.bulkhead = b.protection.bulkhead();
        this.rateLimits = b.protection.rateLimits();
        this.backoff = RetryBackoff.of(b.config.retry());
        this.observer = b.observer;
        this.errorClassifier = b.config.retry().enableOptimizedErrorHandling()
                ? new ErrorClassifier(b.config.retry().errorCacheSize()) : null;
    }

    /** The step cache: the previous plan's entries when they are still valid (a runtime change), else a new one. */
    private static StepCache cacheOf(Builder b, String fingerprint) {
        OptimizationConfig c = b.config;
        CodecPool previousCodecs = b.previousCache == null ? null : b.previousCache.options().compression();
        CodecPool codecs = !c.caching().cacheCompression() ? null
                : !c.caching().enableObjectPool() ? CodecPool.unpooled()
                // the same pool across runtime changes: a new one would strand the old one's native codecs
                : previousCodecs != null && previousCodecs.maxIdle() == c.caching().objectPoolMaxSize()
                        && previousCodecs.cleanupThreshold() == c.caching().objectPoolCleanupThreshold()
                        ? previousCodecs
                : new CodecPool(c.caching().objectPoolMaxSize(), c.caching().objectPoolCleanupThreshold());
        StepCache.Options options = new StepCache.Options(
                c.caching().enableAlgorithmOptimization(), codecs,
                c.caching().enableMemoryOptimization() ? MemoryGuard.forHeap(c.caching().memoryPressureThresholdMb()) : null);
        StepCache kept = b.previousCache == null
                ? null
                : b.previousCache.reconfigured(fingerprint, c.caching().cacheKeyContext(), c.caching().cacheMaxSize(),
                        c.caching().cacheTtl(), options);
        return kept != null
                ? kept
                : new StepCache(
                        fingerprint, c.caching().cacheKeyContext(), c.caching().cacheMaxSize(), c.caching().cacheTtl(),
                        b.ticker, options);
    }

    private static PromptPhase composePrompt(List<FlujoProcessor> processors) {
        if (processors.isEmpty()) {
            return PromptPhase.IDENTITY;
        }
        if (processors.size() == 1) {
            FlujoProcessor only = processors.get(0);
            return only::process;
        }
        return chain(List.copyOf(processors));
    }

    private static PromptPhase chain(List<FlujoProcessor> chain) {
        return (input, context) -> {
            Object value = input;
            for (FlujoProcessor p : chain) {
                value = p.process(value, context);
            }
            return value;
        };
    }

    public static Builder builder(String name, OptimizationConfig config) {
        return new Builder(name, config);
    }

    @Override
    public CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        return core.execute(this, input, context, run, fallbackChain);
    }

    @Override
    public String name() {
        return name;
    }

    /** Identifies what the step computes: the name and every option that changes the output. */
    public String fingerprint() {
        return fingerprint;
    }

    public NamedAgent agent() {
        return agent;
    }

    /** The fallback agent, or {@code null}. */
    public NamedAgent fallback() {
        return fallback;
    }

    public PromptPhase prompt() {
        return prompt;
    }

    /**
     * Only the phases this step uses, in order: output processors, validators, plugins, and the check that an
     * {@code updatesContext} output is a map.
     */
    public List<OutputPhase> outputPhases() {
        return outputPhases;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The bound of one agent call, or {@code null}. */
    public Duration timeout() {
        return timeout;
    }

    /** The step cache, or {@code null} when caching is off. */
    public StepCache cache() {
        return cache;
    }

    public UsageLimits limits() {
        return limits;
    }

    public long expectedTokens() {
        return expectedTokens;
    }

    public BigDecimal expectedCostUsd() {
        return expectedCostUsd;
    }

    public UsagePricing pricing() {
        return pricing;
    }

    public boolean updatesContext() {
        return updatesContext;
    }

    /** The context key the output is stored under, or {@code null}. */
    public String sinkTo() {
        return sinkTo;
    }

    public AgentResolver agentResolver() {
        return agentResolver;
    }

    /** Told of every finished execution (telemetry); {@code null} when nobody listens. */
    public StepObserver observer() {
        return observer;
    }

    /** enableCacheOptimization: identical misses in flight share one agent call. */
    public boolean sharesCacheMisses() {
        return sharesCacheMisses;
    }

    /** The adaptive concurrency limit ({@code enableConcurrencyOptimization}), or {@code null}. */
    public AdaptiveConcurrencyLimit concurrencyLimit() {
        return concurrencyLimit;
    }

    /** Caps the step's executions in flight; {@code null} when uncapped. */
    public Bulkhead bulkhead() {
        return bulkhead;
    }

    /** Classifies agent errors as retryable or fatal; {@code null} when every error is retried. */
    public ErrorClassifier errorClassifier() {
        return errorClassifier;
    }

    /** The step's output schema ({@code outputSchema}), or {@code null}: a model agent may send it as its format. */
    public StructuredOutput structuredOutput() {
        return structuredOutput;
    }

    /** How long to wait before retrying a failed call. */
    public RetryBackoff backoff() {
        return backoff;
    }

    /** The rate limiters of an agent, or {@code null} when no rate limit is set (then nothing is reserved). */
    public AgentRateLimits.Limiters rateLimitsFor(NamedAgent agent) {
        return rateLimits == null ? null : rateLimits.forAgent(agent.name());
    }

    /** The circuit breaker guarding an agent, or {@code null} when breakers are off (then nothing is checked). */
    public CircuitBreaker breakerFor(NamedAgent agent) {
        return breakers == null ? null : breakers.forAgent(agent.name());
    }

    public OptimizationConfig config() {
        return config;
    }

    public static final class Builder {
        private final String name;
        private final OptimizationConfig config;
        private String fingerprint;
        private NamedAgent agent;
        private NamedAgent fallback;
        private List<FlujoProcessor> promptProcessors = List.of();
        private List<FlujoProcessor> outputProcessors = List.of();
        private List<FlujoValidator> validators = List.of();
        private List<FlujoPlugin> plugins = List.of();
        private StructuredOutput structuredOutput;
        private boolean updatesContext;
        private String sinkTo;
        private AgentResolver agentResolver = AgentResolver.NONE;
        private StepProtection protection;
        private StepCache previousCache;
        private StepObserver observer;
        private Ticker ticker = Ticker.systemTicker();
        private Predicate<String> reservedContextKey = key -> false;

        private Builder(String name, OptimizationConfig config) {
            this.name = Objects.requireNonNull(name, "name");
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder fingerprint(String fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        public Builder agent(NamedAgent agent) {
            this.agent = agent;
            return this;
        }

        public Builder fallback(NamedAgent fallback) {
            this.fallback = fallback;
            return this;
        }

        public Builder promptProcessors(List<? extends FlujoProcessor> processors) {
            this.promptProcessors = List.copyOf(processors);
            return this;
        }

        public Builder outputProcessors(List<? extends FlujoProcessor> processors) {
            this.outputProcessors = List.copyOf(processors);
            return this;
        }

        public Builder validators(List<? extends FlujoValidator> validators) {
            this.validators = List.copyOf(validators);
            return this;
        }

        public Builder plugins(List<? extends FlujoPlugin> plugins) {
            this.plugins = List.copyOf(plugins);
            return this;
        }

        /** The JSON Schema the answer must satisfy ({@code outputSchema}); {@code null} for none. */
        public Builder structuredOutput(StructuredOutput structuredOutput) {
            this.structuredOutput = structuredOutput;
            return this;
        }

        public Builder updatesContext(boolean updatesContext) {
            this.updatesContext = updatesContext;
            return this;
        }

        public Builder sinkTo(String sinkTo) {
            this.sinkTo = sinkTo == null || sinkTo.isBlank() ? null : sinkTo;
            return this;
        }

        /**
         * What guards the step: breakers, bulkhead, adaptive limit, as {@link StepProtection#decide} made them from the
         * options. Without it, the plan gets the standalone guards its options ask for
         * ({@link StepProtection.Sources#STANDALONE}).
         */
        public Builder protection(StepProtection protection) {
            this.protection = Objects.requireNonNull(protection, "protection");
            return this;
        }

        public Builder observer(StepObserver observer) {
            this.observer = observer;
            return this;
        }

        /** The cache of the plan this one replaces (a runtime change): its entries are kept when still valid. */
        public Builder previousCache(StepCache previousCache) {
            this.previousCache = previousCache;
            return this;
        }

        public Builder agentResolver(AgentResolver agentResolver) {
            this.agentResolver = Objects.requireNonNull(agentResolver, "agentResolver");
            return this;
        }

        /** Context keys a step must never write (the host's own), checked on {@code updatesContext} outputs. */
        public Builder reservedContextKey(Predicate<String> reservedContextKey) {
            this.reservedContextKey = Objects.requireNonNull(reservedContextKey, "reservedContextKey");
            return this;
        }

        /** The clock of the cache's time-to-live; tests pass a fake one. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * @throws FlujoConfigurationException when the configuration is invalid or the step has no agent
         */
        public StepPlan build() {
            config.validateOrThrow(name);
            if (agent == null) {
                throw new FlujoConfigurationException("Step '" + name + "' has no agent: set the agent option");
            }
            if (protection == null) {
                protection = StepProtection.decide(name, config, StepProtection.Sources.STANDALONE, null);
            }
            return new StepPlan(this);
        }
    }
}
