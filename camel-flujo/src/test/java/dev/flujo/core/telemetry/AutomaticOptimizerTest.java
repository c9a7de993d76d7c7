package dev.flujo.core.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.telemetry.AutomaticOptimizer.Action;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** enableAutomaticOptimization: the cache grows and the concurrency limit moves only when the statistics say so. */
class AutomaticOptimizerTest {

    private static final double THRESHOLD = 0.5;

    private final StepStatistics stats = new StepStatistics();

    private static final class FakeCache implements AutomaticOptimizer.CacheControl {
        long maximumSize;
        long estimatedSize;

        FakeCache(long maximumSize, long estimatedSize) {
            this.maximumSize = maximumSize;
            this.estimatedSize = estimatedSize;
        }

        @Override
        public long maximumSize() {
            return maximumSize;
        }

        @Override
        public long estimatedSize() {
            return estimatedSize;
        }

        @Override
        public void maximumSize(long size) {
            maximumSize = size;
        }
    }

    private static final class FakeLimit implements AutomaticOptimizer.ConcurrencyControl {
        int max;

        FakeLimit(int max) {
            this.max = max;
        }

        @Override
        public int maxConcurrent() {
            return max;
        }

        @Override
        public void maxConcurrent(int limit) {
            max = limit;
        }
    }

    private void lookups(int hits, int misses) {
        for (int i = 0; i < hits + misses; i++) {
            stats.stepEnded(new StepResult(
                    "s", "x", true, 1, 1_000_000L, Usage.ZERO, List.of(),
                    Map.of(StepResult.META_CACHE_HIT, i < hits), Map.of(), List.of()));
        }
    }

    private void executions(int count, long millis) {
        for (int i = 0; i < count; i++) {
            stats.stepEnded(new StepResult(
                    "s", "x", true, 1, millis * 1_000_000L, Usage.ZERO, List.of(), Map.of(),
                    Map.of(), List.of()));
        }
    }

    private static List<String> changes(List<Action> actions) {
        return actions.stream().map(a -> a.option() + " " + a.from() + "->" + a.to()).toList();
    }

    private AutomaticOptimizer cacheOnly(FakeCache cache) {
        return new AutomaticOptimizer("s", stats, THRESHOLD, cache, null);
    }

    private AutomaticOptimizer limitOnly(FakeLimit limit) {
        return new AutomaticOptimizer("s", stats, THRESHOLD, null, limit);
    }

    @Test
    void aFullCacheThatMostlyMissesDoublesInSize() {
        FakeCache cache = new FakeCache(100, 95);
        AutomaticOptimizer optimizer = cacheOnly(cache);
        lookups(30, 70);

        List<Action> actions = optimizer.analyze();

        assertEquals(List.of("cacheMaxSize 100->200"), changes(actions));
        assertEquals(200, cache.maximumSize);
        assertTrue(actions.get(0).reason().contains("30%"), actions.get(0).reason());
    }

    @Test
    void theCacheKeepsItsSizeWhenHalfTheLookupsHit() {
        FakeCache cache = new FakeCache(100, 100);
        AutomaticOptimizer optimizer = cacheOnly(cache);
        lookups(50, 50);

        assertEquals(List.of(), optimizer.analyze());
        assertEquals(100, cache.maximumSize);
    }

    @Test
    void theCacheKeepsItsSizeWhenNotNearlyFull() {
        FakeCache cache = new FakeCache(100, 89);
        AutomaticOptimizer optimizer = cacheOnly(cache);
        lookups(0, 200);
        assertEquals(List.of(), optimizer.analyze(), "89% full");

        cache.estimatedSize = 90;
        lookups(0, 200);
        assertEquals(List.of("cacheMaxSize 100->200"), changes(optimizer.analyze()), "90% full");
    }

    @Test
    void tooFewLookupsInTheIntervalAreNoEvidence() {
        FakeCache cache = new FakeCache(100, 100);
        AutomaticOptimizer optimizer = cacheOnly(cache);
        lookups(0, 99);

        assertEquals(List.of(), optimizer.analyze());
        assertEquals(100, cache.maximumSize);
    }

    @Test
    void theHitRateIsThatOfTheIntervalNotOfAllTime() {
        FakeCache cache = new FakeCache(100, 100);
        AutomaticOptimizer optimizer = cacheOnly(cache);
        lookups(1000, 0);
        assertEquals(List.of(), optimizer.analyze());

        lookups(30, 70); // 1030 of 1100 overall, 30% in this interval
        assertEquals(List.of("cacheMaxSize 100->200"), changes(optimizer.analyze()));
    }

    @Test
    void theCacheGrowsToAtMostSixteenTimesItsConfiguredSize() {
        FakeCache cache = new FakeCache(100, 100);
        AutomaticOptimizer optimizer = cacheOnly(cache);
        List<String> changes = new ArrayList<>();
        for (int interval = 0; interval < 6; interval++) {
            cache.estimatedSize = cache.maximumSize;
            lookups(0, 100);
            changes.addAll(changes(optimizer.analyze()));
        }

        assertEquals(List.of("cacheMaxSize 100->200", "cacheMaxSize 200->400", "cacheMaxSize 400->800",
                "cacheMaxSize 800->1600"), changes);
        assertEquals(1600, cache.maximumSize);
    }

    @Test
    void theCacheStopsExactlyAtTheCapWhenDoublingWouldPassIt() {
        FakeCache cache = new FakeCache(100, 100);
        AutomaticOptimizer optimizer = cacheOnly(cache);
        cache.maximumSize = 1000; // raised by hand since
        cache.estimatedSize = 1000;
        lookups(0, 100);

        assertEquals(List.of("cacheMaxSize 1000->1600"), changes(optimizer.analyze()));
    }

    @Test
    void nothingChangesBeforeABaselineAndTheBaselineIsTheFirstP95WithTwentyExecutions() {
        FakeLimit limit = new FakeLimit(8);
        AutomaticOptimizer optimizer = limitOnly(limit);
        executions(19, 500);

        assertEquals(List.of(), optimizer.analyze());
        assertNull(optimizer.baselineP95Ms(), "19 executions are too few");

        executions(1, 500);
        assertEquals(List.of(), optimizer.analyze(), "the baseline is only set");
        assertEquals(500.0, optimizer.baselineP95Ms(), 1e-9);
        assertEquals(8, limit.max);

        executions(1004, 10);
        optimizer.analyze();
        assertEquals(500.0, optimizer.baselineP95Ms(), 1e-9, "the baseline stays");
    }

    @Test
    void degradationLowersTheLimitAndRecoveryRaisesItBackToTheConfiguredOne() {
        FakeLimit limit = new FakeLimit(8);
        AutomaticOptimizer optimizer = limitOnly(limit);
        executions(100, 10);
        optimizer.analyze();
        List<String> changes = new ArrayList<>();

        executions(100, 20); // p95 20 ms > 10 * 1.5
        changes.addAll(changes(optimizer.analyze()));
        executions(100, 20);
        changes.addAll(changes(optimizer.analyze()));
        assertEquals(List.of("maxConcurrentExecutions 8->6", "maxConcurrentExecutions 6->5"), changes);

        executions(StepStatistics.WINDOW, 13); // 13 ms: not degraded, not recovered (> 10 * 1.25)
        assertEquals(List.of(), optimizer.analyze());
        assertEquals(5, limit.max);

        changes.clear();
        for (int interval = 0; interval < 5; interval++) {
            executions(StepStatistics.WINDOW, 12); // within 25% of the baseline
            changes.addAll(changes(optimizer.analyze()));
        }
        assertEquals(List.of("maxConcurrentExecutions 5->6", "maxConcurrentExecutions 6->7",
                "maxConcurrentExecutions 7->8"), changes, "never above the configured 8");
        assertEquals(8, limit.max);
    }

    @Test
    void theLimitNeverDropsBelowOne() {
        FakeLimit limit = new FakeLimit(2);
        AutomaticOptimizer optimizer = limitOnly(limit);
        executions(20, 10);
        optimizer.analyze();
        List<String> changes = new ArrayList<>();

        for (int interval = 0; interval < 3; interval++) {
            executions(100, 100);
            changes.addAll(changes(optimizer.analyze()));
        }

        assertEquals(List.of("maxConcurrentExecutions 2->1"), changes);
        assertEquals(1, limit.max);
    }

    @Test
    void aQuietIntervalIsNotActedOnAgain() {
        FakeLimit limit = new FakeLimit(8);
        AutomaticOptimizer optimizer = limitOnly(limit);
        executions(100, 10);
        optimizer.analyze();
        executions(100, 20);
        assertEquals(List.of("maxConcurrentExecutions 8->6"), changes(optimizer.analyze()));

        executions(19, 20);
        assertEquals(List.of(), optimizer.analyze(), "the same slow window, with too few new executions");
        assertEquals(6, limit.max);
    }

    @Test
    void theHistoryKeepsTheLastTwentyActionsNewestLast() {
        FakeLimit limit = new FakeLimit(1000);
        AutomaticOptimizer optimizer = limitOnly(limit);
        executions(100, 10);
        optimizer.analyze();
        List<Action> all = new ArrayList<>();

        while (limit.max > 1) {
            executions(100, 100);
            all.addAll(optimizer.analyze());
        }

        assertTrue(all.size() > AutomaticOptimizer.HISTORY, "enough actions to overflow: " + all.size());
        assertEquals(all.subList(all.size() - AutomaticOptimizer.HISTORY, all.size()), optimizer.history());
        assertEquals(1, optimizer.history().get(AutomaticOptimizer.HISTORY - 1).to());
    }
}
