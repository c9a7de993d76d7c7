package dev.flujo.core.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one step produced; the run keeps these in order as its history.
 *
 * @param name           the step name
 * @param output         the final output (null when the step failed before any output)
 * @param success        whether the step succeeded
 * @param attempts       how many attempts of the step's own agent ran (a fallback call is not counted; see
 *                       {@link #META_FALLBACK})
 * @param latencyNanos   wall time of the step, from start to result
 * @param usage          what this step's agent calls consumed (zero on a cache hit)
 * @param feedback       the feedback of each failed attempt, oldest first
 * @param metadata       facts about the run of this step: see the {@code META_*} keys
 * @param contextUpdates the context writes the step made ({@code updatesContext}, {@code sinkTo}); applied to the run's
 *                       context only when the step succeeded
 * @param children       results of nested steps (for composite kinds), in order
 */
public record StepResult(String name, Object output, boolean success, int attempts, long latencyNanos, Usage usage,
        List<String> feedback, Map<String, Object> metadata, Map<String, Object> contextUpdates,
        List<StepResult> children) {

    /** Boolean: the output came from the step cache. */
    public static final String META_CACHE_HIT = "cacheHit";
    /** Set when the execution was refused a slot (bulkhead or adaptive limit): it called nothing. */
    public static final String META_REJECTED = "rejected";
    /** True when the output was shared by an execution of the same key in flight ({@code enableCacheOptimization}). */
    public static final String META_CACHE_SHARED = "cacheShared";
    /** Boolean: every attempt failed and the fallback agent ran. */
    public static final String META_FALLBACK = "fallback";
    /** String: the fallback agent reference. */
    public static final String META_FALLBACK_AGENT = "fallbackAgent";
    /** String: the error that sent the step to its fallback. */
    public static final String META_ORIGINAL_ERROR = "originalError";
    /** List of String: validation failures of the last failed attempt. */
    public static final String META_VALIDATION_FAILURES = "validationFailures";
    /** List of String: the agents a plugin redirected to, in order. */
    public static final String META_REDIRECTS = "redirects";
    /** Boolean: an attempt timed out. */
    public static final String META_TIMED_OUT = "timedOut";
    /** String: a description of the usage limit this step hit. */
    public static final String META_LIMIT_EXCEEDED = "limitExceeded";
    /** Boolean: an agent error a retry cannot fix (enableOptimizedErrorHandling), so no retry was made. */
    /** Milliseconds the step waited between attempts in all (backoff and Retry-After), when it waited. */
    public static final String META_RETRY_WAIT_MS = "retryWaitMs";
    /** Milliseconds the last failed call asked to be waited for (its Retry-After), when it asked. */
    public static final String META_RETRY_AFTER_MS = "retryAfterMs";
    /** Milliseconds the step's calls waited for their rate-limit permits in all, when they waited. */
    public static final String META_RATE_LIMIT_WAIT_MS = "rateLimitWaitMs";
    /** The rate limit that refused a call ({@code requestsPerMinute=60}), when one did. */
    public static final String META_RATE_LIMITED = "rateLimited";
    /** The model that gave the step's output, as the provider named it, when the agent said. */
    public static final String META_MODEL = "model";
    public static final String META_FATAL_ERROR = "fatalError";
    /** String: the name of the circuit breaker that was open, so an agent was not called. */
    public static final String META_CIRCUIT_OPEN = "circuitOpen";
    /** String: the kind of a composite step (parallel, loop, conditional, router, map, human). */
    public static final String META_KIND = "kind";
    /** Boolean: a branch result whose branch was cancelled (a sibling failed or spent the budget). */
    public static final String META_CANCELLED = "cancelled";
    /** List of String: the branches (or map items) that failed, in declared order. */
    public static final String META_FAILED_BRANCHES = "failedBranches";
    /** List of String: the branches a router or conditional step chose. */
    public static final String META_CHOSEN = "chosen";
    /** String: why a loop ended: condition, maxLoops, bodyError or limitExceeded. */
    public static final String META_EXIT_REASON = "exitReason";
    /** Boolean: a human step paused the run; it continues through {@code flujo:resume}. */
    public static final String META_PAUSED = "paused";
    /**
     * String: what resumes a paused run: {@code <runId>.<token>} for its first pause, {@code <runId>.<n>.<token>} for
     * the n-th, the token 128 random bits (see {@link dev.flujo.core.state.PausedRun#newPauseId}).
     */
    public static final String META_PAUSE_ID = "pauseId";
    /** Boolean: the result of a human step, recorded when the person's answer resumed the run. */
    public static final String META_RESUMED = "resumed";

    public StepResult {
        feedback = feedback == null ? List.of() : List.copyOf(feedback);
        metadata = frozen(metadata);
        contextUpdates = frozen(contextUpdates);
        children = children == null ? List.of() : List.copyOf(children);
        usage = usage == null ? Usage.ZERO : usage;
    }

    /** An unmodifiable copy that keeps the order; no allocation for the common empty case. */
    private static Map<String, Object> frozen(Map<String, Object> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public boolean cacheHit() {
        return Boolean.TRUE.equals(metadata.get(META_CACHE_HIT));
    }

    public boolean fallbackUsed() {
        return Boolean.TRUE.equals(metadata.get(META_FALLBACK));
    }
}
