package dev.flujo.core.state;

/** The life of a stored run. Only a {@link #PAUSED} run can be resumed, and only once. */
public enum RunStatus {
    PAUSED,
    RESUMED
}
