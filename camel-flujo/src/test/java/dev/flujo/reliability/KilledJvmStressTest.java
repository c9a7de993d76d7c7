package dev.flujo.reliability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.reliability.ReliabilityFigures.Section.FAULTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM killed with {@code kill -9} (destroyForcibly) while it is pausing runs into its SQLite state store, from
 * several threads: no run it reported paused is lost, no stored row is torn, and the next JVM - this one - resumes
 * every paused run with its properties, history and usage. One run at a time, with the JVM idle at the kill, this is
 * FlujoResumeAcrossRestartTest and SqliteKilledJvmTest.
 */
@Tag("stress")
class KilledJvmStressTest {

    /** Pauses the forked JVM must report before it is killed. */
    private static final int REPORTED = 200;

    @TempDir
    Path dir;

    @Test
    void aJvmKilledWhilePausingRunsLosesNoPausedRunAndTheNextJvmResumesThemAll() throws Exception {
        String stateUrl = "jdbc:sqlite:" + dir.resolve("flujo-state.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"),
                PauseUntilKilled.class.getName(), stateUrl)
                .redirectErrorStream(true)
                .start();
        Set<String> reported = new HashSet<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder other = new StringBuilder();
            String line;
            while (reported.size() < REPORTED && (line = out.readLine()) != null) {
                if (line.startsWith("PAUSED ")) {
                    reported.add(line.substring("PAUSED ".length()).trim());
                } else if (other.length() < 20_000) {
                    other.append(line).append('\n');
                }
            }
            assertEquals(REPORTED, reported.size(), () -> "the forked JVM did not pause runs:\n" + other);
            child.destroyForcibly(); // SIGKILL on Linux: mid-write, no shutdown hook, nothing closed
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the forked JVM did not die");
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
        } finally {
            child.destroyForcibly();
        }

        // every reported pause is there; so may be a few more that were saved but not yet reported; none is torn
        JdbcStateStore store = new JdbcStateStore(stateUrl);
        List<String> stored = store.pausedRunIds();
        assertTrue(stored.containsAll(reported), "a run reported paused is missing from the store");
        for (String id : stored) {
            PausedRun run = store.load(id).orElseThrow();
            assertEquals(PauseUntilKilled.DRAFT_USAGE.totalTokens(), run.usage().totalTokens());
            assertNotNull(run.context().get("customer"), id);
        }

        List<Exchange> resumed = PausedRuns.resumeAll(stateUrl, stored);
        for (Exchange e : resumed) {
            FlujoRun run = InFlight.runOf(e);
            String customer = (String) e.getProperty("customer");
            assertEquals("draft for " + customer, run.history().get(0).output(), "history restored");
            assertEquals(PauseUntilKilled.DRAFT_USAGE.totalTokens(), run.usage().totalTokens(), "usage restored");
        }
        assertEquals(List.of(), store.pausedRunIds());

        ReliabilityFigures.record(FAULTS, String.format("A JVM killed (kill -9) while %d threads pause runs into its"
                                                        + " SQLite state store",
                PauseUntilKilled.WRITERS),
                String.format("%d runs reported paused before the kill, %d found paused in the store (every reported"
                              + " one, plus %d saved but not yet reported), 0 rows torn; the next JVM resumed all %d with"
                              + " their properties, history and usage: 0 paused runs lost",
                        REPORTED, stored.size(),
                        stored.size() - REPORTED, resumed.size()),
                getClass());
    }
}
