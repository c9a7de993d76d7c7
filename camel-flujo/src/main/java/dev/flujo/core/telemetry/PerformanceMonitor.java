package dev.flujo.core.telemetry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import dev.flujo.core.result.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a step is slow ({@code slowExecutionThresholdMs}: every execution that took longer) or the process is
 * overloaded ({@code cpuUsageThresholdPercent}: the process CPU load, sampled at most once a second, above the
 * threshold) - a log line and a count each, which the statistics and meters show.
 */
public final class PerformanceMonitor implements StepObserver {

    private static final Logger LOG = LoggerFactory.getLogger(PerformanceMonitor.class);
    private static final long SAMPLE_EVERY_NANOS = 1_000_000_000L;

    private final String step;
    private final long slowNanos;
    private final double cpuThreshold;
    private final DoubleSupplier cpuLoad;
    private final LongSupplier nanoClock;
    private final LongAdder slowExecutions = new LongAdder();
    private final LongAdder overloadWarnings = new LongAdder();
    private final AtomicLong lastSample;

    /**
     * @param slowExecutionThresholdMs 0 to not watch the time
     * @param cpuUsageThresholdPercent 0 to not watch the CPU
     * @param cpuLoad                  the process CPU load, 0..1 (negative when unknown)
     */
    public PerformanceMonitor(String step, long slowExecutionThresholdMs, int cpuUsageThresholdPercent,
                              DoubleSupplier cpuLoad, LongSupplier nanoClock) {
        this.step = step;
        this.slowNanos = slowExecutionThresholdMs <= 0 ? Long.MAX_VALUE : slowExecutionThresholdMs * 1_000_000L;
        this.cpuThreshold = cpuUsageThresholdPercent <= 0 ? Double.MAX_VALUE : cpuUsageThresholdPercent / 100.0;
        this.cpuLoad = cpuLoad;
        this.nanoClock = nanoClock;
        this.lastSample = new AtomicLong(nanoClock.getAsLong() - SAMPLE_EVERY_NANOS);
    }

    /** The process CPU load from the JVM's operating-system bean, or -1 where the JVM does not tell. */
    public static double processCpuLoad() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuLoad() : -1;
    }

    @Override
    public void stepEnded(StepResult result) {
        if (result.latencyNanos() > slowNanos) {
            slowExecutions.increment();
            LOG.warn("Step '{}' took {} ms, over slowExecutionThresholdMs={}", step, result.latencyNanos() / 1_000_000,
                    slowNanos / 1_000_000);
        }
        if (cpuThreshold != Double.MAX_VALUE) {
            long now = nanoClock.getAsLong();
            long last = lastSample.get();
            if (now - last >= SAMPLE_EVERY_NANOS && lastSample.compareAndSet(last, now)) {
                double load = cpuLoad.getAsDouble();
                if (load > cpuThreshold) {
                    overloadWarnings.increment();
                    LOG.warn("Process CPU at {}% while step '{}' runs, over cpuUsageThresholdPercent={}",
                            Math.round(load * 100), step, Math.round(cpuThreshold * 100));
                }
            }
        }
    }

    public long slowExecutions() {
        return slowExecutions.sum();
    }

    public long overloadWarnings() {
        return overloadWarnings.sum();
    }
}
