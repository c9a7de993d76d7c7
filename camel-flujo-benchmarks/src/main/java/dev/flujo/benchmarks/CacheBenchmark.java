package dev.flujo.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.caffeine.CaffeineConstants;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scenario 4: the cache-hit path of a step ({@code cache=true}, repeated input) vs the same step uncached, and vs a
 * plain Camel route that reads the value from a camel-caffeine {@code caffeine-cache} endpoint.
 *
 * <p>
 * Each operation sends a fresh copy of the input string, as a real request would, so its hash is computed every time
 * rather than read from the string's cached hash.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheBenchmark {

    private static final char[] INPUT = "Classify: the mobile app crashes when I open settings".toCharArray();

    private CamelFixture camel;
    private Endpoint cached;
    private Endpoint uncached;
    private Endpoint caffeine;

    @Setup
    public void start() throws Exception {
        camel = new CamelFixture(Map.of("noop", Work.noopAgent()), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:cached").to("flujo:step:cached?agent=#noop&cache=true&cacheTtl=10m");
                from("direct:uncached").to("flujo:step:uncached?agent=#noop");
                from("direct:caffeine")
                        .setHeader(CaffeineConstants.ACTION, constant(CaffeineConstants.ACTION_GET))
                        .setHeader(CaffeineConstants.KEY, body())
                        .to("caffeine-cache:bench");
                from("direct:caffeinePut")
                        .setHeader(CaffeineConstants.ACTION, constant(CaffeineConstants.ACTION_PUT))
                        .setHeader(CaffeineConstants.KEY, body())
                        .setBody(method(Work.class, "transform"))
                        .to("caffeine-cache:bench");
            }
        });
        cached = camel.endpoint("direct:cached");
        uncached = camel.endpoint("direct:uncached");
        caffeine = camel.endpoint("direct:caffeine");
        // warm both caches with the one input every operation asks for
        camel.request(cached, new String(INPUT));
        camel.request(camel.endpoint("direct:caffeinePut"), new String(INPUT));
        Object fromCaffeine = camel.request(caffeine, new String(INPUT));
        if (!Work.transform(new String(INPUT)).equals(fromCaffeine)) {
            throw new IllegalStateException("caffeine-cache route does not return the cached value: " + fromCaffeine);
        }
    }

    @TearDown
    public void stop() {
        camel.close();
    }

    @Benchmark
    public Object flujoCacheHit() {
        return camel.request(cached, new String(INPUT));
    }

    @Benchmark
    public Object flujoUncachedStep() {
        return camel.request(uncached, new String(INPUT));
    }

    @Benchmark
    public Object camelCaffeineCacheGetRoute() {
        return camel.request(caffeine, new String(INPUT));
    }
}
