package dev.flujo.core.state;

import dev.flujo.core.run.FlujoRun;

/**
 * A run that was paused and is continuing now.
 *
 * @param paused the stored state it was resumed from (status {@link RunStatus#RESUMED})
 * @param run    the run, restored: history (with the human step's answer appended), usage, limits, interactions
 * @param answer the person's answer, as JSON values
 */
public record Resumption(PausedRun paused, FlujoRun run, Object answer) {
}
