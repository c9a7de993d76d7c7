package dev.flujo.camel.telemetry;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoKind;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.telemetry.AutomaticOptimizer;
import dev.flujo.core.telemetry.BatchingObserver;
import dev.flujo.core.telemetry.PerformanceMonitor;
import dev.flujo.core.telemetry.StepObserver;
import dev.flujo.core.telemetry.StepStatistics;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import org.apache.camel.CamelContext;

/**
 * The telemetry of one endpoint, whatever its kind: statistics, Micrometer meters (batched with
 * {@code enableOptimizedTelemetry}), the performance monitor and the automatic optimizer with their scheduled tasks.
 * Built when the endpoint starts and again when its options change at runtime; the statistics survive such changes, the
 * scheduled tasks are replaced.
 */
public final class EndpointTelemetry {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EndpointTelemetry.class);

    private final CamelContext camelContext;
    private final String step;
    private final FlujoKind kind;
    private final ScheduledExecutorService scheduler;
    private volatile StepStatistics statistics;
    private BatchingObserver batch;
    private ScheduledFuture<?> flushTask;
    private ScheduledFuture<?> analysisTask;
    private volatile AutomaticOptimizer optimizer;
    private FlujoMeters meters;

    /** @param scheduler runs the batch flushes and the automatic optimizer's analyses */
    public EndpointTelemetry(CamelContext camelContext, String step, FlujoKind kind, ScheduledExecutorService scheduler) {
        this.camelContext = camelContext;
        this.step = step;
        this.kind = kind;
        this.scheduler = scheduler;
    }

    /**
     * The observer of the plan about to be built ({@code null} when nothing observes it); ends the previous plan's
     * batching first (its buffered recordings are flushed, not lost).
     */
    public synchronized StepObserver observer(OptimizationConfig config, AdaptiveConcurrencyLimit limit) {
        stopTasks();
        StepObserver observer = null;
        if (config.telemetry().enablePerformanceMonitoring()) {
            if (statistics == null) {
                statistics = new StepStatistics();
            }
            StepObserver meters = meters(limit);
            if (meters != null && config.telemetry().enableOptimizedTelemetry()) {
                batch = new BatchingObserver(meters, config.telemetry().telemetryBatchSize());
                long every = config.telemetry().telemetryFlushIntervalSeconds();
                flushTask = scheduler.scheduleWithFixedDelay(batch::flush, every, every, TimeUnit.SECONDS);
                meters = batch;
            }
            observer = StepObserver.both(statistics, meters);
        }
        if (config.telemetry().slowExecutionThresholdMs() > 0 || config.telemetry().cpuUsageThresholdPercent() > 0) {
            PerformanceMonitor monitor = new PerformanceMonitor(
                    step, config.telemetry().slowExecutionThresholdMs(),
                    config.telemetry().cpuUsageThresholdPercent(), PerformanceMonitor::processCpuLoad, System::nanoTime);
            if (statistics != null) {
                statistics.watchedBy(monitor);
            }
            observer = StepObserver.both(observer, monitor);
        }
        return observer;
    }

    /**
     * Schedules the automatic optimizer ({@code enableAutomaticOptimization}) over the plan's cache and bulkhead; it
     * needs the statistics of {@code enablePerformanceMonitoring}.
     */
    public synchronized void optimize(OptimizationConfig config, StepCache cache, Bulkhead bulkhead) {
        optimizer = null;
        if (!config.telemetry().enableAutomaticOptimization()) {
            return;
        }
        if (statistics == null) {
            LOG.warn("Step '{}': enableAutomaticOptimization needs enablePerformanceMonitoring=true; nothing is"
                     + " tuned",
                    step);
            return;
        }
        AutomaticOptimizer.CacheControl cacheControl = cache == null ? null : new AutomaticOptimizer.CacheControl() {
            @Override
            public long maximumSize() {
                return cache.maximumSize();
            }

            @Override
            public long estimatedSize() {
                return cache.estimatedSize();
            }

            @Override
            public void maximumSize(long size) {
                cache.maximumSize(size);
            }
        };
        AutomaticOptimizer.ConcurrencyControl concurrency = bulkhead == null
                ? null
                : new AutomaticOptimizer.ConcurrencyControl() {
                    @Override
                    public int maxConcurrent() {
                        return bulkhead.getBulkheadConfig().getMaxConcurrentCalls();
                    }

                    @Override
                    public void maxConcurrent(int limit) {
                        // Resilience4j resizes a semaphore bulkhead in place: no call in flight is lost
                        bulkhead.changeConfig(BulkheadConfig.from(bulkhead.getBulkheadConfig())
                                .maxConcurrentCalls(limit).build());
                    }
                };
        AutomaticOptimizer tuned = new AutomaticOptimizer(
                step, statistics, config.telemetry().performanceDegradationThreshold(),
                cacheControl, concurrency);
        optimizer = tuned;
        long every = config.telemetry().optimizationAnalysisIntervalSeconds();
        analysisTask = scheduler.scheduleWithFixedDelay(() -> analyze(tuned), every, every, TimeUnit.SECONDS);
    }

    private static void analyze(AutomaticOptimizer optimizer) {
        try {
            optimizer.analyze();
        } catch (RuntimeException e) {
            LOG.warn("Automatic optimization failed: {}", e.toString(), e);
        }
    }

    /** Runs one analysis now (JMX, tests); empty when automatic optimization is off. */
    public List<AutomaticOptimizer.Action> analyzeNow() {
        AutomaticOptimizer current = optimizer;
        return current == null ? List.of() : current.analyze();
    }

    public AutomaticOptimizer optimizer() {
        return optimizer;
    }

    /** The statistics, {@code null} until monitoring was on. */
    public StepStatistics statistics() {
        return statistics;
    }

    /** Hands buffered recordings to the meters now. */
    public synchronized void flush() {
        if (batch != null) {
            batch.flush();
        }
    }

    public synchronized void stop() {
        stopTasks();
        optimizer = null;
        if (meters != null) {
            meters.remove();
            meters = null;
        }
    }

    private void stopTasks() {
        if (flushTask != null) {
            flushTask.cancel(false);
            flushTask = null;
        }
        if (batch != null) {
            batch.close();
            batch = null;
        }
        if (analysisTask != null) {
            analysisTask.cancel(false);
            analysisTask = null;
        }
    }

    /**
     * Micrometer meters, loaded only when micrometer-core is on the classpath; without it the statistics are still
     * kept.
     */
    private StepObserver meters(AdaptiveConcurrencyLimit limit) {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            LOG.info("Step '{}': no micrometer-core on the classpath, so no Micrometer meters; statistics are kept",
                    step);
            return null;
        }
        meters = new FlujoMeters(
                FlujoMeters.registryOf(camelContext), camelContext.getName(), step, kind.uriName(),
                limit);
        return meters;
    }
}
