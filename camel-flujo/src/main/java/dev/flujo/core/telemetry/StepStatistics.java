package dev.flujo.core.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.flujo.core.result.StepResult;

/**
 * Running statistics of one step, for its statistics API, JMX and the dev console: counts, total and mean time,
 * p50/p95/p99 over the last {@value #WINDOW} executions, cache hits and misses, errors by type, and the recommendations
 * that follow from them. Recording is a few adder increments and one write into a ring, so it can stay on; reading
 * sorts a copy of the ring.
 */
public final class StepStatistics implements StepObserver {

    /** Executions the percentiles are computed over (the most recent ones). */
    public static final int WINDOW = 1024;

    private final LongAdder executions = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder breakerRejections = new LongAdder();
    private final Map<String, LongAdder> errorsByType = new ConcurrentHashMap<>();
    private final long[] latencies = new long[WINDOW];
    private long next;
    private volatile PerformanceMonitor monitor;

    /** Adds the monitor's warnings (slow executions, CPU overload) to the statistics. */
    public StepStatistics watchedBy(PerformanceMonitor monitor) {
        this.monitor = monitor;
        return this;
    }

    /** One recommendation: what to change, why it matters, how urgent. */
    public record Recommendation(String description, String impact, String priority) {
    }

    @Override
    public void stepEnded(StepResult result) {
        executions.increment();
        totalNanos.add(result.latencyNanos());
        synchronized (latencies) {
            latencies[(int) (next++ % WINDOW)] = result.latencyNanos();
        }
        if (!result.success()) {
            failures.increment();
            String type = errorType(result);
            errorsByType.computeIfAbsent(type, t -> new LongAdder()).increment();
        }
        if (result.attempts() > 1) {
            retries.add(result.attempts() - 1L);
        }
        if (result.fallbackUsed()) {
            fallbacks.increment();
        }
        Object hit = result.metadata().get(StepResult.META_CACHE_HIT);
        if (hit != null) {
            (Boolean.TRUE.equals(hit) ? cacheHits : cacheMisses).increment();
        }
        if (result.metadata().containsKey(StepResult.META_CIRCUIT_OPEN)) {
            breakerRejections.increment();
        }
    }

    /** The kind of failure, from the result only (bounded: a few names, never a message). */
    private static String errorType(StepResult result) {
        Map<String, Object> meta = result.metadata();
        if (meta.containsKey(StepResult.META_LIMIT_EXCEEDED)) {
            return "limitExceeded";
        }
        if (meta.containsKey(StepResult.META_CIRCUIT_OPEN)) {
            return "circuitOpen";
        }
        if (meta.containsKey(StepResult.META_REJECTED)) {
            return "rejected";
        }
        if (Boolean.TRUE.equals(meta.get(StepResult.META_TIMED_OUT))) {
            return "timeout";
        }
        if (meta.containsKey(StepResult.META_VALIDATION_FAILURES)) {
            return "validation";
        }
        if (Boolean.TRUE.equals(meta.get(StepResult.META_FATAL_ERROR))) {
            return "fatalAgentError";
        }
        return "agentError";
    }

    /**
     * execution count, failure count, total and mean time (ms), p50/p95/p99 (ms), retries, fallbacks, cache hits,
     * misses and hit rate, breaker rejections, errors by type.
     */
    public Map<String, Object> snapshot() {
        long count = executions.sum();
        long[] window = sortedWindow();
        long hits = cacheHits.sum();
        long misses = cacheMisses.sum();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("executionCount", count);
        stats.put("failureCount", failures.sum());
        stats.put("totalTimeMs", totalNanos.sum() / 1e6);
        stats.put("meanTimeMs", count == 0 ? 0.0 : totalNanos.sum() / 1e6 / count);
        stats.put("p50Ms", percentile(window, 0.50));
        stats.put("p95Ms", percentile(window, 0.95));
        stats.put("p99Ms", percentile(window, 0.99));
        stats.put("retries", retries.sum());
        stats.put("fallbacks", fallbacks.sum());
        stats.put("cacheHits", hits);
        stats.put("cacheMisses", misses);
        stats.put("cacheHitRate", hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
        stats.put("breakerRejections", breakerRejections.sum());
        Map<String, Long> errors = new LinkedHashMap<>();
        errorsByType.forEach((type, n) -> errors.put(type, n.sum()));
        stats.put("errorsByType", errors);
        PerformanceMonitor watching = monitor;
        if (watching != null) {
            stats.put("slowExecutions", watching.slowExecutions());
            stats.put("overloadWarnings", watching.overloadWarnings());
        }
        return stats;
    }

    /** Executions recorded so far, successful or not. */
    public long executionCount() {
        return executions.sum();
    }

    /** Cache hits so far; the difference of two readings is what happened in between. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** Cache misses so far; the difference of two readings is what happened in between. */
    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /** The p95 time (ms) of the recent window, without building a whole snapshot; 0 before any execution. */
    public double p95Ms() {
        return percentile(sortedWindow(), 0.95);
    }

    private long[] sortedWindow() {
        long[] window;
        synchronized (latencies) {
            window = Arrays.copyOf(latencies, (int) Math.min(next, WINDOW));
        }
        Arrays.sort(window);
        return window;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0.0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    /**
     * What the counters suggest, each with its impact and priority; empty while there is too little to go on (fewer
     * than 20 executions).
     *
     * @param cacheMaxSize the step's cache size (for the advice to raise it)
     * @param cacheEnabled whether the step caches
     */
    public List<Recommendation> recommendations(boolean cacheEnabled, long cacheMaxSize) {
        List<Recommendation> advice = new ArrayList<>();
        long count = executions.sum();
        if (count < 20) {
            return advice;
        }
        long hits = cacheHits.sum();
        long lookups = hits + cacheMisses.sum();
        if (cacheEnabled && lookups >= 20 && (double) hits / lookups < 0.2) {
            advice.add(new Recommendation(
                    "Cache hit rate is " + Math.round(100.0 * hits / lookups)
                                          + "%: raise cacheMaxSize above " + cacheMaxSize
                                          + " or cacheTtl, or list fewer cacheKeyContext keys"
                                          + " - or turn the cache off if inputs never repeat",
                    "each miss is a paid agent call", "medium"));
        }
        if (breakerRejections.sum() > 0) {
            advice.add(new Recommendation(
                    "The circuit breaker refused " + breakerRejections.sum() + " calls: check"
                                          + " the agent's health; if it merely flaps, raise circuitBreakerFailureThreshold",
                    "refused calls fail or fall back", "high"));
        }
        double retryRate = (double) retries.sum() / count;
        if (retryRate > 0.5) {
            advice.add(new Recommendation(
                    String.format(java.util.Locale.ROOT, "%.1f retries per execution: tighten"
                                                         + " the prompt or the validators' feedback, or use enableOptimizedErrorHandling so errors a retry"
                                                         + " cannot fix are not retried",
                            retryRate),
                    "every retry is another paid call", "high"));
        }
        double failureRate = (double) failures.sum() / count;
        if (failureRate > 0.1) {
            advice.add(new Recommendation(
                    Math.round(failureRate * 100) + "% of executions fail; see errorsByType",
                    "failed executions waste their tokens", "high"));
        }
        return advice;
    }
}
