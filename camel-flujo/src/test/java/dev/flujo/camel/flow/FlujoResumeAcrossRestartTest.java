package dev.flujo.camel.flow;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run paused in one CamelContext - stopped since, or in a JVM killed since - is resumed by a new CamelContext on the
 * same SQLite file.
 */
class FlujoResumeAcrossRestartTest {

    @TempDir
    Path dir;

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("flujo-state.db");
    }

    @Test
    void aNewCamelContextResumesARunPausedByAStoppedOne() throws Exception {
        String pauseId;
        try (DefaultCamelContext first = ApprovalApp.pausing(stateUrl())) {
            first.start();
            MockEndpoint notReached = first.getEndpoint("mock:not-reached", MockEndpoint.class);
            notReached.expectedMessageCount(0);
            Exchange paused = first.createProducerTemplate().request("direct:review",
                    e -> e.getMessage().setBody("refund #42"));
            assertNull(paused.getException(), () -> messages(paused.getException()));
            assertEquals("Approve draft for refund #42?", paused.getMessage().getBody());
            pauseId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
            assertNotNull(pauseId);
            notReached.assertIsSatisfied();
            first.stop();
        }

        assertResumes(pauseId, "draft for refund #42");
    }

    @Test
    void aRunPausedInAKilledJvmIsResumedInThisOne() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"),
                PauseInForkedJvm.class.getName(), stateUrl(), "order #7")
                .redirectErrorStream(true)
                .start();
        String pauseId;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("PAUSED ")) {
                seen.append(line).append('\n');
            }
            assertNotNull(line, "the forked JVM did not pause a run:\n" + seen);
            pauseId = line.substring("PAUSED ".length()).trim();
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, nothing closed
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the forked JVM did not die");
        } finally {
            child.destroyForcibly();
        }

        assertResumes(pauseId, "draft for order #7");
    }

    /** Resumes the run in a fresh context and checks that it continued with the properties, history and usage. */
    private void assertResumes(String pauseId, String draft) throws Exception {
        try (DefaultCamelContext next = new DefaultCamelContext()) {
            ApprovalApp.addResuming(next, stateUrl());
            next.start();
            MockEndpoint approved = next.getEndpoint("mock:approved", MockEndpoint.class);
            approved.expectedBodiesReceived("ada: approved=true");

            Exchange resumed = next.createProducerTemplate().request("direct:resume", e -> {
                e.getMessage().setHeader(FlujoConstants.RUN_ID, pauseId);
                e.getMessage().setBody("{\"approved\": true}");
            });

            assertNull(resumed.getException(), () -> messages(resumed.getException()));
            approved.assertIsSatisfied();
            assertEquals("ada", resumed.getProperty("customer"));
            FlujoRun run = runOf(resumed);
            assertTrue(pauseId.startsWith(run.runId() + "."), "the pause id is the run id and a token: " + pauseId);
            assertEquals(List.of("draft", "approve"), names(run.history()));
            assertEquals(draft, run.history().get(0).output());
            assertEquals(Map.of("approved", true), run.history().get(1).output());
            assertEquals(ApprovalApp.DRAFT_USAGE.totalTokens(), run.usage().totalTokens());
            assertEquals("Approve " + draft + "?", run.humanHistory().get(0).message());
        }
    }
}
