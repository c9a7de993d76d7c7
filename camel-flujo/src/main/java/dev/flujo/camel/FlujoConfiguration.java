package dev.flujo.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flujo.camel.option.OptionCatalog;
import dev.flujo.camel.option.OptionValues;
import dev.flujo.camel.state.StateStores;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.flow.BranchFailurePolicy;
import dev.flujo.core.flow.LoopPlan;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.PropertyBindingSupport;

import static dev.flujo.camel.FlujoKind.CONDITIONAL;
import static dev.flujo.camel.FlujoKind.HUMAN;
import static dev.flujo.camel.FlujoKind.LOOP;
import static dev.flujo.camel.FlujoKind.MAP;
import static dev.flujo.camel.FlujoKind.PARALLEL;
import static dev.flujo.camel.FlujoKind.RESUME;
import static dev.flujo.camel.FlujoKind.ROUTER;
import static dev.flujo.camel.FlujoKind.STEP;

/**
 * The options of a flujo endpoint. The component holds one instance as the defaults
 * ({@code camel.component.flujo.maxRetries=2}); each endpoint starts from a copy and applies its URI options.
 *
 * <p>
 * Each field with {@link UriParam} and {@link FlujoOption} is the one declaration of an option: Camel's metadata
 * (flujo.json, the configurers, the option tables of the component page) is generated from it, and
 * {@link dev.flujo.camel.option.OptionCatalog} derives the rest (which kinds take it, runtime changes, statistics,
 * prerequisites). Execution options - those whose name is an option of the core's {@link OptimizationConfig} - are
 * mapped onto it by name in {@link #toOptimizationConfig(String)}; wiring options (agent, processors, validators,
 * plugins, fallback, branches) are resolved into a plan when the endpoint starts.
 *
 * <p>
 * Adding an execution option takes two hand-written places and a build:
 * <ol>
 * <li>here: the field with its {@code @FlujoOption(kinds = ...)} and {@code @UriParam} (label, description,
 * {@code defaultValue} - OptionDeclarationTest checks it is the core's), and its getter and setter, which Camel's
 * generated configurers call;</li>
 * <li>in the core: a component of the record of its concern ({@code RetryOptions}, {@code CacheOptions}, ...), with its
 * default in that record's {@code DEFAULTS} and its check in {@code validate};</li>
 * <li>{@code mvn -B -DskipTests package}: regenerates the configurers, flujo.json, catalog/, the kind x option table of
 * docs/configuration.md and the component page's tables (and {@code -Pkamelets} the Kamelets).</li>
 * </ol>
 * The JSON form, the builder, the mapping, runtime changes, import/export and option checking need nothing more. A
 * wiring option is the first place only, plus the code that resolves it.
 */
@UriParams
@Configurer
public class FlujoConfiguration implements Cloneable {

    // --- wiring ---------------------------------------------------------------------------------------------------

    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "common", description = "The agent: an endpoint URI (direct:llm, vertx-http:..., any Camel"
                                              + " endpoint; the body is the prompt, the reply body the output), or #name of a bean: a"
                                              + " dev.flujo.core.agent.FlujoAgent, or a LangChain4j ChatModel or StreamingChatModel (see docs/models.md).")
    private String agent;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "common", description = "For an agent that is a LangChain4j ChatModel or StreamingChatModel bean:"
                                              + " the system message of each chat request, a Simple template over the input (the body) and the"
                                              + " context, e.g. 'You classify support tickets for ${exchangeProperty.tenant}.'")
    private String systemMessage;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "common", description = "Comma-separated #bean references run in order on the input before"
                                              + " the agent call: Camel Processors (they see the input as body) or dev.flujo.core.step.FlujoProcessor.")
    private String promptProcessors;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "common", description = "Comma-separated #bean references run in order on the agent's output:"
                                              + " Camel Processors or dev.flujo.core.step.FlujoProcessor.")
    private String outputProcessors;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "validation", description = "Comma-separated #bean references of"
                                                  + " dev.flujo.core.step.FlujoValidator (or Camel Predicate). All run; their failures become the attempt's"
                                                  + " feedback and the attempt is retried.")
    private String validators;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "validation", description = "A Simple predicate the output (the body) must satisfy, e.g."
                                                  + " ${body.length} > 10. Runs with the validators.")
    private String validate;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "validation", description = "The feedback a failed validate hands to the next attempt: a Simple"
                                                  + " template over the output (the body) and the context, written for the model, e.g. 'Answer with one"
                                                  + " of: billing, outage, other'. Unset, the feedback names the predicate.")
    private String validateMessage;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "validation", description = "A JSON Schema (2020-12) the answer must satisfy: inline, or"
                                                  + " resource:classpath:name.schema.json. A text answer (Markdown code fences and a lead-in sentence"
                                                  + " trimmed off) must parse as JSON; its parse error or schema problems (JSON pointer and message each)"
                                                  + " are the next attempt's feedback. A passing answer becomes the output as a Map or List, or as"
                                                  + " outputType. Checked after the output processors, before the validators.")
    private String outputSchema;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "validation", description = "With outputSchema: the class (fully qualified name) Jackson binds"
                                                  + " the answer to; an answer that does not bind fails the attempt with feedback.")
    private String outputType;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "plugin", description = "Comma-separated #bean references of dev.flujo.core.step.FlujoPlugin,"
                                              + " run by descending priority after validation: accept, give feedback, replace the output or redirect to"
                                              + " another agent.")
    private String plugins;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "retry", description = "An agent reference (endpoint URI or #bean) called once when every"
                                             + " attempt failed. Its output passes the same processors, validators and plugins.")
    private String fallback;

    // --- execution (OptimizationConfig) ---------------------------------------------------------------------------

    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "retry", defaultValue = "1", description = "Retries after a failed attempt; the failed"
                                                                 + " attempt's feedback is handed to the next one.")
    private int maxRetries;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "retry", javaType = "java.time.Duration", description = "Bound of one agent call (e.g. 30s);"
                                                                              + " a time-out is a failed attempt and the late reply is dropped. 0 means no time-out.")
    private long timeout;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "retry", defaultValue = "500ms", javaType = "java.time.Duration", description = "Wait before the"
                                                                                                      + " first retry of a failed agent call (an error or a time-out); each further retry waits"
                                                                                                      + " retryBackoffMultiplier times longer, at most retryMaxDelay. No thread waits. An answer rejected by"
                                                                                                      + " validators or plugins is retried at once. 0 retries failed calls at once.")
    private long retryDelay;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "retry", defaultValue = "2.0", description = "Factor by which the wait grows with each further"
                                                                   + " retry of a failed call (1 for a fixed delay).")
    private double retryBackoffMultiplier;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "retry", defaultValue = "30s", javaType = "java.time.Duration", description = "The longest wait"
                                                                                                    + " between two attempts. A failure whose Retry-After (or retry-after-ms, or reply header"
                                                                                                    + " CamelFlujoRetryAfter) asks for longer is not retried: the fallback answers or the step fails,"
                                                                                                    + " naming the wait asked for.")
    private long retryMaxDelay;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "retry", defaultValue = "true", description = "Draw each wait at random between 0 and the"
                                                                    + " computed delay (full jitter), so callers that failed together do not retry together. A"
                                                                    + " Retry-After is waited for in full.")
    private boolean retryJitter;
    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "cache", defaultValue = "false", description = "Cache successful outputs by step fingerprint,"
                                                                     + " input and the cacheKeyContext values. A hit costs no tokens and sets CamelFlujoCacheHit=true.")
    private boolean cache;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache" })
    @UriParam(label = "cache", javaType = "java.time.Duration", description = "Time-to-live of a cached output after"
                                                                              + " it was written. 0 means entries live until evicted by size.")
    private long cacheTtl;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache" }, stat = true)
    @UriParam(label = "cache", defaultValue = "10000", description = "The most entries the step cache holds.")
    private long cacheMaxSize;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache" })
    @UriParam(label = "cache", description = "Comma-separated context keys (exchange properties) whose values are part"
                                             + " of the cache key, e.g. a tenant id, so different tenants never share an entry.")
    private String cacheKeyContext;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP })
    @UriParam(label = "limits", description = "Cost budget in USD of the whole run (the exchange and everything it"
                                              + " spawns). A breach stops the run with UsageLimitExceededException.")
    private Double costLimitUsd;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP })
    @UriParam(label = "limits", description = "Token budget (input + output) of the whole run.")
    private Long tokenLimit;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "limits", description = "Cost reserved against the budget before each agent call; the call is"
                                              + " refused when the reservation would exceed costLimitUsd.")
    private double expectedCostUsd;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "limits", description = "Tokens reserved against the budget before each agent call; the call is"
                                              + " refused when the reservation would exceed tokenLimit.")
    private long expectedTokens;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "usage", description = "Price in USD of one input token, used when the agent reports tokens but"
                                             + " no cost.")
    private double costPerInputToken;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "usage", description = "Price in USD of one output token, used when the agent reports tokens"
                                             + " but no cost.")
    private double costPerOutputToken;

    // --- usage extraction and context writes ----------------------------------------------------------------------

    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "usage", defaultValue = FlujoConstants.INPUT_TOKENS, description = "Reply header of an endpoint"
                                                                                         + " agent that carries the input tokens.")
    private String inputTokensHeader = FlujoConstants.INPUT_TOKENS;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "usage", defaultValue = FlujoConstants.OUTPUT_TOKENS, description = "Reply header of an"
                                                                                          + " endpoint agent that carries the output tokens.")
    private String outputTokensHeader = FlujoConstants.OUTPUT_TOKENS;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "usage", defaultValue = FlujoConstants.COST_USD, description = "Reply header of an endpoint"
                                                                                     + " agent that carries the cost in USD.")
    private String costHeader = FlujoConstants.COST_USD;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP, HUMAN }, stat = true, runtime = true)
    @UriParam(label = "advanced", defaultValue = "true", description = "Set the CamelFlujo* result headers (step name,"
                                                                       + " success, attempts, cache hit, tokens, cost, latency) after the step. Turn off when results are read"
                                                                       + " from the CamelFlujoRun property only: writing them costs about as much as the rest of the step (see"
                                                                       + " docs/benchmarks.md).")
    private boolean resultHeaders = true;
    @FlujoOption(kinds = { STEP })
    @UriParam(label = "context", defaultValue = "false", description = "Merge a Map output into the context (exchange"
                                                                       + " properties) after the step succeeded. A non-Map output fails the attempt.")
    private boolean updatesContext;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP })
    @UriParam(label = "context", description = "Store the output in the context (an exchange property) under this"
                                               + " key after the step succeeded.")
    private String sinkTo;

    // --- resilience -----------------------------------------------------------------------------------------------

    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "resilience", defaultValue = "false", description = "Guard each agent (the agent, the fallback,"
                                                                          + " redirect targets) with a Resilience4j circuit breaker, one per agent, from the registry the"
                                                                          + " circuitBreaker() EIP uses (a CircuitBreakerRegistry bean, else the context's). An open breaker fails"
                                                                          + " fast without calling the agent and goes to the fallback if there is one.")
    private boolean enableCircuitBreaker;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "enableCircuitBreaker" })
    @UriParam(label = "resilience", defaultValue = "5", description = "Consecutive failed agent calls (errors and"
                                                                      + " time-outs, not rejected answers) that open the breaker.")
    private int circuitBreakerFailureThreshold;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "enableCircuitBreaker" })
    @UriParam(label = "resilience", defaultValue = "60", description = "Seconds an open breaker refuses calls before"
                                                                       + " it lets one probe call through (its success closes the breaker).")
    private long circuitBreakerRecoveryTimeoutSeconds;
    @FlujoOption(kinds = { STEP, ROUTER })
    @UriParam(label = "resilience", description = "#bean of your own io.github.resilience4j.circuitbreaker."
                                                  + "CircuitBreaker for the step's agent (implies enableCircuitBreaker).")
    private String circuitBreakerRef;

    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "resilience", defaultValue = "true", description = "Do not retry agent errors a retry cannot"
                                                                         + " fix: invalid arguments, configuration errors, *ValidationException, HTTP 400, 401, 403, 404, 422 and"
                                                                         + " other 4xx, a 429 whose body says insufficient_quota (from any exception with getStatusCode(), such as"
                                                                         + " HttpOperationFailedException), LangChain4j's non-retriable exceptions, RateLimitedException. Time-outs,"
                                                                         + " connection and I/O errors, 408, 409, 429 and 5xx are retried with backoff; answers rejected by"
                                                                         + " validators are always retried with feedback. false retries every error.")
    private boolean enableOptimizedErrorHandling;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "enableOptimizedErrorHandling" })
    @UriParam(label = "resilience", defaultValue = "1000", description = "How many exception types' classifications"
                                                                         + " enableOptimizedErrorHandling remembers.")
    private int errorCacheSize;

    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "resilience", defaultValue = "0", description = "The most executions of this step at once (a"
                                                                      + " Resilience4j bulkhead, flujo-step-<name>, in camel-resilience4j's registry); 0 for no cap. Cache hits"
                                                                      + " are not counted.")
    private int maxConcurrentExecutions;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "maxConcurrentExecutions|enableConcurrencyOptimization" })
    @UriParam(label = "resilience", defaultValue = "1s", javaType = "java.time.Duration", description = "How long one"
                                                                                                        + " more execution waits (on the calling thread) for a slot before it fails with StepRejectedException.")
    private long maxConcurrentExecutionsWait;

    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "resilience", defaultValue = "0", description = "The most calls a minute to the step's agent,"
                                                                      + " shared by every step, branch and item calling the same agent (a Resilience4j rate limiter,"
                                                                      + " flujo-<agent>-requests); spread evenly, one every 60s / requestsPerMinute. A call waits for its"
                                                                      + " permit without parking a thread. 0 for no limit.")
    private int requestsPerMinute;
    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "resilience", defaultValue = "0", description = "The most tokens a minute through the step's"
                                                                      + " agent, shared like requestsPerMinute: a bucket of that many tokens, refilled continuously (Bucket4j). A"
                                                                      + " call reserves expectedTokens, or about one token per four characters of its prompt, and is"
                                                                      + " then charged or refunded the difference to the usage it reports. 0 for no limit.")
    private long tokensPerMinute;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "requestsPerMinute|tokensPerMinute" })
    @UriParam(label = "resilience", defaultValue = "60s", javaType = "java.time.Duration", description = "The longest"
                                                                                                         + " a call waits for its rate-limit permits; one that would wait longer fails its attempt with"
                                                                                                         + " RateLimitedException (not retried; the fallback may answer).")
    private long rateLimitWait;

    // --- monitoring -----------------------------------------------------------------------------------------------

    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP }, stat = true)
    @UriParam(label = "monitoring", defaultValue = "false", description = "Record Micrometer meters for the step"
                                                                          + " (gen_ai.client.operation.duration, gen_ai.client.token.usage, flujo.step.cost, flujo.step.outcomes) in"
                                                                          + " the registry camel-micrometer uses: a metricsRegistry bean, else the only MeterRegistry bean, else a"
                                                                          + " new SimpleMeterRegistry. Needs micrometer-core on the classpath.")
    private boolean enablePerformanceMonitoring;

    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP })
    @UriParam(label = "monitoring", defaultValue = "0", description = "Warn (a log line, and slowExecutions in the"
                                                                      + " statistics) when an execution of the step takes longer than this many milliseconds; 0 = off.")
    private long slowExecutionThresholdMs;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP })
    @UriParam(label = "monitoring", defaultValue = "0", description = "Warn (a log line, and overloadWarnings in the"
                                                                      + " statistics) when the process CPU load, sampled at most once a second as steps end, is above this"
                                                                      + " percentage; 0 = off.")
    private int cpuUsageThresholdPercent;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP }, requires = { "enablePerformanceMonitoring" },
                 stat = true)
    @UriParam(label = "monitoring", defaultValue = "false", description = "Hand the Micrometer meters their"
                                                                          + " recordings in batches (telemetryBatchSize, at the latest after telemetryFlushIntervalSeconds)"
                                                                          + " instead of one by one. Off by default: see docs/benchmarks.md for what it measured.")
    private boolean enableOptimizedTelemetry;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP },
                 requires = { "enablePerformanceMonitoring", "enableOptimizedTelemetry" })
    @UriParam(label = "monitoring", defaultValue = "100", description = "enableOptimizedTelemetry: recordings"
                                                                        + " handed to the meters at once.")
    private int telemetryBatchSize;
    @FlujoOption(kinds = { STEP, PARALLEL, LOOP, CONDITIONAL, ROUTER, MAP },
                 requires = { "enablePerformanceMonitoring", "enableOptimizedTelemetry" })
    @UriParam(label = "monitoring", defaultValue = "5", description = "enableOptimizedTelemetry: the longest a"
                                                                      + " recording waits before the meters see it.")
    private long telemetryFlushIntervalSeconds;
    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "resilience", defaultValue = "false", description = "An adaptive concurrency limit for the"
                                                                          + " step (Netflix concurrency-limits, Gradient2): it grows while latency holds and shrinks when it"
                                                                          + " degrades; an execution over the limit waits up to maxConcurrentExecutionsWait, then fails with"
                                                                          + " StepRejectedException. The limit is the gauge flujo.step.concurrency.limit.")
    private boolean enableConcurrencyOptimization;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "enablePerformanceMonitoring" }, stat = true)
    @UriParam(label = "monitoring", defaultValue = "false", description = "Every"
                                                                          + " optimizationAnalysisIntervalSeconds, apply the recommendations that are safe to apply"
                                                                          + " automatically: grow a cache that evicts while its hit rate is low, lower maxConcurrentExecutions"
                                                                          + " when the step got slower than performanceDegradationThreshold allows, raise it again when it"
                                                                          + " recovers. Each change is logged. Needs enablePerformanceMonitoring.")
    private boolean enableAutomaticOptimization;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "enableAutomaticOptimization" })
    @UriParam(label = "monitoring", defaultValue = "60", description = "enableAutomaticOptimization: seconds"
                                                                       + " between two analyses.")
    private long optimizationAnalysisIntervalSeconds;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "enableAutomaticOptimization" })
    @UriParam(label = "monitoring", defaultValue = "0.5", description = "enableAutomaticOptimization: how much"
                                                                        + " slower than its baseline (the first analysed interval) the step's p95 may get before it counts as"
                                                                        + " degraded; 0.5 = 50%.")
    private double performanceDegradationThreshold;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache" }, stat = true)
    @UriParam(label = "cache", defaultValue = "false", description = "Graceful degradation: when the used heap is"
                                                                     + " above memoryPressureThresholdMb the step cache shrinks to a quarter and refuses new entries; it"
                                                                     + " grows back when the pressure is gone.")
    private boolean enableMemoryOptimization;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache", "enableMemoryOptimization" })
    @UriParam(label = "cache", defaultValue = "0", description = "enableMemoryOptimization: used heap in MB above"
                                                                 + " which memory is under pressure; 0 = 90% of the maximum heap.")
    private long memoryPressureThresholdMb;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache", "cacheCompression" }, stat = true)
    @UriParam(label = "cache", defaultValue = "false", description = "Pool the zlib codecs cacheCompression uses"
                                                                     + " (each holds native memory and is costly to create). Other per-exchange objects are cheap JVM"
                                                                     + " allocations and are not pooled.")
    private boolean enableObjectPool;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache", "cacheCompression" })
    @UriParam(label = "cache", defaultValue = "16", description = "enableObjectPool: idle objects kept; more are"
                                                                  + " released when returned.")
    private int objectPoolMaxSize;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache", "cacheCompression" })
    @UriParam(label = "cache", defaultValue = "1000", description = "enableObjectPool: an idle pooled object not"
                                                                    + " borrowed during this many borrows is released.")
    private int objectPoolCleanupThreshold;
    @FlujoOption(kinds = { PARALLEL, LOOP, ROUTER, MAP }, stat = true)
    @UriParam(label = "advanced", defaultValue = "true", description = "Give parallel, map and loop branches"
                                                                       + " copy-on-write contexts (O(1) to create) instead of eager copies of every exchange property.")
    private boolean enableContextOptimization;
    @FlujoOption(kinds = { STEP, ROUTER }, stat = true)
    @UriParam(label = "advanced", defaultValue = "true", description = "Run only the phases a step uses (decided"
                                                                       + " when the endpoint starts) instead of every phase on every call.")
    private boolean enableStepOptimization;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache" }, stat = true)
    @UriParam(label = "cache", defaultValue = "false", description = "Hash text and byte inputs of cache keys with"
                                                                     + " a 128-bit xxHash (equality still compares the whole key).")
    private boolean enableAlgorithmOptimization;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache" }, stat = true)
    @UriParam(label = "cache", defaultValue = "true", description = "Concurrent cache misses of the same key share"
                                                                    + " one agent call: the first one calls the agent, the others wait for its output (and count as cache"
                                                                    + " hits).")
    private boolean enableCacheOptimization;
    @FlujoOption(kinds = { STEP, ROUTER }, requires = { "cache" }, stat = true)
    @UriParam(label = "cache", defaultValue = "false", description = "Keep text outputs of 1 KB or more"
                                                                     + " deflate-compressed in the step cache; they are decompressed on a hit.")
    private boolean cacheCompression;

    // --- composite kinds ------------------------------------------------------------------------------------------

    @FlujoOption(kinds = { PARALLEL, CONDITIONAL, ROUTER })
    @UriParam(label = "parallel", description = "parallel, router, conditional: the branches, comma-separated"
                                                + " endpoint URIs (usually direct: routes), optionally named: research=direct:research,critic=direct:critic"
                                                + " (an unnamed branch is named by its URI). A conditional step's branches are key=uri pairs.")
    private String branches;
    @FlujoOption(kinds = { PARALLEL, ROUTER, MAP })
    @UriParam(label = "parallel", defaultValue = "CONTEXT_UPDATE", description = "parallel, router, map: how the"
                                                                                 + " branches' context writes are merged: NO_MERGE, CONTEXT_UPDATE (scalar conflicts fail naming the key and"
                                                                                 + " branches; maps merge recursively; lists append), OVERWRITE (last declared branch wins), KEEP_FIRST,"
                                                                                 + " ERROR_ON_CONFLICT, or #bean of a dev.flujo.core.flow.MergeStrategy.")
    private String mergeStrategy = "CONTEXT_UPDATE";
    @FlujoOption(kinds = { PARALLEL, ROUTER, MAP })
    @UriParam(label = "parallel", defaultValue = "PROPAGATE", description = "parallel, router, map: PROPAGATE fails"
                                                                            + " the step when a branch fails and cancels the others; IGNORE succeeds when at least one branch did and"
                                                                            + " lists the failed ones. A usage-limit breach always stops every branch.")
    private BranchFailurePolicy onBranchFailure = BranchFailurePolicy.PROPAGATE;
    @FlujoOption(kinds = { PARALLEL, ROUTER, MAP })
    @UriParam(label = "parallel", defaultValue = "0", description = "parallel, router, map: the most branches (or"
                                                                    + " items) in flight at once; 0 for no cap.")
    private int maxConcurrency;
    @FlujoOption(kinds = { PARALLEL, ROUTER })
    @UriParam(label = "parallel", description = "parallel, router: #bean (a Camel Processor or a"
                                                + " dev.flujo.core.step.FlujoProcessor) turning the map of branch outputs into the step's output.")
    private String reduce;
    @FlujoOption(kinds = { LOOP, MAP })
    @UriParam(label = "loop", description = "loop, map: the endpoint URI of the body (usually a direct: route).")
    private String body;
    @FlujoOption(kinds = { LOOP })
    @UriParam(label = "loop", description = "loop: the exit condition, a Simple predicate over the iteration's output"
                                            + " (the body) and the context (exchange properties), e.g. ${body.length} < 200.")
    private String until;
    @FlujoOption(kinds = { LOOP })
    @UriParam(label = "loop", defaultValue = "5", description = "loop: the most iterations; reaching it without the"
                                                                + " exit condition is a failure.")
    private int maxLoops = LoopPlan.DEFAULT_MAX_LOOPS;
    @FlujoOption(kinds = { MAP })
    @UriParam(label = "loop", description = "map: the context key (exchange property) holding the list of items;"
                                            + " by default the items are the input (the body).")
    private String items;
    @FlujoOption(kinds = { CONDITIONAL })
    @UriParam(label = "conditional", description = "conditional: a Simple expression over the input (the body) and the"
                                                   + " context yielding the key of the branch to run, e.g. ${exchangeProperty.category}.")
    private String condition;
    @FlujoOption(kinds = { CONDITIONAL })
    @UriParam(label = "conditional", name = "default", description = "conditional: the endpoint URI run when no"
                                                                     + " branch has the condition's key.")
    private String defaultBranch;
    @FlujoOption(kinds = { HUMAN })
    @UriParam(label = "human", description = "human: the message for the person, a Simple template, e.g. Approve"
                                             + " this reply? ${body}. The exchange ends with it as body.")
    private String message;
    @FlujoOption(kinds = { HUMAN })
    @UriParam(label = "human", description = "human: a JSON schema (draft 2020-12) the answer must satisfy; a bad"
                                             + " answer is rejected with the reasons and the run stays paused.")
    private String answerSchema;
    @FlujoOption(kinds = { HUMAN })
    @UriParam(label = "human", description = "human: where the run continues, with the answer as body, when"
                                             + " flujo:resume receives it (usually a direct: route).")
    private String resumeUri;
    @FlujoOption(kinds = { HUMAN, RESUME })
    @UriParam(label = "state", defaultValue = "jdbc", description = "human, resume: where paused runs are kept: jdbc"
                                                                    + " (stateUrl or stateDataSource), memory (this JVM only; lost on restart) or #bean of a"
                                                                    + " dev.flujo.core.state.StateStore.")
    private String stateStore = "jdbc";
    @FlujoOption(kinds = { HUMAN, RESUME })
    @UriParam(label = "state", defaultValue = StateStores.DEFAULT_URL, description = "human, resume: the JDBC URL of"
                                                                                     + " the jdbc state store; the table is created on first use.")
    private String stateUrl = StateStores.DEFAULT_URL;
    @FlujoOption(kinds = { HUMAN, RESUME })
    @UriParam(label = "state", description = "human, resume: #bean of a javax.sql.DataSource for the jdbc state store"
                                             + " (e.g. PostgreSQL shared by several Camel instances); takes precedence over stateUrl.")
    private String stateDataSource;

    /** The defaults: those of the core's options come from the core configuration, where they are declared. */
    public FlujoConfiguration() {
        OptionCatalog.applyCoreDefaults(this);
    }

    public FlujoConfiguration copy() {
        try {
            return (FlujoConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /**
     * A copy with runtime changes applied: the options (their text already checked by {@link OptionValues}) bound as
     * Camel binds URI options, then every value validated.
     *
     * @param  owner                       named in the problems, e.g. a step name or {@code (component defaults)}
     * @throws FlujoConfigurationException naming every invalid option; this configuration is left as it is
     */
    FlujoConfiguration changedBy(CamelContext camelContext, Map<String, Object> options, String owner) {
        FlujoConfiguration changed = copy();
        PropertyBindingSupport.build().withCamelContext(camelContext).withTarget(changed)
                .withConfigurer(new FlujoConfigurationConfigurer()).withReflection(false).withMandatory(true)
                .withRemoveParameters(true).withProperties(new LinkedHashMap<>(options)).bind();
        changed.toOptimizationConfig(owner);
        return changed;
    }

    /**
     * The core configuration of these options: the one mapping from the adapter's options to the core's, by name
     * ({@link OptionCatalog#toCore}); one option is derived: a {@code circuitBreakerRef} implies a breaker.
     *
     * @throws FlujoConfigurationException naming every invalid option
     */
    public OptimizationConfig toOptimizationConfig(String stepName) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> core = OptionCatalog.toCore(this, problems);
        core.put("enableCircuitBreaker", enableCircuitBreaker || (circuitBreakerRef != null && !circuitBreakerRef.isBlank()));
        OptimizationConfig config = OptimizationConfig.builder().setAll(core).build();
        problems.addAll(config.validate());
        checkHeaderName(problems, "inputTokensHeader", inputTokensHeader);
        checkHeaderName(problems, "outputTokensHeader", outputTokensHeader);
        checkHeaderName(problems, "costHeader", costHeader);
        if (sinkTo != null && sinkTo.startsWith("Camel")) {
            problems.add("sinkTo must not name a Camel property (prefix 'Camel'), was " + sinkTo);
        }
        for (String key : splitList(cacheKeyContext)) {
            if (key.startsWith("Camel")) {
                // such properties are not part of the context, so the key would hold null for every caller
                problems.add("cacheKeyContext must name context keys, not Camel properties (prefix 'Camel'), was "
                             + key);
            }
        }
        if (!problems.isEmpty()) {
            throw new FlujoConfigurationException("Invalid options of flujo step '" + stepName + "'", problems);
        }
        return config;
    }

    private static void checkHeaderName(List<String> problems, String option, String value) {
        if (value == null || value.isBlank()) {
            problems.add(option + " must name a header");
        }
    }

    /** Splits a comma-separated option into trimmed, non-empty entries. */
    public static List<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String getAgent() {
        return agent;
    }

    public void setAgent(String agent) {
        this.agent = agent;
    }

    public String getPromptProcessors() {
        return promptProcessors;
    }

    public void setPromptProcessors(String promptProcessors) {
        this.promptProcessors = promptProcessors;
    }

    public String getOutputProcessors() {
        return outputProcessors;
    }

    public void setOutputProcessors(String outputProcessors) {
        this.outputProcessors = outputProcessors;
    }

    public String getValidators() {
        return validators;
    }

    public void setValidators(String validators) {
        this.validators = validators;
    }

    public String getValidate() {
        return validate;
    }

    public void setValidate(String validate) {
        this.validate = validate;
    }

    public String getPlugins() {
        return plugins;
    }

    public void setPlugins(String plugins) {
        this.plugins = plugins;
    }

    public String getFallback() {
        return fallback;
    }

    public void setFallback(String fallback) {
        this.fallback = fallback;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public String getSystemMessage() {
        return systemMessage;
    }

    public void setSystemMessage(String systemMessage) {
        this.systemMessage = systemMessage;
    }

    public String getValidateMessage() {
        return validateMessage;
    }

    public void setValidateMessage(String validateMessage) {
        this.validateMessage = validateMessage;
    }

    public String getOutputSchema() {
        return outputSchema;
    }

    public void setOutputSchema(String outputSchema) {
        this.outputSchema = outputSchema;
    }

    public String getOutputType() {
        return outputType;
    }

    public void setOutputType(String outputType) {
        this.outputType = outputType;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public double getRetryBackoffMultiplier() {
        return retryBackoffMultiplier;
    }

    public void setRetryBackoffMultiplier(double retryBackoffMultiplier) {
        this.retryBackoffMultiplier = retryBackoffMultiplier;
    }

    public long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public boolean isRetryJitter() {
        return retryJitter;
    }

    public void setRetryJitter(boolean retryJitter) {
        this.retryJitter = retryJitter;
    }

    public int getRequestsPerMinute() {
        return requestsPerMinute;
    }

    public void setRequestsPerMinute(int requestsPerMinute) {
        this.requestsPerMinute = requestsPerMinute;
    }

    public long getTokensPerMinute() {
        return tokensPerMinute;
    }

    public void setTokensPerMinute(long tokensPerMinute) {
        this.tokensPerMinute = tokensPerMinute;
    }

    public long getRateLimitWait() {
        return rateLimitWait;
    }

    public void setRateLimitWait(long rateLimitWait) {
        this.rateLimitWait = rateLimitWait;
    }

    public boolean isCache() {
        return cache;
    }

    public void setCache(boolean cache) {
        this.cache = cache;
    }

    public long getCacheTtl() {
        return cacheTtl;
    }

    public void setCacheTtl(long cacheTtl) {
        this.cacheTtl = cacheTtl;
    }

    public long getCacheMaxSize() {
        return cacheMaxSize;
    }

    public void setCacheMaxSize(long cacheMaxSize) {
        this.cacheMaxSize = cacheMaxSize;
    }

    public String getCacheKeyContext() {
        return cacheKeyContext;
    }

    public void setCacheKeyContext(String cacheKeyContext) {
        this.cacheKeyContext = cacheKeyContext;
    }

    public Double getCostLimitUsd() {
        return costLimitUsd;
    }

    public void setCostLimitUsd(Double costLimitUsd) {
        this.costLimitUsd = costLimitUsd;
    }

    public Long getTokenLimit() {
        return tokenLimit;
    }

    public void setTokenLimit(Long tokenLimit) {
        this.tokenLimit = tokenLimit;
    }

    public double getExpectedCostUsd() {
        return expectedCostUsd;
    }

    public void setExpectedCostUsd(double expectedCostUsd) {
        this.expectedCostUsd = expectedCostUsd;
    }

    public long getExpectedTokens() {
        return expectedTokens;
    }

    public void setExpectedTokens(long expectedTokens) {
        this.expectedTokens = expectedTokens;
    }

    public double getCostPerInputToken() {
        return costPerInputToken;
    }

    public void setCostPerInputToken(double costPerInputToken) {
        this.costPerInputToken = costPerInputToken;
    }

    public double getCostPerOutputToken() {
        return costPerOutputToken;
    }

    public void setCostPerOutputToken(double costPerOutputToken) {
        this.costPerOutputToken = costPerOutputToken;
    }

    public String getInputTokensHeader() {
        return inputTokensHeader;
    }

    public void setInputTokensHeader(String inputTokensHeader) {
        this.inputTokensHeader = inputTokensHeader;
    }

    public String getOutputTokensHeader() {
        return outputTokensHeader;
    }

    public void setOutputTokensHeader(String outputTokensHeader) {
        this.outputTokensHeader = outputTokensHeader;
    }

    public String getCostHeader() {
        return costHeader;
    }

    public void setCostHeader(String costHeader) {
        this.costHeader = costHeader;
    }

    public boolean isResultHeaders() {
        return resultHeaders;
    }

    public void setResultHeaders(boolean resultHeaders) {
        this.resultHeaders = resultHeaders;
    }

    public boolean isUpdatesContext() {
        return updatesContext;
    }

    public void setUpdatesContext(boolean updatesContext) {
        this.updatesContext = updatesContext;
    }

    public String getSinkTo() {
        return sinkTo;
    }

    public void setSinkTo(String sinkTo) {
        this.sinkTo = sinkTo;
    }

    public String getBranches() {
        return branches;
    }

    public void setBranches(String branches) {
        this.branches = branches;
    }

    public String getMergeStrategy() {
        return mergeStrategy;
    }

    public void setMergeStrategy(String mergeStrategy) {
        this.mergeStrategy = mergeStrategy;
    }

    public BranchFailurePolicy getOnBranchFailure() {
        return onBranchFailure;
    }

    public void setOnBranchFailure(BranchFailurePolicy onBranchFailure) {
        this.onBranchFailure = onBranchFailure;
    }

    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public String getReduce() {
        return reduce;
    }

    public void setReduce(String reduce) {
        this.reduce = reduce;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }

    public String getUntil() {
        return until;
    }

    public void setUntil(String until) {
        this.until = until;
    }

    public int getMaxLoops() {
        return maxLoops;
    }

    public void setMaxLoops(int maxLoops) {
        this.maxLoops = maxLoops;
    }

    public String getItems() {
        return items;
    }

    public void setItems(String items) {
        this.items = items;
    }

    public String getCondition() {
        return condition;
    }

    public void setCondition(String condition) {
        this.condition = condition;
    }

    public String getDefault() {
        return defaultBranch;
    }

    public void setDefault(String defaultBranch) {
        this.defaultBranch = defaultBranch;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getAnswerSchema() {
        return answerSchema;
    }

    public void setAnswerSchema(String answerSchema) {
        this.answerSchema = answerSchema;
    }

    public String getResumeUri() {
        return resumeUri;
    }

    public void setResumeUri(String resumeUri) {
        this.resumeUri = resumeUri;
    }

    public String getStateStore() {
        return stateStore;
    }

    public void setStateStore(String stateStore) {
        this.stateStore = stateStore;
    }

    public String getStateUrl() {
        return stateUrl;
    }

    public void setStateUrl(String stateUrl) {
        this.stateUrl = stateUrl;
    }

    public String getStateDataSource() {
        return stateDataSource;
    }

    public void setStateDataSource(String stateDataSource) {
        this.stateDataSource = stateDataSource;
    }

    public boolean isEnableCircuitBreaker() {
        return enableCircuitBreaker;
    }

    public void setEnableCircuitBreaker(boolean enableCircuitBreaker) {
        this.enableCircuitBreaker = enableCircuitBreaker;
    }

    public int getCircuitBreakerFailureThreshold() {
        return circuitBreakerFailureThreshold;
    }

    public void setCircuitBreakerFailureThreshold(int circuitBreakerFailureThreshold) {
        this.circuitBreakerFailureThreshold = circuitBreakerFailureThreshold;
    }

    public long getCircuitBreakerRecoveryTimeoutSeconds() {
        return circuitBreakerRecoveryTimeoutSeconds;
    }

    public void setCircuitBreakerRecoveryTimeoutSeconds(long circuitBreakerRecoveryTimeoutSeconds) {
        this.circuitBreakerRecoveryTimeoutSeconds = circuitBreakerRecoveryTimeoutSeconds;
    }

    public String getCircuitBreakerRef() {
        return circuitBreakerRef;
    }

    public void setCircuitBreakerRef(String circuitBreakerRef) {
        this.circuitBreakerRef = circuitBreakerRef;
    }

    public boolean isEnableOptimizedErrorHandling() {
        return enableOptimizedErrorHandling;
    }

    public void setEnableOptimizedErrorHandling(boolean enableOptimizedErrorHandling) {
        this.enableOptimizedErrorHandling = enableOptimizedErrorHandling;
    }

    public int getErrorCacheSize() {
        return errorCacheSize;
    }

    public void setErrorCacheSize(int errorCacheSize) {
        this.errorCacheSize = errorCacheSize;
    }

    public int getMaxConcurrentExecutions() {
        return maxConcurrentExecutions;
    }

    public void setMaxConcurrentExecutions(int maxConcurrentExecutions) {
        this.maxConcurrentExecutions = maxConcurrentExecutions;
    }

    public long getMaxConcurrentExecutionsWait() {
        return maxConcurrentExecutionsWait;
    }

    public void setMaxConcurrentExecutionsWait(long maxConcurrentExecutionsWait) {
        this.maxConcurrentExecutionsWait = maxConcurrentExecutionsWait;
    }

    public boolean isEnablePerformanceMonitoring() {
        return enablePerformanceMonitoring;
    }

    public void setEnablePerformanceMonitoring(boolean enablePerformanceMonitoring) {
        this.enablePerformanceMonitoring = enablePerformanceMonitoring;
    }

    public long getSlowExecutionThresholdMs() {
        return slowExecutionThresholdMs;
    }

    public void setSlowExecutionThresholdMs(long slowExecutionThresholdMs) {
        this.slowExecutionThresholdMs = slowExecutionThresholdMs;
    }

    public int getCpuUsageThresholdPercent() {
        return cpuUsageThresholdPercent;
    }

    public void setCpuUsageThresholdPercent(int cpuUsageThresholdPercent) {
        this.cpuUsageThresholdPercent = cpuUsageThresholdPercent;
    }

    public boolean isEnableOptimizedTelemetry() {
        return enableOptimizedTelemetry;
    }

    public void setEnableOptimizedTelemetry(boolean enableOptimizedTelemetry) {
        this.enableOptimizedTelemetry = enableOptimizedTelemetry;
    }

    public int getTelemetryBatchSize() {
        return telemetryBatchSize;
    }

    public void setTelemetryBatchSize(int telemetryBatchSize) {
        this.telemetryBatchSize = telemetryBatchSize;
    }

    public long getTelemetryFlushIntervalSeconds() {
        return telemetryFlushIntervalSeconds;
    }

    public void setTelemetryFlushIntervalSeconds(long telemetryFlushIntervalSeconds) {
        this.telemetryFlushIntervalSeconds = telemetryFlushIntervalSeconds;
    }

    public boolean isEnableConcurrencyOptimization() {
        return enableConcurrencyOptimization;
    }

    public void setEnableConcurrencyOptimization(boolean enableConcurrencyOptimization) {
        this.enableConcurrencyOptimization = enableConcurrencyOptimization;
    }

    public boolean isEnableAutomaticOptimization() {
        return enableAutomaticOptimization;
    }

    public void setEnableAutomaticOptimization(boolean enableAutomaticOptimization) {
        this.enableAutomaticOptimization = enableAutomaticOptimization;
    }

    public long getOptimizationAnalysisIntervalSeconds() {
        return optimizationAnalysisIntervalSeconds;
    }

    public void setOptimizationAnalysisIntervalSeconds(long optimizationAnalysisIntervalSeconds) {
        this.optimizationAnalysisIntervalSeconds = optimizationAnalysisIntervalSeconds;
    }

    public double getPerformanceDegradationThreshold() {
        return performanceDegradationThreshold;
    }

    public void setPerformanceDegradationThreshold(double performanceDegradationThreshold) {
        this.performanceDegradationThreshold = performanceDegradationThreshold;
    }

    public boolean isEnableMemoryOptimization() {
        return enableMemoryOptimization;
    }

    public void setEnableMemoryOptimization(boolean enableMemoryOptimization) {
        this.enableMemoryOptimization = enableMemoryOptimization;
    }

    public long getMemoryPressureThresholdMb() {
        return memoryPressureThresholdMb;
    }

    public void setMemoryPressureThresholdMb(long memoryPressureThresholdMb) {
        this.memoryPressureThresholdMb = memoryPressureThresholdMb;
    }

    public boolean isEnableObjectPool() {
        return enableObjectPool;
    }

    public void setEnableObjectPool(boolean enableObjectPool) {
        this.enableObjectPool = enableObjectPool;
    }

    public int getObjectPoolMaxSize() {
        return objectPoolMaxSize;
    }

    public void setObjectPoolMaxSize(int objectPoolMaxSize) {
        this.objectPoolMaxSize = objectPoolMaxSize;
    }

    public int getObjectPoolCleanupThreshold() {
        return objectPoolCleanupThreshold;
    }

    public void setObjectPoolCleanupThreshold(int objectPoolCleanupThreshold) {
        this.objectPoolCleanupThreshold = objectPoolCleanupThreshold;
    }

    public boolean isEnableContextOptimization() {
        return enableContextOptimization;
    }

    public void setEnableContextOptimization(boolean enableContextOptimization) {
        this.enableContextOptimization = enableContextOptimization;
    }

    public boolean isEnableStepOptimization() {
        return enableStepOptimization;
    }

    public void setEnableStepOptimization(boolean enableStepOptimization) {
        this.enableStepOptimization = enableStepOptimization;
    }

    public boolean isEnableAlgorithmOptimization() {
        return enableAlgorithmOptimization;
    }

    public void setEnableAlgorithmOptimization(boolean enableAlgorithmOptimization) {
        this.enableAlgorithmOptimization = enableAlgorithmOptimization;
    }

    public boolean isEnableCacheOptimization() {
        return enableCacheOptimization;
    }

    public void setEnableCacheOptimization(boolean enableCacheOptimization) {
        this.enableCacheOptimization = enableCacheOptimization;
    }

    public boolean isCacheCompression() {
        return cacheCompression;
    }

    public void setCacheCompression(boolean cacheCompression) {
        this.cacheCompression = cacheCompression;
    }
}
