package dev.flujo.core.config;

import java.util.List;

/**
 * What a step records about itself, and the automatic optimizer that acts on it.
 *
 * @param enablePerformanceMonitoring         keep statistics and Micrometer meters of every execution
 * @param slowExecutionThresholdMs            warn (log + count) when an execution takes longer; 0 = off
 * @param cpuUsageThresholdPercent            warn when the process CPU load is above this; 0 = off
 * @param enableOptimizedTelemetry            hand meters their recordings in batches instead of one by one
 * @param telemetryBatchSize                  recordings per batch
 * @param telemetryFlushIntervalSeconds       the longest a recording waits in a batch
 * @param enableAutomaticOptimization         periodically apply the safe recommendations (cache size, limits)
 * @param optimizationAnalysisIntervalSeconds how often the automatic optimizer looks at the statistics
 * @param performanceDegradationThreshold     how much slower (0.5 = 50%) than its baseline a step counts as degraded
 */
public record TelemetryOptions(boolean enablePerformanceMonitoring, long slowExecutionThresholdMs,
        int cpuUsageThresholdPercent, boolean enableOptimizedTelemetry, int telemetryBatchSize,
        long telemetryFlushIntervalSeconds, boolean enableAutomaticOptimization,
        long optimizationAnalysisIntervalSeconds, double performanceDegradationThreshold) {

    public static final TelemetryOptions DEFAULTS = new TelemetryOptions(false, 0, 0, false, 100, 5, false, 60, 0.5);

    void validate(List<String> problems) {
        if (slowExecutionThresholdMs < 0) {
            problems.add("slowExecutionThresholdMs must not be negative (0 = off), was " + slowExecutionThresholdMs);
        }
        if (cpuUsageThresholdPercent < 0 || cpuUsageThresholdPercent > 100) {
            problems.add("cpuUsageThresholdPercent must be between 0 (off) and 100, was " + cpuUsageThresholdPercent);
        }
        Checks.atLeastOne(problems, "telemetryBatchSize", telemetryBatchSize);
        Checks.atLeastOne(problems, "telemetryFlushIntervalSeconds", telemetryFlushIntervalSeconds);
        Checks.atLeastOne(problems, "optimizationAnalysisIntervalSeconds", optimizationAnalysisIntervalSeconds);
        if (!(performanceDegradationThreshold > 0) || Double.isInfinite(performanceDegradationThreshold)) {
            problems.add("performanceDegradationThreshold must be a positive fraction (0.5 = 50% slower), was "
                         + performanceDegradationThreshold);
        }
    }
}
