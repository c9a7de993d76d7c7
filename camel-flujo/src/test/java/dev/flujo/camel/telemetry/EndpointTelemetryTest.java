package dev.flujo.camel.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoKind;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.telemetry.StepObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * telemetryFlushIntervalSeconds and optimizationAnalysisIntervalSeconds: the endpoint's telemetry schedules its batch
 * flushes and analyses at those intervals, runs them, and cancels them when replaced or stopped. The scheduler records
 * what it is asked instead of waiting for time to pass.
 */
class EndpointTelemetryTest {

    /** Records every periodic task; runs one only when the test says so. */
    static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        record Periodic(Runnable task, long delay, TimeUnit unit, ScheduledFuture<?> future) {
        }

        final List<Periodic> periodic = new ArrayList<>();

        RecordingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
            // scheduled far out so it never runs by itself; the test runs the task
            ScheduledFuture<?> future = super.scheduleWithFixedDelay(task, 1, 1, TimeUnit.DAYS);
            periodic.add(new Periodic(task, delay, unit, future));
            return future;
        }
    }

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private EndpointTelemetry telemetry() {
        camel.getRegistry().bind("metricsRegistry", MeterRegistry.class, meters);
        return new EndpointTelemetry(camel, "s", FlujoKind.STEP, scheduler);
    }

    private static StepResult success() {
        return new StepResult(
                "s", "out", true, 1, 1_000_000, Usage.ZERO, List.of(), java.util.Map.of(),
                java.util.Map.of(), List.of());
    }

    private double successes() {
        var counter = meters.find("flujo.step.outcomes").tag("outcome", "success").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void batchesAreFlushedEveryTelemetryFlushIntervalSeconds() {
        EndpointTelemetry telemetry = telemetry();
        StepObserver observer = telemetry.observer(OptimizationConfig.builder().set("enablePerformanceMonitoring", true)
                .set("enableOptimizedTelemetry", true).set("telemetryBatchSize", 50).set("telemetryFlushIntervalSeconds", 7)
                .build(), null);

        observer.stepEnded(success());
        assertEquals(0, successes());
        assertEquals(1, scheduler.periodic.size());
        RecordingScheduler.Periodic flush = scheduler.periodic.get(0);
        assertEquals(7, flush.delay());
        assertEquals(TimeUnit.SECONDS, flush.unit());

        flush.task().run();
        assertEquals(1, successes());
    }

    @Test
    void analysesRunEveryOptimizationAnalysisIntervalSecondsAndStopWithTheTelemetry() {
        EndpointTelemetry telemetry = telemetry();
        OptimizationConfig config = OptimizationConfig.builder().set("enablePerformanceMonitoring", true)
                .set("enableAutomaticOptimization", true).set("optimizationAnalysisIntervalSeconds", 42)
                .set("performanceDegradationThreshold", 0.3).build();
        telemetry.observer(config, null);
        telemetry.optimize(config, null, null);

        assertNotNull(telemetry.optimizer());
        assertEquals(0.3, telemetry.optimizer().degradationThreshold());
        assertEquals(1, scheduler.periodic.size());
        assertEquals(42, scheduler.periodic.get(0).delay());

        telemetry.stop();
        assertTrue(scheduler.periodic.get(0).future().isCancelled());
        assertEquals(null, telemetry.optimizer());
    }

    @Test
    void aNewPlansTelemetryFlushesAndCancelsThePreviousOnes() {
        EndpointTelemetry telemetry = telemetry();
        OptimizationConfig batched = OptimizationConfig.builder().set("enablePerformanceMonitoring", true)
                .set("enableOptimizedTelemetry", true).set("telemetryBatchSize", 50).build();
        StepObserver first = telemetry.observer(batched, null);
        first.stepEnded(success());

        telemetry.observer(batched.toBuilder().set("enableOptimizedTelemetry", false).build(), null);

        assertEquals(1, successes(), "buffered recordings are flushed, not lost");
        assertTrue(scheduler.periodic.get(0).future().isCancelled());
    }
}
