package dev.flujo.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of the paused-run state: round trips and resume edge cases. */
class StateReviewTest {

    private static final String APPROVAL = "{\"type\":\"object\",\"required\":[\"approved\"]}";

    @TempDir
    Path dir;

    private static PausedRun paused(String runId, String schema, List<StepResult> history) {
        return new PausedRun(runId, RunStatus.PAUSED, "approve", "ok?", schema, "direct:after", "q",
                Map.of("tenant", "acme"), history, Usage.of(30, 12, new BigDecimal("0.0042")),
                new UsageLimits(new BigDecimal("0.10"), 5_000L), List.of(), Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void nestedCompositeResultsWithExactCostsSurviveTheJdbcStore() {
        StepResult leaf = new StepResult("research", "facts", true, 2, 10, Usage.of(10, 5, new BigDecimal("0.0010")),
                List.of("agent x failed: timeout"), Map.of(StepResult.META_TIMED_OUT, true),
                Map.of("notes", List.of("a")), List.of());
        StepResult cancelled = new StepResult("critic", null, false, 1, 5, Usage.ZERO,
                List.of("FlujoCancelledException: review"), Map.of(StepResult.META_CANCELLED, true), Map.of(),
                List.of());
        StepResult branch = new StepResult("research", "facts", true, 1, 12, Usage.of(10, 5, new BigDecimal("0.0010")),
                List.of(), Map.of(), Map.of("notes", List.of("a")), List.of(leaf));
        StepResult parallel = new StepResult("review", Map.of("research", "facts"), true, 1, 20,
                Usage.of(10, 5, new BigDecimal("0.0010")), List.of(),
                Map.of(StepResult.META_KIND, "parallel", StepResult.META_FAILED_BRANCHES, List.of("critic")),
                Map.of("notes", List.of("a")), List.of(branch, cancelled));
        JdbcStateStore store = new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db"));
        store.save(paused("nested", null, List.of(parallel)));

        StepResult loaded = store.load("nested").orElseThrow().history().get(0);

        assertEquals(parallel, loaded, "a nested result comes back equal, BigDecimal costs with their scale");
        assertEquals(new BigDecimal("0.0010"), loaded.children().get(0).children().get(0).usage().costUsd());
    }

    @Test
    void aMissingAnswerToARunWithASchemaIsRejectedAsAnInvalidAnswerAndTheRunStaysPaused() {
        InMemoryStateStore store = new InMemoryStateStore();
        store.save(paused("r", APPROVAL, List.of()));
        ResumeService service = new ResumeService(store, Clock.systemUTC());

        ResumeRejectedException e = assertThrows(ResumeRejectedException.class, () -> service.resume("r", null));

        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, e.getReason());
        assertEquals(RunStatus.PAUSED, store.load("r").orElseThrow().status());
    }

    @Test
    void mapAndByteAnswersAreCheckedLikeText() {
        InMemoryStateStore store = new InMemoryStateStore();
        store.save(paused("m", APPROVAL, List.of()));
        store.save(paused("b", APPROVAL, List.of()));
        ResumeService service = new ResumeService(store, Clock.systemUTC());

        assertEquals(Map.of("approved", true), service.resume("m", Map.of("approved", true)).answer());
        assertEquals(Map.of("approved", false),
                service.resume("b", "{\"approved\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).answer());
    }
}
