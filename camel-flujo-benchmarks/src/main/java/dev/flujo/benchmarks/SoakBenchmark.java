package dev.flujo.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario 8b: runs 1,000,000 steps through a cached flujo step (inputs are mostly distinct, so the cache fills to its
 * bound and then evicts) and samples the heap after GC every 250,000 steps: a leak shows as growth between samples once
 * the cache is full.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SoakBenchmark {

    private static final int STEPS = 1_000_000;
    private static final int SAMPLE_EVERY = 250_000;

    private CamelFixture camel;
    private Endpoint cachedStep;
    private ExtraMetrics metrics;
    private boolean measuring;

    @Setup(Level.Trial)
    public void start() throws Exception {
        camel = new CamelFixture(Map.of("noop", Work.noopAgent()), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:cached").to("flujo:step:soak?agent=#noop&cache=true&cacheMaxSize=10000");
            }
        });
        cachedStep = camel.endpoint("direct:cached");
        metrics = new ExtraMetrics("SoakBenchmark.heapAfterOneMillionSteps", "");
    }

    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void stop() {
        metrics.write();
        camel.close();
    }

    @Benchmark
    public long heapAfterOneMillionSteps() {
        long first = 0;
        long previous = 0;
        long growthAfterFull = 0;
        for (int i = 1; i <= STEPS; i++) {
            camel.request(cachedStep, "input " + (i % 1000 == 0 ? 0 : i));
            if (i % SAMPLE_EVERY == 0) {
                long now = ExtraMetrics.usedHeapAfterGc();
                if (first == 0) {
                    first = now; // the cache is full by now: from here on the heap must stay flat
                } else {
                    growthAfterFull = Math.max(growthAfterFull, now - previous);
                }
                previous = now;
            }
        }
        if (measuring) {
            metrics.add("heapAfterGcAt250kStepsMb", first / 1048576.0);
            metrics.add("heapAfterGcAt1MStepsMb", previous / 1048576.0);
            metrics.add("largestGrowthBetweenSamplesMb", growthAfterFull / 1048576.0);
        }
        return previous;
    }
}
