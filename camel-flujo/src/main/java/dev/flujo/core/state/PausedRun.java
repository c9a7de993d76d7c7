package dev.flujo.core.state;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.HumanInteraction;
import dev.flujo.core.usage.UsageLimits;

/**
 * Everything needed to continue a run that waits for a person, possibly in another JVM.
 *
 * @param runId        the run
 * @param status       {@link RunStatus#PAUSED} until it is claimed for resumption
 * @param stepName     the human step that paused the run
 * @param message      what the person is asked
 * @param answerSchema a JSON schema the answer must satisfy, or {@code null}
 * @param resumeUri    where the run continues, with the answer as body
 * @param input        the input of the human step
 * @param context      the run's context when it paused
 * @param history      the step results so far (outputs as JSON values)
 * @param usage        the usage so far
 * @param limits       the run's limits
 * @param humanHistory earlier interactions of this run with people
 * @param pausedAt     when the run paused
 * @param pauseId      what a resume names, the store's key: {@code <runId>.<token>} for a run's first pause,
 *                     {@code <runId>.<n>.<token>} for its n-th (see {@link #newPauseId}); runs paused by versions
 *                     before the token have {@code <runId>} and {@code <runId>.<n>}
 */
public record PausedRun(String runId, RunStatus status, String stepName, String message, String answerSchema,
        String resumeUri, Object input, Map<String, Object> context, List<StepResult> history,
        Usage usage, UsageLimits limits, List<HumanInteraction> humanHistory, Instant pausedAt,
        String pauseId) {

    /** A run's pause whose pause id is its run id, as versions before {@link #newPauseId} stored a first pause. */
    public PausedRun(String runId, RunStatus status, String stepName, String message, String answerSchema,
                     String resumeUri, Object input, Map<String, Object> context, List<StepResult> history,
                     Usage usage, UsageLimits limits, List<HumanInteraction> humanHistory, Instant pausedAt) {
        this(runId, status, stepName, message, answerSchema, resumeUri, input, context, history, usage, limits,
             humanHistory, pausedAt, runId);
    }

    /**
     * The readable part of a pause id: the run id for a run's first pause, {@code <runId>.<n>} for its n-th, so that a
     * late duplicate of an earlier answer cannot resume a later pause. Not a pause id on its own (see
     * {@link #newPauseId}): run ids are exchange ids, which Camel makes of a prefix per JVM and a counter.
     */
    public static String pauseIdOf(String runId, int earlierAnswers) {
        return earlierAnswers == 0 ? runId : runId + "." + (earlierAnswers + 1);
    }

    /**
     * A new pause id for a run's pause after {@code earlierAnswers} answered ones: {@link #pauseIdOf} and a token of
     * 128 bits from {@link SecureRandom}, as 32 lowercase hex digits. The run id stays the exchange id, which
     * correlates the run with Camel's logs, but it is guessable (Camel's default exchange ids are a prefix per JVM and
     * a counter: who saw one pause id could count to the next run's), and a pause id is what lets a caller answer for a
     * person, often over HTTP. The token makes it unguessable; only pausing pays for it.
     */
    public static String newPauseId(String runId, int earlierAnswers) {
        byte[] token = new byte[TOKEN_BYTES];
        Tokens.RANDOM.nextBytes(token);
        return pauseIdOf(runId, earlierAnswers) + "." + HexFormat.of().formatHex(token);
    }

    /**
     * A pause id as messages show it: with its token cut to the first 4 hex digits ({@code <runId>.2.3f9a...}), as the
     * whole id is a capability to answer for a person and messages end up in logs (Camel's error handler logs an
     * exhausted exception's message). Also in an id the caller sent with something after the token (a newline, a
     * space); other ids (legacy, unknown) are returned as they are.
     */
    public static String shown(String pauseId) {
        return pauseId == null ? null : TOKEN_IN_TEXT.matcher(pauseId).replaceAll(".$1...");
    }

    private static final Pattern TOKEN_IN_TEXT = Pattern.compile("\\.([0-9a-fA-F]{4})[0-9a-fA-F]{28}");

    /** The random part of a pause id: 16 bytes, 128 bits. */
    public static final int TOKEN_BYTES = 16;

    /** Created when the first run pauses, not when the class loads. */
    private static final class Tokens {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    public PausedRun {
        Objects.requireNonNull(runId, "runId");
        pauseId = pauseId == null ? runId : pauseId; // state written before pause ids existed
        Objects.requireNonNull(status, "status");
        context = context == null ? Map.of() : Map.copyOf(context);
        history = history == null ? List.of() : List.copyOf(history);
        humanHistory = humanHistory == null ? List.of() : List.copyOf(humanHistory);
        usage = usage == null ? Usage.ZERO : usage;
        limits = limits == null ? UsageLimits.NONE : limits;
    }

    public PausedRun withStatus(RunStatus newStatus) {
        return new PausedRun(
                runId, newStatus, stepName, message, answerSchema, resumeUri, input, context, history,
                usage, limits, humanHistory, pausedAt, pauseId);
    }
}
