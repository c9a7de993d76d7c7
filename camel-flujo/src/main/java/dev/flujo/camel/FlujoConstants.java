package dev.flujo.camel;

import org.apache.camel.spi.Metadata;

/** Headers and exchange properties of the flujo component. */
public final class FlujoConstants {

    @Metadata(label = "producer", description = "The name of the step that produced the body.", javaType = "String")
    public static final String STEP_NAME = "CamelFlujoStepName";
    @Metadata(label = "producer", description = "Whether the step succeeded.", javaType = "Boolean")
    public static final String SUCCESS = "CamelFlujoSuccess";
    @Metadata(label = "producer", description = "How many attempts of the step's agent ran (0 on a cache hit; the"
                                                + " fallback is not counted).",
              javaType = "Integer")
    public static final String ATTEMPTS = "CamelFlujoAttempts";
    @Metadata(label = "producer", description = "Whether the output came from the step cache.", javaType = "Boolean")
    public static final String CACHE_HIT = "CamelFlujoCacheHit";
    @Metadata(description = "Input tokens. Set by the step from its usage; an endpoint agent reports its usage by"
                            + " setting this reply header (the name is configurable with inputTokensHeader).",
              javaType = "Long")
    public static final String INPUT_TOKENS = "CamelFlujoInputTokens";
    @Metadata(description = "Output tokens. Set by the step from its usage; an endpoint agent reports its usage by"
                            + " setting this reply header (the name is configurable with outputTokensHeader).",
              javaType = "Long")
    public static final String OUTPUT_TOKENS = "CamelFlujoOutputTokens";
    @Metadata(description = "Cost in USD. Set by the step from its usage; an endpoint agent reports its cost by"
                            + " setting this reply header (the name is configurable with costHeader).",
              javaType = "java.math.BigDecimal")
    public static final String COST_USD = "CamelFlujoCostUsd";
    @Metadata(label = "producer", description = "Set to true with the usage headers by a flujo step: its usage is"
                                                + " already booked to the run. An endpoint agent whose route contains a flujo step therefore does not book"
                                                + " those headers a second time; a route that reports its own usage after such a step removes this"
                                                + " header.",
              javaType = "Boolean")
    public static final String USAGE_BOOKED = "CamelFlujoUsageBooked";
    @Metadata(label = "producer", description = "Wall time of the step in nanoseconds.", javaType = "Long")
    public static final String LATENCY_NANOS = "CamelFlujoLatencyNanos";
    @Metadata(label = "producer", description = "Sent to an endpoint agent on a retry: why the previous attempt"
                                                + " failed (validation failures, plugin feedback or the error).",
              javaType = "String")
    public static final String FEEDBACK = "CamelFlujoFeedback";
    @Metadata(label = "producer", description = "Set by an endpoint agent's route on its reply: the call failed and"
                                                + " asks to be retried no earlier than this - seconds, an HTTP date (a Retry-After value) or a"
                                                + " java.time.Duration. The step waits that long before its next attempt; longer than retryMaxDelay, it"
                                                + " does not retry (the fallback answers or the step fails naming the wait). A reply carrying it is a"
                                                + " failed call even when the route ended normally.",
              javaType = "String")
    public static final String RETRY_AFTER = "CamelFlujoRetryAfter";
    @Metadata(label = "producer", description = "After an agent step: the model that answered, as the provider named it"
                                                + " (a LangChain4j chat model's response); absent when the agent did not say.",
              javaType = "String")
    public static final String MODEL = "CamelFlujoModel";
    @Metadata(label = "producer", description = "Sent to an endpoint agent: the attempt number, starting at 1.",
              javaType = "Integer")
    public static final String ATTEMPT = "CamelFlujoAttempt";
    @Metadata(label = "producer", description = "PAUSED after a human step saved the run for a person (the route"
                                                + " stops there); RESUMED on the exchange flujo:resume continues the run with.",
              javaType = "String")
    public static final String STATUS = "CamelFlujoStatus";
    @Metadata(description = "Set with CamelFlujoStatus=PAUSED by a human step; read by flujo:resume to know which"
                            + " pause the answer (the body) is for: the pause id, which is the run id, the pause's number after the"
                            + " first (.2, .3, ...) and a token of 128 random bits (a dot and 32 hex digits), so that no pause id can be"
                            + " guessed from another and a late duplicate of an earlier answer cannot resume a later pause. On the"
                            + " resumed exchange: the run id.",
              javaType = "String")
    public static final String RUN_ID = "CamelFlujoRunId";
    @Metadata(label = "producer", description = "Why a loop step ended: condition, maxLoops, bodyError or"
                                                + " limitExceeded.",
              javaType = "String")
    public static final String EXIT_REASON = "CamelFlujoExitReason";
    @Metadata(label = "producer", description = "Sent to a branch endpoint of a parallel, conditional, router or map"
                                                + " step (and a loop body): the branch name, the item index ([0], [1], ...) or the iteration"
                                                + " (iteration-1, ...).",
              javaType = "String")
    public static final String BRANCH = "CamelFlujoBranch";

    /** The value of {@link #STATUS} after a human step paused the run. */
    public static final String STATUS_PAUSED = "PAUSED";
    /** The value of {@link #STATUS} on the exchange that continues a resumed run. */
    public static final String STATUS_RESUMED = "RESUMED";

    /**
     * Exchange property holding the {@link dev.flujo.core.run.FlujoRun} of the exchange: run id, usage totals and
     * limits, and the ordered step results. Created by the first flujo step the exchange passes.
     */
    public static final String RUN = "CamelFlujoRun";

    /**
     * Exchange property on the exchange sent to an endpoint agent: the steps whose fallback the call runs for (a
     * {@code List<String>}, outermost first). A flujo step reached through that agent continues the chain, so a
     * fallback chain that comes back to a step fails instead of looping.
     */
    public static final String FALLBACK_CHAIN = "CamelFlujoFallbackChain";

    /** Prefix of every header and property the component owns; such keys are never part of the step context. */
    public static final String PREFIX = "CamelFlujo";

    private FlujoConstants() {
    }
}
