package dev.flujo.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.context.FlujoContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 4b: what computing a cache key costs (fingerprint + input + one listed context value, then its hash) for a
 * small and a 10 KB input. The input is a fresh string per operation so its hash is really computed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheKeyBenchmark {

    @Param({ "64", "10240" })
    public int inputBytes;

    private char[] input;
    private StepCache cache;
    private FlujoContext context;

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder(inputBytes);
        for (int i = 0; sb.length() < inputBytes; i++) {
            sb.append("token").append(i).append(' ');
        }
        input = sb.substring(0, inputBytes).toCharArray();
        cache = new StepCache(
                "classify|agent=direct:llm|validators=#v", List.of("tenant"), 10_000,
                Duration.ofMinutes(10), Ticker.systemTicker());
        context = FlujoContext.of(Map.of("tenant", "acme", "locale", "en"));
    }

    @Benchmark
    public int stringCopyOnly() {
        return new String(input).length();
    }

    @Benchmark
    public int cacheKey() {
        return cache.keyFor(new String(input), context).hashCode();
    }
}
