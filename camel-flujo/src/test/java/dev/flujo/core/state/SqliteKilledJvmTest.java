package dev.flujo.core.state;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paused run written by a JVM that is then killed ({@code kill -9}, no shutdown hooks) is there, intact and
 * claimable, for the next JVM.
 */
class SqliteKilledJvmTest {

    @TempDir
    Path dir;

    @Test
    void pausedRunSurvivesAKilledJvm() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("flujo-state.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"),
                SaveThenWait.class.getName(), url, "killed-run")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("SAVED killed-run")) {
                seen.append(line).append('\n');
            }
            assertEquals("SAVED killed-run", line, "the child JVM did not save the run:\n" + seen);
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM did not die");
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
        } finally {
            child.destroyForcibly();
        }

        JdbcStateStore nextJvmStore = new JdbcStateStore(url);
        PausedRun resumed = nextJvmStore.claim("killed-run").orElseThrow();

        assertEquals(RunStatus.RESUMED, resumed.status());
        assertEquals("Approve the refund?", resumed.message());
        assertEquals("direct:afterApproval", resumed.resumeUri());
        assertEquals(StateStoreContract.paused("killed-run").usage(), resumed.usage());
    }
}
