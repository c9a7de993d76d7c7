package dev.flujo.core.state;

import java.util.List;
import java.util.Optional;

/**
 * Where paused runs live until a person answers. Every method is atomic on its own; {@link #claim} is the one that
 * makes resumption safe: of two concurrent resumes of one run, exactly one gets it.
 */
public interface StateStore extends AutoCloseable {

    /** Stores (or replaces) a run's state. */
    void save(PausedRun run);

    /** The stored run, whatever its status. */
    Optional<PausedRun> load(String runId);

    /**
     * Atomically moves a {@link RunStatus#PAUSED} run to {@link RunStatus#RESUMED}.
     *
     * @return the claimed run (status RESUMED), or empty when there is no such run or it is not paused (already
     *         resumed, by this caller or another)
     */
    Optional<PausedRun> claim(String runId);

    /** The ids of the runs waiting for a person. */
    List<String> pausedRunIds();

    @Override
    default void close() {
    }
}
