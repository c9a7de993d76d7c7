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

    /** At most this many characters of the run id, and of each problem, are in the message. */
    static final int MAX_ID_CHARS = 120;
    static final int MAX_PROBLEM_CHARS = 500;
    /** At most this many problems are in the message; {@link #getProblems()} has them all. */
    static final int MAX_PROBLEMS = 20;

    /**
     * The message quotes the run id and the problems as a log line can hold them: both come from the caller (the id
     * from a header, the problems name the answer's keys), so control and format characters are escaped (a newline in
     * an id must not start a forged log line) and what is longer is cut, saying how long it was. The token of a pause
     * id is cut to 4 digits: the run may stay paused, and the message be logged.
     */
    public ResumeRejectedException(String runId, Reason reason, String message, List<String> problems) {
        super("Cannot resume run " + quoted(runId) + ": " + message + (problems.isEmpty() ? "" : ": " + joined(problems)));
        this.runId = runId;
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    /**
     * A run id as the messages of refused resumes quote it: in quotes, escaped and cut (see the constructor), the token
     * of a pause id cut to 4 digits ({@link PausedRun#shown}).
     */
    public static String quoted(String runId) {
        return runId == null ? "null" : "'" + printable(PausedRun.shown(runId), MAX_ID_CHARS) + "'";
    }

    private static String joined(List<String> problems) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < problems.size() && i < MAX_PROBLEMS; i++) {
            text.append(i == 0 ? "" : "; ").append(printable(String.valueOf(problems.get(i)), MAX_PROBLEM_CHARS));
        }
        if (problems.size() > MAX_PROBLEMS) {
            text.append("; and ").append(problems.size() - MAX_PROBLEMS).append(" more");
        }
        return text.toString();
    }

    /**
     * The text with control and format characters escaped (a backslash, u and four hex digits), cut after {@code max}
     * characters.
     */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 32);
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /** The run id as given (the message quotes it escaped and cut, see the constructor). */
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
