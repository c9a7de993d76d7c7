package dev.flujo.camel;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.flujo.core.FlujoConfigurationException;

/**
 * The kinds of flujo endpoint: the first part of {@code flujo:kind:name}, and which options each kind takes (an
 * option set on a kind that ignores it fails the route start rather than being silently dropped).
 */
public enum FlujoKind {

    /** An agent step: prompt processors, agent, output processors, validators, plugins, retries, fallback. */
    STEP(Options.COMMON, Options.MONITORING, Options.AGENT, Set.of("updatesContext")),
    /** Branches side by side, each on a copy of the context, writes merged. */
    PARALLEL(Options.COMMON, Options.MONITORING, Options.BRANCH_CONTEXTS, Options.FAN_OUT),
    /** A body again and again until a condition holds or maxLoops. */
    LOOP(Options.COMMON, Options.MONITORING, Options.BRANCH_CONTEXTS, Set.of("body", "until", "maxLoops")),
    /** One branch chosen by a Simple expression. */
    CONDITIONAL(Options.COMMON, Options.MONITORING, Set.of("condition", "branches", "default")),
    /** One or several branches chosen by a router agent, run as a parallel step. */
    ROUTER(Options.COMMON, Options.MONITORING, Options.BRANCH_CONTEXTS, Options.AGENT, Options.FAN_OUT),
    /** A body once per item of a list, in order. */
    MAP(Options.COMMON, Options.MONITORING, Options.BRANCH_CONTEXTS,
            Set.of("body", "items", "mergeStrategy", "onBranchFailure", "maxConcurrency")),
    /** Pauses the run for a person; saved in the state store. */
    HUMAN(Set.of("resultHeaders"), Options.STATE, Set.of("message", "answerSchema", "resumeUri")),
    /** Continues a paused run with a person's answer. */
    RESUME(Options.STATE);

    /** Option groups, by the names they have in URIs. */
    private static final class Options {
        static final Set<String> COMMON = Set.of("resultHeaders", "tokenLimit", "costLimitUsd", "sinkTo");
        static final Set<String> AGENT = Set.of("agent", "promptProcessors", "outputProcessors", "validators",
                "validate", "plugins", "fallback", "maxRetries", "timeout", "cache", "cacheTtl", "cacheMaxSize",
                "cacheKeyContext", "expectedCostUsd", "expectedTokens", "costPerInputToken", "costPerOutputToken",
                "inputTokensHeader", "outputTokensHeader", "costHeader", "enableCircuitBreaker",
                "circuitBreakerFailureThreshold", "circuitBreakerRecoveryTimeoutSeconds", "circuitBreakerRef",
                "enableOptimizedErrorHandling", "errorCacheSize", "maxConcurrentExecutions", "maxConcurrentExecutionsWait",
                "enableConcurrencyOptimization", "enableAutomaticOptimization", "optimizationAnalysisIntervalSeconds",
                "performanceDegradationThreshold", "enableMemoryOptimization", "memoryPressureThresholdMb",
                "enableObjectPool", "objectPoolMaxSize", "objectPoolCleanupThreshold", "enableStepOptimization",
                "enableAlgorithmOptimization", "enableCacheOptimization", "cacheCompression");
        /** Telemetry every kind but human and resume records. */
        static final Set<String> MONITORING = Set.of("enablePerformanceMonitoring", "enableOptimizedTelemetry",
                "telemetryBatchSize", "telemetryFlushIntervalSeconds", "slowExecutionThresholdMs",
                "cpuUsageThresholdPercent");
        /** Kinds whose branches get a copy of the context. */
        static final Set<String> BRANCH_CONTEXTS = Set.of("enableContextOptimization");
        static final Set<String> FAN_OUT = Set.of("branches", "mergeStrategy", "onBranchFailure", "maxConcurrency",
                "reduce");
        static final Set<String> STATE = Set.of("stateStore", "stateUrl", "stateDataSource");
    }

    private final Set<String> options;

    @SafeVarargs
    FlujoKind(Set<String>... groups) {
        Set<String> all = new HashSet<>();
        for (Set<String> group : groups) {
            all.addAll(group);
        }
        this.options = Set.copyOf(all);
    }

    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this kind uses the option (a {@link FlujoConfiguration} option name). */
    public boolean takes(String option) {
        return options.contains(option);
    }

    /** Whether endpoints of this kind need a name ({@code flujo:resume} does not). */
    public boolean needsName() {
        return this != RESUME;
    }

    /** @throws FlujoConfigurationException naming the supported kinds */
    public static FlujoKind of(String kind, String uri) {
        for (FlujoKind k : values()) {
            if (k.uriName().equals(kind)) {
                return k;
            }
        }
        throw new FlujoConfigurationException("Unsupported flujo kind '" + kind + "' in " + uri
                + "; supported kinds: " + supported());
    }

    static String supported() {
        return Arrays.stream(values()).map(FlujoKind::uriName).collect(Collectors.joining(", "));
    }

    /** The kinds that take an option, for error messages. */
    static String kindsTaking(String option) {
        return Arrays.stream(values()).filter(k -> k.takes(option)).map(FlujoKind::uriName)
                .collect(Collectors.joining(", "));
    }
}
