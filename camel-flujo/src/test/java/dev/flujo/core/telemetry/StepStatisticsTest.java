package dev.flujo.core.telemetry;

import java.util.List;
import java.util.Map;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepStatisticsTest {

    private static StepResult result(boolean success, int attempts, long nanos, Map<String, Object> meta) {
        return new StepResult(
                "s", success ? "x" : null, success, attempts, nanos, Usage.ZERO, List.of(), meta,
                Map.of(), List.of());
    }

    @Test
    void percentilesComeFromTheRecentWindowAndErrorsAreCountedByType() {
        StepStatistics stats = new StepStatistics();
        for (int i = 1; i <= 100; i++) {
            stats.stepEnded(result(true, 1, i * 1_000_000L, Map.of()));
        }
        stats.stepEnded(result(false, 2, 1_000_000L, Map.of(StepResult.META_TIMED_OUT, true)));
        stats.stepEnded(result(false, 1, 1_000_000L, Map.of(StepResult.META_LIMIT_EXCEEDED, "tokens")));

        Map<String, Object> s = stats.snapshot();
        assertEquals(102L, s.get("executionCount"));
        assertEquals(2L, s.get("failureCount"));
        assertEquals(1L, s.get("retries"));
        assertEquals(Map.of("timeout", 1L, "limitExceeded", 1L), s.get("errorsByType"));
        assertEquals(50.0, (double) s.get("p50Ms"), 1.0);
        assertEquals(99.0, (double) s.get("p99Ms"), 1.0);
    }

    @Test
    void theWindowKeepsOnlyTheMostRecentExecutions() {
        StepStatistics stats = new StepStatistics();
        for (int i = 0; i < StepStatistics.WINDOW; i++) {
            stats.stepEnded(result(true, 1, 500_000_000L, Map.of()));
        }
        for (int i = 0; i < StepStatistics.WINDOW; i++) {
            stats.stepEnded(result(true, 1, 1_000_000L, Map.of()));
        }

        assertEquals(1.0, (double) stats.snapshot().get("p99Ms"), 1e-9, "the slow old executions have left the window");
    }

    @Test
    void recommendationsFollowFromTheCounters() {
        StepStatistics stats = new StepStatistics();
        assertTrue(stats.recommendations(true, 10).isEmpty(), "nothing to say before 20 executions");
        for (int i = 0; i < 20; i++) {
            stats.stepEnded(result(i % 2 == 0, 3, 1_000_000L, Map.of(StepResult.META_CIRCUIT_OPEN, "flujo-llm")));
        }

        List<String> advice = stats.recommendations(false, 10).stream()
                .map(r -> r.priority() + ": " + r.description()).toList();

        assertEquals(3, advice.size(), advice.toString());
        assertTrue(advice.get(0).contains("circuitBreakerFailureThreshold"), advice.toString());
        assertTrue(advice.get(1).contains("retries per execution"), advice.toString());
        assertTrue(advice.get(2).contains("50% of executions fail"), advice.toString());
    }
}
