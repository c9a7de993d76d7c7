package dev.flujo.core.state;

import java.util.List;

import dev.flujo.core.FlujoException;

/**
 * A resume was refused; the stored run is untouched (a paused run stays paused and can be resumed with a better
 * answer).
 */
public class ResumeRejectedException extends FlujoException {

    private static final long serialVersionUID = 1L;

    /** Why a resume was refused. */
    public enum Reason {
        /** No run id was given, or no run is stored under it. */
        UNKNOWN_RUN,
        /** The run was resumed already (or concurrently, by another caller or Camel instance). */
        NOT_PAUSED,
        /** The answer is not JSON, or does not satisfy the run's answer schema. */
        INVALID_ANSWER
    }

    private final String runId;
    private final Reason reason;
    private final List<String> problems;

    public ResumeRejectedException(String runId, Reason reason, String message, List<String> problems) {
        super("Cannot resume run '" + runId + "': " + message + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
        this.runId = runId;
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    public String getRunId() {
        return runId;
    }

    public Reason getReason() {
        return reason;
    }

    /** What is wrong with the answer, one line per schema violation; empty for other reasons. */
    public List<String> getProblems() {
        return problems;
    }
}
