package dev.flujo.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.context.FlujoContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario 8a: heap retained per step-cache entry, measured as the difference in heap after GC before and after filling
 * a cache with {@code entries} entries. An entry's input and output are 20-character strings; their own size is
 * included, as it is in a real cache. See {@link SoakBenchmark} for scenario 8b.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MemoryBenchmark {

    @Param({ "10000", "100000" })
    public int entries;

    private ExtraMetrics cacheMetrics;
    private boolean measuring;

    @Setup(Level.Trial)
    public void start() {
        cacheMetrics = new ExtraMetrics("MemoryBenchmark.retainedHeapPerCacheEntry", "entries" + entries);
    }

    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void stop() {
        cacheMetrics.write();
    }

    @Benchmark
    public long retainedHeapPerCacheEntry() {
        StepCache cache = new StepCache("soak|agent=#noop", List.of(), entries, null, Ticker.systemTicker());
        FlujoContext context = FlujoContext.empty();
        long before = ExtraMetrics.usedHeapAfterGc();
        for (int i = 0; i < entries; i++) {
            cache.put(cache.keyFor(String.format("input-%014d", i), context), String.format("output-%013d", i));
        }
        long after = ExtraMetrics.usedHeapAfterGc();
        if (cache.estimatedSize() < entries * 9L / 10) {
            throw new IllegalStateException("cache holds only " + cache.estimatedSize() + " of " + entries);
        }
        if (measuring) {
            cacheMetrics.add("bytesPerEntry", (after - before) / (double) entries);
        }
        return cache.estimatedSize();
    }
}
