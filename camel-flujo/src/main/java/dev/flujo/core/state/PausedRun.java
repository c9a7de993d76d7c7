package dev.flujo.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.flujo.core.step.StepResult;
import dev.flujo.core.usage.Usage;
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
 * @param pauseId      what a resume names: the run id for a run's first pause, {@code <runId>.<n>} for its n-th, so
 *                     that a late duplicate of an earlier answer cannot resume a later pause
 */
public record PausedRun(String runId, RunStatus status, String stepName, String message, String answerSchema,
                        String resumeUri, Object input, Map<String, Object> context, List<StepResult> history,
                        Usage usage, UsageLimits limits, List<HumanInteraction> humanHistory, Instant pausedAt,
                        String pauseId) {

    /** A run's first pause: resumed by its run id. */
    public PausedRun(String runId, RunStatus status, String stepName, String message, String answerSchema,
                     String resumeUri, Object input, Map<String, Object> context, List<StepResult> history,
                     Usage usage, UsageLimits limits, List<HumanInteraction> humanHistory, Instant pausedAt) {
        this(runId, status, stepName, message, answerSchema, resumeUri, input, context, history, usage, limits,
                humanHistory, pausedAt, runId);
    }

    /** The pause id of a run's pause after {@code earlierAnswers} answered ones. */
    public static String pauseIdOf(String runId, int earlierAnswers) {
        return earlierAnswers == 0 ? runId : runId + "." + (earlierAnswers + 1);
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
        return new PausedRun(runId, newStatus, stepName, message, answerSchema, resumeUri, input, context, history,
                usage, limits, humanHistory, pausedAt, pauseId);
    }
}
