package dev.flujo.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import dev.flujo.reliability.ReliabilityFigures.Section;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak: 1,000,000 steps through one cached, monitored flujo:step endpoint, sent straight to the endpoint with the
 * ProducerTemplate (no route in between, so the million steps fit in well under a minute). Nearly every input is new,
 * so the bounded cache fills and then evicts for the rest of the run. Neither the heap after GC nor the number of
 * meters may grow with the traffic.
 */
@org.junit.jupiter.api.Tag("stress")
class CachedStepSoakStressTest extends CamelTestSupport {

    private static final int STEPS = 1_000_000;
    /** Steps before the first heap sample: the cache is full after 10,000 of them, the JIT has settled after these. */
    private static final int WARM_UP = 100_000;
    private static final int SAMPLE_EVERY = 100_000;
    private static final int CACHE_MAX_SIZE = 10_000;
    /** Every HOT_EVERY-th input is one of 10 that repeat, so the cache also hits; all others are distinct. */
    private static final int HOT_EVERY = 100;
    /** How much the heap after GC may grow once warmed up: a leak of one small object per step is ~30 MB. */
    private static final long GROWTH_BOUND_BYTES = 4L * 1024 * 1024;
    private static final String STEP = "flujo:step:soak?agent=#echo&cache=true&cacheMaxSize=" + CACHE_MAX_SIZE
                                       + "&enablePerformanceMonitoring=true";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LongAdder calls = new LongAdder();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("metricsRegistry", MeterRegistry.class, meters);
        registry.bind("echo", (FlujoAgent) request -> {
            calls.increment();
            return CompletableFuture.completedFuture(AgentResponse.of("out:" + request.input(),
                    Usage.of(3, 2, new BigDecimal("0.00001"))));
        });
    }

    private static String input(int step) {
        return step % HOT_EVERY == 0 ? "hot input " + (step / HOT_EVERY) % 10 : "input " + step;
    }

    @Test
    void aMillionCachedMonitoredStepsGrowNeitherTheHeapNorTheMeters() {
        FlujoEndpoint soak = context.getEndpoint(STEP, FlujoEndpoint.class);
        template.requestBody(soak, input(0));
        int metersBefore = meters.getMeters().size();

        long[] heapSamples = new long[(STEPS - WARM_UP) / SAMPLE_EVERY + 1];
        int sampled = 0;
        long start = System.nanoTime();
        for (int i = 1; i <= STEPS; i++) {
            Object out = template.requestBody(soak, input(i));
            if (i % SAMPLE_EVERY == 0) {
                assertEquals("out:" + input(i), out, "step " + i + "'s output");
                if (i >= WARM_UP) {
                    heapSamples[sampled++] = usedHeapAfterGc();
                }
            }
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        long growth = Arrays.stream(heapSamples).max().getAsLong() - heapSamples[0];
        assertTrue(growth <= GROWTH_BOUND_BYTES, "heap after GC grew by " + mb(growth) + " MB after warm-up: "
                                                 + samplesMb(heapSamples));
        int metersAfter = meters.getMeters().size();
        assertEquals(metersBefore, metersAfter, "meters after " + STEPS + " steps");
        for (Meter meter : meters.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertFalse(tag.getValue().contains("input "), "an input as a tag value: " + meter.getId());
            }
        }
        long executions = STEPS + 1L;
        double successes = outcome("success");
        double hits = outcome("cache_hit");
        double misses = outcome("cache_miss");
        assertEquals(executions, successes, "executions counted as successes");
        assertEquals(executions, hits + misses, "cache hits + misses");
        assertEquals(calls.sum(), misses, "agent calls = cache misses");
        assertTrue(hits >= 1, "the repeated inputs hit the cache");
        Map<String, Object> stats = soak.getOptimizationStats();
        long entries = ((Number) stats.get("cacheEntries")).longValue();
        assertTrue(entries <= CACHE_MAX_SIZE, "cache entries " + entries);

        ReliabilityFigures.record(Section.LOAD, String.format("soak: %,d steps sent with a ProducerTemplate to one"
                                                              + " flujo:step endpoint with cache=true, cacheMaxSize=%,d and enablePerformanceMonitoring=true"
                                                              + " (SimpleMeterRegistry as metricsRegistry); 99%% of the inputs distinct",
                STEPS, CACHE_MAX_SIZE),
                String.format("heap after GC every 100,000 steps from %,d on: %s MB; growth after warm-up %s MB"
                              + " (bound %d MB); cache entries %,d <= %,d; %,d steps in %d s (time reported, not"
                              + " asserted)",
                        WARM_UP, samplesMb(heapSamples), mb(growth), GROWTH_BOUND_BYTES >> 20, entries,
                        CACHE_MAX_SIZE, STEPS, seconds),
                getClass());
        ReliabilityFigures.record(Section.LOAD, "meters in the registry during that soak",
                String.format("%d before and after (no input in any tag); counters exact: %,.0f successes,"
                              + " %,.0f cache hits + %,.0f misses, agent calls = misses",
                        metersAfter, successes, hits,
                        misses),
                getClass());
    }

    private double outcome(String outcome) {
        return meters.get("flujo.step.outcomes").tag("outcome", outcome).counter().count();
    }

    /**
     * The heap a full collection leaves: used heap after {@code System.gc()}, as the SoakBenchmark samples it, read
     * from what each heap pool held when that collection ended (so nothing allocated since counts).
     */
    private static long usedHeapAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            used += afterGc == null ? 0 : afterGc.getUsed();
        }
        return used;
    }

    private static String mb(long bytes) {
        return String.format("%.2f", bytes / 1048576.0);
    }

    private static String samplesMb(long[] samples) {
        return Arrays.stream(samples).mapToObj(CachedStepSoakStressTest::mb).collect(Collectors.joining(", "));
    }
}
