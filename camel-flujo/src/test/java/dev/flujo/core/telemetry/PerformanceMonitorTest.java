package dev.flujo.core.telemetry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * slowExecutionThresholdMs and cpuUsageThresholdPercent: a count (and a log line) per warning; CPU sampled at most once
 * a second.
 */
class PerformanceMonitorTest {

    private final AtomicLong now = new AtomicLong();

    private static StepResult took(long millis) {
        return new StepResult(
                "s", "x", true, 1, millis * 1_000_000L, Usage.ZERO, List.of(), Map.of(), Map.of(),
                List.of());
    }

    @Test
    void slowExecutionsOverTheThresholdAreCounted() {
        PerformanceMonitor monitor = new PerformanceMonitor("s", 100, 0, () -> 1.0, now::get);

        monitor.stepEnded(took(50));
        monitor.stepEnded(took(150));
        monitor.stepEnded(took(100));

        assertEquals(1, monitor.slowExecutions());
        assertEquals(0, monitor.overloadWarnings(), "CPU not watched at 0");
    }

    @Test
    void anOverloadedProcessIsReportedAtMostOnceASecond() {
        double[] load = { 0.95 };
        PerformanceMonitor monitor = new PerformanceMonitor("s", 0, 80, () -> load[0], now::get);

        monitor.stepEnded(took(1));
        monitor.stepEnded(took(1)); // same second: not sampled again
        now.addAndGet(1_000_000_000L);
        load[0] = 0.5;
        monitor.stepEnded(took(1));
        now.addAndGet(1_000_000_000L);
        load[0] = 0.9;
        monitor.stepEnded(took(1));

        assertEquals(2, monitor.overloadWarnings());
        assertEquals(0, monitor.slowExecutions(), "time not watched at 0");
    }

    @Test
    void theStatisticsShowTheWarnings() {
        PerformanceMonitor monitor = new PerformanceMonitor("s", 10, 0, () -> 0, now::get);
        StepStatistics stats = new StepStatistics().watchedBy(monitor);

        monitor.stepEnded(took(20));

        assertEquals(1L, stats.snapshot().get("slowExecutions"));
    }
}
