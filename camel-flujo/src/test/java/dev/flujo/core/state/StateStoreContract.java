package dev.flujo.core.state;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.HumanInteraction;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link StateStore} must do; subclasses provide the store. */
abstract class StateStoreContract {

    abstract StateStore store();

    static PausedRun paused(String runId) {
        StepResult earlier = new StepResult(
                "extract", Map.of("customer", "ACME", "score", new BigDecimal("0.75")),
                true, 1, 1234, Usage.of(10, 5, new BigDecimal("0.0012")), List.of(), Map.of("cacheHit", false),
                Map.of(), List.of());
        return new PausedRun(
                runId, RunStatus.PAUSED, "approve", "Approve the refund?",
                "{\"type\":\"object\",\"required\":[\"approved\"]}", "direct:afterApproval", "refund 40 EUR",
                Map.of("tenant", "acme", "items", List.of(1, 2, 3), "nested", Map.of("k", "v")),
                List.of(earlier), Usage.of(10, 5, new BigDecimal("0.0012")),
                new UsageLimits(new BigDecimal("0.50"), 10_000L),
                List.of(new HumanInteraction(
                        "triage", "Which queue?", Map.of("queue", "billing"),
                        Instant.parse("2026-11-23T10:00:00Z"))),
                Instant.parse("2026-11-23T10:05:00Z"));
    }

    @Test
    void savedRunComesBackWithEveryField() {
        PausedRun run = paused("run-1");
        store().save(run);

        PausedRun loaded = store().load("run-1").orElseThrow();

        assertEquals(run.runId(), loaded.runId());
        assertEquals(RunStatus.PAUSED, loaded.status());
        assertEquals(run.stepName(), loaded.stepName());
        assertEquals(run.message(), loaded.message());
        assertEquals(run.answerSchema(), loaded.answerSchema());
        assertEquals(run.resumeUri(), loaded.resumeUri());
        assertEquals(run.input(), loaded.input());
        assertEquals("acme", loaded.context().get("tenant"));
        assertEquals(List.of(1, 2, 3), loaded.context().get("items"));
        assertEquals(Map.of("k", "v"), loaded.context().get("nested"));
        assertEquals(run.usage(), loaded.usage());
        assertEquals(0, run.limits().costLimitUsd().compareTo(loaded.limits().costLimitUsd()));
        assertEquals(run.limits().tokenLimit(), loaded.limits().tokenLimit());
        assertEquals(run.pausedAt(), loaded.pausedAt());
        assertEquals(run.humanHistory(), loaded.humanHistory());
        StepResult step = loaded.history().get(0);
        assertEquals("extract", step.name());
        assertEquals(Map.of("customer", "ACME", "score", new BigDecimal("0.75")), step.output());
        assertEquals(run.history().get(0).usage(), step.usage());
        assertEquals(false, step.metadata().get("cacheHit"));
    }

    @Test
    void unknownRunIsEmpty() {
        assertTrue(store().load("nope").isEmpty());
        assertTrue(store().claim("nope").isEmpty());
    }

    @Test
    void saveReplacesTheStoredRun() {
        store().save(paused("run-2"));
        PausedRun changed = paused("run-2");
        changed = new PausedRun(
                changed.runId(), RunStatus.PAUSED, changed.stepName(), "Second question",
                null, changed.resumeUri(), changed.input(), changed.context(), changed.history(), changed.usage(),
                changed.limits(), changed.humanHistory(), changed.pausedAt());
        store().save(changed);

        assertEquals("Second question", store().load("run-2").orElseThrow().message());
    }

    @Test
    void aRunIsClaimedOnceAndThenNoLongerPaused() {
        store().save(paused("run-3"));
        store().save(paused("run-4"));

        Optional<PausedRun> first = store().claim("run-3");
        Optional<PausedRun> second = store().claim("run-3");

        assertEquals(RunStatus.RESUMED, first.orElseThrow().status());
        assertEquals("Approve the refund?", first.get().message());
        assertTrue(second.isEmpty(), "a resumed run cannot be claimed again");
        assertEquals(RunStatus.RESUMED, store().load("run-3").orElseThrow().status());
        assertEquals(List.of("run-4"), store().pausedRunIds());
    }

    @Test
    void concurrentClaimsHaveExactlyOneWinner() throws Exception {
        store().save(paused("contended"));
        int claimants = 8;
        ExecutorService pool = Executors.newFixedThreadPool(claimants);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Optional<PausedRun>>> results = new ArrayList<>();
            for (int i = 0; i < claimants; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return store().claim("contended");
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Optional<PausedRun>> r : results) {
                winners += r.get(10, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void untypedValuesComeBackAsPlainData() {
        // a value shaped like a Jackson type hint stays data: nothing is instantiated from stored state
        PausedRun run = paused("run-5");
        run = new PausedRun(
                run.runId(), run.status(), run.stepName(), run.message(), null, run.resumeUri(),
                Map.of("@class", "java.net.URL", "val", "http://example.invalid"), run.context(), List.of(),
                run.usage(), run.limits(), List.of(), run.pausedAt());
        store().save(run);

        Object input = store().load("run-5").orElseThrow().input();

        assertInstanceOf(Map.class, input);
        assertEquals("java.net.URL", ((Map<?, ?>) input).get("@class"));
    }
}
