package dev.flujo.core.state;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.flow.CompositeStep;
import dev.flujo.core.flow.HumanPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.run.HumanInteraction;
import dev.flujo.core.state.ResumeRejectedException.Reason;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pausing with a human step and continuing with {@link ResumeService}. */
class ResumeServiceTest {

    private static final Instant PAUSED_AT = Instant.parse("2026-11-23T12:00:00Z");
    private static final Instant ANSWERED_AT = Instant.parse("2026-11-23T12:30:00Z");
    private static final String APPROVAL = "{\"type\":\"object\",\"required\":[\"approved\"],"
                                           + "\"properties\":{\"approved\":{\"type\":\"boolean\"}}}";

    @TempDir
    Path dir;

    private ScheduledExecutorService timer;
    private ExecutorService continuation;
    private ExecutorCore core;
    private final InMemoryStateStore memory = new InMemoryStateStore();

    @BeforeEach
    void startCore() {
        timer = Executors.newSingleThreadScheduledExecutor();
        continuation = Executors.newSingleThreadExecutor();
        core = new ExecutorCore(timer, continuation);
    }

    @AfterEach
    void stopCore() throws InterruptedException {
        timer.shutdownNow();
        continuation.shutdownNow();
        assertTrue(timer.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(continuation.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static ResumeService service(StateStore store) {
        return new ResumeService(store, Clock.fixed(ANSWERED_AT, ZoneOffset.UTC));
    }

    /** A run that did one step (10 tokens, 0.01 USD) and then paused at a human step with the given schema. */
    private FlujoRun pausedRun(StateStore store, String stepName, String schema) throws Exception {
        FlujoRun run = FlujoRun.create();
        run.record(new StepResult(
                "extract", Map.of("amount", 40), true, 1, 0, Usage.of(6, 4, new BigDecimal("0.01")),
                null, null, null, null));
        run.ledger().reconcile(0, BigDecimal.ZERO, Usage.of(6, 4, new BigDecimal("0.01")));
        pause(store, run, stepName, schema);
        return run;
    }

    private void pause(StateStore store, FlujoRun run, String stepName, String schema) throws Exception {
        HumanPlan human = new HumanPlan(
                new CompositeStep(
                        stepName, "human",
                        new UsageLimits(new BigDecimal("5.00"), 10_000L), null),
                (in, ctx) -> "Approve " + in + "?", schema,
                "direct:after", store, Clock.fixed(PAUSED_AT, ZoneOffset.UTC));
        StepResult paused = human.execute(core, "refund", FlujoContext.of(Map.of("tenant", "acme")), run, List.of())
                .get(10, TimeUnit.SECONDS);
        assertEquals(true, paused.metadata().get(StepResult.META_PAUSED));
    }

    /** What resumes the run's last pause: the pause id its human step handed out, not the run id. */
    private static String pauseId(FlujoRun run) {
        return (String) run.history().get(run.history().size() - 1).metadata().get(StepResult.META_PAUSE_ID);
    }

    private static ResumeRejectedException rejected(ResumeService service, String runId, Object answer) {
        return assertThrows(ResumeRejectedException.class, () -> service.resume(runId, answer));
    }

    @Test
    void resumeRestoresTheRunAndAppendsTheHumanStepsAnswer() throws Exception {
        FlujoRun before = pausedRun(memory, "approve", APPROVAL);

        Resumption resumption = service(memory).resume(pauseId(before), "{\"approved\": true, \"note\": \"ok\"}");

        FlujoRun run = resumption.run();
        assertEquals(Map.of("approved", true, "note", "ok"), resumption.answer());
        assertEquals(before.runId(), run.runId());
        assertFalse(run.isBranch());
        assertEquals(List.of("extract", "approve"), run.history().stream().map(StepResult::name).toList());
        StepResult answered = run.history().get(1);
        assertEquals(resumption.answer(), answered.output());
        assertEquals(true, answered.metadata().get(StepResult.META_RESUMED));
        assertEquals("human", answered.metadata().get(StepResult.META_KIND));
        assertEquals(10, run.usage().totalTokens(), "usage so far is carried over");
        assertEquals(0, new BigDecimal("0.01").compareTo(run.usage().costUsd()));
        assertEquals(new UsageLimits(new BigDecimal("5.00"), 10_000L), run.limits(), "and so are the limits");
        assertEquals(List.of(new HumanInteraction("approve", "Approve refund?", resumption.answer(), ANSWERED_AT)),
                run.humanHistory());
        assertEquals(RunStatus.RESUMED, resumption.paused().status());
        assertEquals("direct:after", resumption.paused().resumeUri());
        assertEquals(RunStatus.RESUMED, memory.load(pauseId(before)).orElseThrow().status());
        assertEquals(List.of(), memory.pausedRunIds());
    }

    @Test
    void aRunPausedAgainKeepsEveryInteractionWithPeople() throws Exception {
        FlujoRun first = pausedRun(memory, "approve", null);
        FlujoRun resumed = service(memory).resume(pauseId(first), "yes").run();

        pause(memory, resumed, "confirm", null);
        // a late duplicate of the first answer cannot resume the second pause: it has a pause id of its own
        assertThrows(ResumeRejectedException.class, () -> service(memory).resume(pauseId(first), "yes"));
        FlujoRun again = service(memory).resume(pauseId(resumed), "confirmed").run();

        assertEquals(List.of("approve", "confirm"), again.humanHistory().stream().map(HumanInteraction::stepName)
                .toList());
        assertEquals(List.of("yes", "confirmed"), again.humanHistory().stream().map(HumanInteraction::answer)
                .toList());
        assertEquals(List.of("extract", "approve", "confirm"), again.history().stream().map(StepResult::name)
                .toList());
    }

    @Test
    void anAnswerViolatingTheSchemaIsRejectedAndTheRunStaysPaused() throws Exception {
        FlujoRun run = pausedRun(memory, "approve", APPROVAL);
        ResumeService service = service(memory);

        ResumeRejectedException e = rejected(service, pauseId(run), "{\"approved\": \"maybe\"}");

        assertEquals(Reason.INVALID_ANSWER, e.getReason());
        assertEquals(pauseId(run), e.getRunId());
        assertEquals(1, e.getProblems().size(), e.getProblems().toString());
        assertTrue(e.getProblems().get(0).contains("approved"), e.getProblems().get(0));
        assertTrue(e.getMessage().contains(e.getProblems().get(0)), e.getMessage());
        assertEquals(RunStatus.PAUSED, memory.load(pauseId(run)).orElseThrow().status());
        // a better answer is still accepted
        assertEquals(Map.of("approved", false), service.resume(pauseId(run), Map.of("approved", false)).answer());
    }

    @Test
    void aMapAnswerIsCheckedAgainstTheSchemaToo() throws Exception {
        FlujoRun run = pausedRun(memory, "approve", APPROVAL);

        ResumeRejectedException e = rejected(service(memory), pauseId(run), Map.of("note", "no decision"));

        assertEquals(Reason.INVALID_ANSWER, e.getReason());
        assertEquals(RunStatus.PAUSED, memory.load(pauseId(run)).orElseThrow().status());
    }

    @Test
    void malformedJsonIsRejectedWhenTheRunHasASchema() throws Exception {
        FlujoRun run = pausedRun(memory, "approve", APPROVAL);

        ResumeRejectedException e = rejected(service(memory), pauseId(run), "{\"approved\": tru");

        assertEquals(Reason.INVALID_ANSWER, e.getReason());
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
        assertEquals(1, e.getProblems().size());
        assertEquals(RunStatus.PAUSED, memory.load(pauseId(run)).orElseThrow().status());
        assertEquals(Map.of("approved", true), service(memory).resume(pauseId(run), "{\"approved\": true}").answer());
    }

    @Test
    void withoutASchemaPlainTextIsAStringAndJsonTextAJsonValue() throws Exception {
        FlujoRun text = pausedRun(memory, "approve", null);
        FlujoRun number = pausedRun(memory, "approve", null);
        FlujoRun bytes = pausedRun(memory, "approve", null);

        assertEquals("yes, go ahead", service(memory).resume(pauseId(text), "yes, go ahead").answer());
        assertEquals(42, service(memory).resume(pauseId(number), "42").answer());
        assertEquals(List.of("a", "b"), service(memory).resume(pauseId(bytes), "[\"a\",\"b\"]".getBytes()).answer());
    }

    @Test
    void resumingTwiceIsRefusedAsNotPaused() throws Exception {
        FlujoRun run = pausedRun(memory, "approve", null);
        ResumeService service = service(memory);
        service.resume(pauseId(run), "yes");

        ResumeRejectedException e = rejected(service, pauseId(run), "yes again");

        assertEquals(Reason.NOT_PAUSED, e.getReason());
        assertEquals(List.of(), e.getProblems());
    }

    @Test
    void anUnknownOrMissingRunIdIsRefusedAsUnknownRun() {
        ResumeService service = service(memory);

        assertEquals(Reason.UNKNOWN_RUN, rejected(service, "no-such-run", "yes").getReason());
        assertEquals(Reason.UNKNOWN_RUN, rejected(service, null, "yes").getReason());
        assertEquals(Reason.UNKNOWN_RUN, rejected(service, " ", "yes").getReason());
    }

    @Test
    void aStoredRemoteRefSchemaFailsTheResumeClearlyWithoutAFetchAndLeavesTheRunPaused() throws Exception {
        // a schema that never passed AnswerSchema.check (stored by hand, or by an older version)
        FlujoRun run = pausedRun(memory, "approve", "{\"$ref\":\"http://example.invalid/x.json\"}");

        RuntimeException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(RuntimeException.class, () -> service(memory).resume(pauseId(run), "{}")));

        assertTrue(e.getMessage().contains("not allowed to be loaded"), e.getMessage());
        assertEquals(RunStatus.PAUSED, memory.load(pauseId(run)).orElseThrow().status());
    }

    // --- answers to a run stored as paused (from the review of the composite kinds) -------------------------------

    private static final String REQUIRES_APPROVED = "{\"type\":\"object\",\"required\":[\"approved\"]}";

    private static PausedRun pausedWith(String runId, String schema, List<StepResult> history) {
        return new PausedRun(
                runId, RunStatus.PAUSED, "approve", "ok?", schema, "direct:after", "q",
                Map.of("tenant", "acme"), history, Usage.of(30, 12, new BigDecimal("0.0042")),
                new UsageLimits(new BigDecimal("0.10"), 5_000L), List.of(), Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void aMissingAnswerToARunWithASchemaIsRejectedAsAnInvalidAnswerAndTheRunStaysPaused() {
        InMemoryStateStore store = new InMemoryStateStore();
        store.save(pausedWith("r", REQUIRES_APPROVED, List.of()));
        ResumeService service = new ResumeService(store, Clock.systemUTC());

        ResumeRejectedException e = assertThrows(ResumeRejectedException.class, () -> service.resume("r", null));

        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, e.getReason());
        assertEquals(RunStatus.PAUSED, store.load("r").orElseThrow().status());
    }

    @Test
    void mapAndByteAnswersAreCheckedLikeText() {
        InMemoryStateStore store = new InMemoryStateStore();
        store.save(pausedWith("m", REQUIRES_APPROVED, List.of()));
        store.save(pausedWith("b", REQUIRES_APPROVED, List.of()));
        ResumeService service = new ResumeService(store, Clock.systemUTC());

        assertEquals(Map.of("approved", true), service.resume("m", Map.of("approved", true)).answer());
        assertEquals(Map.of("approved", false),
                service.resume("b", "{\"approved\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).answer());
    }

    // --- on the SQLite store --------------------------------------------------------------------------------------

    @Test
    void aRunPausedInOneStoreIsResumedThroughAnotherOnTheSameSqliteFile() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("state.db");
        FlujoRun before = FlujoRun.create();
        before.record(new StepResult("extract", Map.of("amount", 40), true, 1, 0, Usage.ZERO, null, null, null, null));
        // a composite step's result, with a branch child that has its own step result inside
        StepResult inner = new StepResult(
                "check", "ok", true, 2, 5, Usage.of(6, 4, new BigDecimal("0.01")),
                List.of("first try failed"), Map.of(StepResult.META_CACHE_HIT, false), Map.of("checked", true), null);
        StepResult branch = new StepResult(
                "b", "ok", true, 1, 5, inner.usage(), null, null, Map.of("checked", true),
                List.of(inner));
        before.record(new StepResult(
                "par", Map.of("b", "ok"), true, 1, 7, inner.usage(), null,
                Map.of(StepResult.META_KIND, "parallel", StepResult.META_FAILED_BRANCHES, List.of("c")),
                Map.of("checked", true), List.of(branch)));
        before.ledger().reconcile(0, BigDecimal.ZERO, inner.usage());
        pause(new JdbcStateStore(url), before, "approve", APPROVAL);

        // as another JVM would: a fresh store and service on the same file
        Resumption resumption = service(new JdbcStateStore(url)).resume(pauseId(before), "{\"approved\": true}");

        FlujoRun run = resumption.run();
        assertEquals(List.of("extract", "par", "approve"), run.history().stream().map(StepResult::name).toList());
        assertEquals(Map.of("amount", 40), run.history().get(0).output());
        StepResult par = run.history().get(1);
        assertEquals(List.of("c"), par.metadata().get(StepResult.META_FAILED_BRANCHES));
        StepResult check = par.children().get(0).children().get(0);
        assertEquals("check", check.name());
        assertEquals(2, check.attempts());
        assertEquals(List.of("first try failed"), check.feedback());
        assertEquals(Map.of("checked", true), check.contextUpdates());
        assertEquals(10, check.usage().totalTokens());
        assertEquals(10, run.usage().totalTokens());
        assertEquals(0, new BigDecimal("0.01").compareTo(run.usage().costUsd()));
        assertEquals(10_000L, run.limits().tokenLimit());
        assertEquals(0, new BigDecimal("5.00").compareTo(run.limits().costLimitUsd()));
        assertEquals(Map.of("tenant", "acme"), resumption.paused().context());
        assertEquals("refund", resumption.paused().input());
    }

    @Test
    void aBadAnswerLeavesTheSqliteRowPaused() throws Exception {
        JdbcStateStore store = new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db"));
        FlujoRun run = pausedRun(store, "approve", APPROVAL);

        assertEquals(Reason.INVALID_ANSWER, rejected(service(store), pauseId(run), "{}").getReason());

        assertEquals(RunStatus.PAUSED, store.load(pauseId(run)).orElseThrow().status());
        assertEquals(List.of(pauseId(run)), store.pausedRunIds());
    }

    @Test
    void ofConcurrentResumesOfOneRunOnSqliteExactlyOneWins() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("state.db");
        FlujoRun run = pausedRun(new JdbcStateStore(url), "approve", null);
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Resumption>> attempts = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String answer = "answer " + i;
                // each caller has its own store, as separate Camel instances on one database would
                ResumeService service = service(new JdbcStateStore(url));
                attempts.add(pool.submit(() -> {
                    go.await();
                    return service.resume(pauseId(run), answer);
                }));
            }
            go.countDown();

            int won = 0;
            for (Future<Resumption> attempt : attempts) {
                try {
                    attempt.get(30, TimeUnit.SECONDS);
                    won++;
                } catch (ExecutionException e) {
                    ResumeRejectedException refused = (ResumeRejectedException) e.getCause();
                    assertEquals(Reason.NOT_PAUSED, refused.getReason());
                }
            }
            assertEquals(1, won);
            assertEquals(RunStatus.RESUMED, new JdbcStateStore(url).load(pauseId(run)).orElseThrow().status());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
