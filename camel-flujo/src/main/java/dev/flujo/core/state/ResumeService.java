package dev.flujo.core.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.ResumeRejectedException.Reason;
import dev.flujo.core.step.StepResult;
import dev.flujo.core.usage.Usage;

/**
 * Continues runs paused by a human step: checks the answer, claims the run (once, across JVMs) and restores it.
 *
 * <p>Order matters: the answer is checked before the run is claimed, so a bad answer leaves the run paused for a
 * better one; the claim is the store's compare-and-set, so of two resumes of one run exactly one wins.
 *
 * <p>Answers: text (a String or bytes) is read as JSON; when the run has no schema, text that is not JSON is taken
 * as a plain string answer. Other values (maps, lists, numbers, booleans) are taken as JSON values.
 */
public final class ResumeService {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final StateStore store;
    private final Clock clock;

    public ResumeService(StateStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /**
     * @param runId the pause id (header {@code CamelFlujoRunId} of the paused exchange): the run id for a run's first
     *              pause, {@code <runId>.<n>} for its n-th
     * @throws ResumeRejectedException when the run is unknown, not paused, or the answer is not acceptable; the
     *                                 stored run is then unchanged
     */
    public Resumption resume(String runId, Object answer) {
        return resume(runId, answer, paused -> { });
    }

    /**
     * @param beforeClaim checks the run can be continued (in Camel: that its resumeUri resolves) after the answer is
     *                    accepted and before the run is claimed; if it throws, the run stays paused
     */
    public Resumption resume(String runId, Object answer, java.util.function.Consumer<PausedRun> beforeClaim) {
        if (runId == null || runId.isBlank()) {
            throw new ResumeRejectedException(String.valueOf(runId), Reason.UNKNOWN_RUN, "no run id given", List.of());
        }
        PausedRun paused = store.load(runId).orElseThrow(() -> new ResumeRejectedException(runId, Reason.UNKNOWN_RUN,
                "no paused run with this id", List.of()));
        if (paused.status() != RunStatus.PAUSED) {
            throw new ResumeRejectedException(runId, Reason.NOT_PAUSED, "the run is " + paused.status()
                    + ", not PAUSED (it was resumed already)", List.of());
        }
        Object value;
        try {
            value = checkedAnswer(runId, paused.answerSchema(), answer);
        } catch (StackOverflowError e) {
            // a Map or List answer that contains itself, or nests thousands deep: Jackson recurses once per level
            throw new ResumeRejectedException(runId, Reason.INVALID_ANSWER, "the answer cannot be read as JSON: it"
                    + " contains itself or nests too deeply", List.of());
        }
        beforeClaim.accept(paused);
        PausedRun claimed = store.claim(runId).orElseThrow(() -> new ResumeRejectedException(runId, Reason.NOT_PAUSED,
                "the run was resumed concurrently by another caller", List.of()));
        FlujoRun run = FlujoRun.restore(claimed.runId(), claimed.history(), claimed.usage(), claimed.limits(),
                claimed.humanHistory());
        run.recordHumanInteraction(new HumanInteraction(claimed.stepName(), claimed.message(), value, clock.instant()));
        run.record(new StepResult(claimed.stepName(), value, true, 1, 0, Usage.ZERO, List.of(),
                Map.of(StepResult.META_KIND, "human", StepResult.META_RESUMED, true), Map.of(), List.of()));
        return new Resumption(claimed, run, value);
    }

    private static Object checkedAnswer(String runId, String schema, Object answer) {
        JsonNode tree;
        if (answer instanceof String || answer instanceof byte[]) {
            String text = answer instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : (String) answer;
            try {
                tree = JSON.readTree(text);
                if (tree == null || tree.isMissingNode()) {
                    throw new IOException("no JSON value");
                }
            } catch (IOException e) {
                if (schema == null) {
                    return text; // no schema: a plain text answer is fine
                }
                throw new ResumeRejectedException(runId, Reason.INVALID_ANSWER, "the answer is not JSON",
                        List.of(e.getMessage().lines().findFirst().orElse("unreadable")));
            }
        } else {
            try {
                tree = JSON.valueToTree(answer);
            } catch (IllegalArgumentException e) {
                throw new ResumeRejectedException(runId, Reason.INVALID_ANSWER, "the answer cannot be read as JSON",
                        List.of(e.getMessage()));
            }
        }
        if (schema != null) {
            List<String> violations = AnswerSchema.violations(schema, tree);
            if (!violations.isEmpty()) {
                throw new ResumeRejectedException(runId, Reason.INVALID_ANSWER,
                        "the answer does not satisfy the step's schema", violations);
            }
        }
        return JSON.convertValue(tree, Object.class);
    }
}
