package dev.flujo.core.state;

import java.util.List;
import java.util.Optional;

/**
 * Where paused runs live until a person answers, keyed by {@link PausedRun#pauseId()} (the run id, the pause's number
 * after the first, and a random token). Every method is atomic on its own; {@link #claim} is the one that makes
 * resumption safe: of two concurrent resumes of one pause, exactly one gets it.
 */
public interface StateStore extends AutoCloseable {

    /** Stores (or replaces) a paused run under its pause id. */
    void save(PausedRun run);

    /** The stored run of a pause, whatever its status. */
    Optional<PausedRun> load(String pauseId);

    /**
     * Atomically moves a {@link RunStatus#PAUSED} run to {@link RunStatus#RESUMED}.
     *
     * @return the claimed run (status RESUMED), or empty when there is no such run or it is not paused (already
     *         resumed, by this caller or another)
     */
    Optional<PausedRun> claim(String pauseId);

    /** The pause ids of the runs waiting for a person (what {@code flujo:resume} takes). */
    List<String> pausedRunIds();

    @Override
    default void close() {
    }
}
