package dev.flujo.core.flow;

import java.util.Locale;

/** Why a loop ended; recorded as {@link dev.flujo.core.result.StepResult#META_EXIT_REASON}. */
public enum LoopExitReason {
    /** The exit condition held: the loop succeeded. */
    CONDITION,
    /** maxLoops iterations ran and the condition never held: the loop failed. */
    MAX_LOOPS,
    /** An iteration of the body failed: the loop failed. */
    BODY_ERROR,
    /** The run's usage limit was reached: the loop failed with a usage-limit error. */
    LIMIT_EXCEEDED;

    /** As shown in results and headers: condition, maxLoops, bodyError, limitExceeded. */
    public String label() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return sb.toString();
    }
}
