package dev.flujo.core.state;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/** A store for tests and single-JVM use: paused runs are lost when the JVM stops. */
public final class InMemoryStateStore implements StateStore {

    private final ConcurrentMap<String, PausedRun> runs = new ConcurrentHashMap<>();

    @Override
    public void save(PausedRun run) {
        runs.put(run.pauseId(), run);
    }

    @Override
    public Optional<PausedRun> load(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public Optional<PausedRun> claim(String runId) {
        AtomicReference<PausedRun> claimed = new AtomicReference<>();
        runs.computeIfPresent(runId, (id, run) -> {
            if (run.status() != RunStatus.PAUSED) {
                return run;
            }
            PausedRun resumed = run.withStatus(RunStatus.RESUMED);
            claimed.set(resumed);
            return resumed;
        });
        return Optional.ofNullable(claimed.get());
    }

    @Override
    public List<String> pausedRunIds() {
        return runs.values().stream().filter(r -> r.status() == RunStatus.PAUSED).map(PausedRun::pauseId).sorted().toList();
    }
}
