package dev.flujo.core.flow;

/** What a parallel (or map) step does when one of its branches fails. */
public enum BranchFailurePolicy {
    /** The step fails with the first failure; branches still running are cancelled. */
    PROPAGATE,
    /** Failed branches are reported in the result; the step succeeds when at least one branch did. */
    IGNORE
}
