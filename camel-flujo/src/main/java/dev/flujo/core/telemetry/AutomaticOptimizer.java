package dev.flujo.core.telemetry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code enableAutomaticOptimization} does: every {@code optimizationAnalysisIntervalSeconds} the host calls
 * {@link #analyze()}, which applies the recommendations that are safe to apply without a person - those that only move
 * a size or a limit within bounds set by the configuration, and can move back:
 * <ul>
 * <li>{@code cacheMaxSize}: a cache that is (nearly) full yet hits less than half of its lookups since the previous
 * analysis is evicting what would be asked again, so its size doubles - at most to {@value #MAX_CACHE_GROWTH} times the
 * configured size, so that memory stays bounded.</li>
 * <li>{@code maxConcurrentExecutions}: a step whose p95 has grown past {@code performanceDegradationThreshold} over its
 * baseline is likely overloading what it calls, so its limit drops by a quarter (never below 1); once the p95 is back
 * within half that margin the limit rises by a quarter again, never above the configured one. The gap between the two
 * margins keeps the limit from flapping.</li>
 * </ul>
 * The baseline is the p95 at the first analysis with at least {@value #MIN_EXECUTIONS} executions; until then the limit
 * is left alone, and so it is after an interval with fewer new executions than that: the window would still be mostly
 * the evidence already acted on, and a quiet step would otherwise be throttled down to 1 on stale numbers. Every change
 * is logged (INFO) and kept in {@link #history()}.
 */
public final class AutomaticOptimizer {

    private static final Logger LOG = LoggerFactory.getLogger(AutomaticOptimizer.class);

    /** The most the cache may grow, as a multiple of its configured size. */
    static final int MAX_CACHE_GROWTH = 16;
    /** Executions needed before latencies are trusted (for the baseline, then per interval). */
    static final int MIN_EXECUTIONS = 20;
    /** Cache lookups in an interval needed before its hit rate is trusted. */
    static final int MIN_LOOKUPS = 100;
    /** Actions kept in the history. */
    static final int HISTORY = 20;

    /** The step's cache, as far as its size goes. */
    public interface CacheControl {

        long maximumSize();

        long estimatedSize();

        void maximumSize(long size);
    }

    /** The step's cap on concurrent executions. */
    public interface ConcurrencyControl {

        int maxConcurrent();

        void maxConcurrent(int limit);
    }

    /** One applied change: the option, its old and new value, and why. */
    public record Action(String option, Object from, Object to, String reason) {
    }

    private final String step;
    private final StepStatistics statistics;
    private final double threshold;
    private final CacheControl cache;
    private final ConcurrencyControl concurrency;
    private final long configuredCacheSize;
    private final int configuredConcurrency;
    private final Deque<Action> history = new ArrayDeque<>();
    private long lastHits;
    private long lastMisses;
    private long lastExecutions;
    private volatile Double baselineP95Ms;

    /**
     * The sizes the controls have now are taken as the configured ones, the bounds of every later change.
     *
     * @param degradationThreshold how much slower than the baseline (0.5 = 50%) counts as degraded
     * @param cache                null when the step does not cache
     * @param concurrency          null when the step's concurrency is not capped
     */
    public AutomaticOptimizer(String step, StepStatistics statistics, double degradationThreshold, CacheControl cache,
                              ConcurrencyControl concurrency) {
        this.step = step;
        this.statistics = statistics;
        this.threshold = degradationThreshold;
        this.cache = cache;
        this.concurrency = concurrency;
        this.configuredCacheSize = cache == null ? 0 : cache.maximumSize();
        this.configuredConcurrency = concurrency == null ? 0 : concurrency.maxConcurrent();
        this.lastHits = statistics.cacheHits();
        this.lastMisses = statistics.cacheMisses();
        this.lastExecutions = statistics.executionCount();
    }

    /** Looks at the statistics since the previous call and applies what is safe; the actions taken, maybe none. */
    public synchronized List<Action> analyze() {
        long hits = statistics.cacheHits();
        long misses = statistics.cacheMisses();
        long executions = statistics.executionCount();
        long newHits = hits - lastHits;
        long newLookups = newHits + misses - lastMisses;
        long newExecutions = executions - lastExecutions;
        lastHits = hits;
        lastMisses = misses;
        lastExecutions = executions;

        List<Action> actions = new ArrayList<>(2);
        if (cache != null) {
            tuneCache(newHits, newLookups, actions);
        }
        double p95 = statistics.p95Ms();
        Double baseline = baselineP95Ms;
        if (baseline == null) {
            if (executions >= MIN_EXECUTIONS) {
                baselineP95Ms = p95;
                LOG.info("Step '{}': baseline p95 {} ms for automatic optimization", step, format(p95));
            }
        } else if (concurrency != null && newExecutions >= MIN_EXECUTIONS) {
            tuneConcurrency(p95, baseline, actions);
        }
        actions.forEach(this::record);
        return actions;
    }

    private void tuneCache(long newHits, long newLookups, List<Action> actions) {
        long max = cache.maximumSize();
        long size = cache.estimatedSize();
        boolean full = size >= 0.9 * max;
        if (!full || newLookups < MIN_LOOKUPS || newHits * 2 >= newLookups) {
            return;
        }
        long cap = Math.min(configuredCacheSize, Long.MAX_VALUE / MAX_CACHE_GROWTH) * MAX_CACHE_GROWTH;
        long grown = max >= cap / 2 ? cap : max * 2;
        if (grown > max) {
            cache.maximumSize(grown);
            actions.add(new Action(
                    "cacheMaxSize", max, grown, String.format(Locale.ROOT,
                            "the cache holds %d of %d entries and hit %d%% of %d lookups since the last analysis", size, max,
                            Math.round(100.0 * newHits / newLookups), newLookups)));
        }
    }

    private void tuneConcurrency(double p95, double baseline, List<Action> actions) {
        int limit = concurrency.maxConcurrent();
        int quarter = Math.max(1, limit / 4);
        if (p95 > baseline * (1 + threshold)) {
            int lowered = Math.max(1, limit - quarter);
            if (lowered < limit) {
                concurrency.maxConcurrent(lowered);
                actions.add(new Action(
                        "maxConcurrentExecutions", limit, lowered, String.format(Locale.ROOT,
                                "p95 %s ms is more than %d%% over the baseline %s ms", format(p95),
                                Math.round(threshold * 100), format(baseline))));
            }
        } else if (p95 <= baseline * (1 + threshold / 2) && limit < configuredConcurrency) {
            int raised = Math.min(configuredConcurrency, limit + quarter);
            concurrency.maxConcurrent(raised);
            actions.add(new Action(
                    "maxConcurrentExecutions", limit, raised, String.format(Locale.ROOT,
                            "p95 %s ms is back within %d%% of the baseline %s ms", format(p95),
                            Math.round(threshold * 50), format(baseline))));
        }
    }

    private void record(Action action) {
        LOG.info("Step '{}': {} {} -> {} ({})", step, action.option(), action.from(), action.to(), action.reason());
        history.addLast(action);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    private static String format(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }

    /** The last {@value #HISTORY} actions taken, oldest first. */
    public synchronized List<Action> history() {
        return List.copyOf(history);
    }

    /** How much slower than the baseline counts as degraded ({@code performanceDegradationThreshold}). */
    public double degradationThreshold() {
        return threshold;
    }

    /** The p95 (ms) that later ones are compared with; null until an analysis had enough executions. */
    public Double baselineP95Ms() {
        return baselineP95Ms;
    }
}
