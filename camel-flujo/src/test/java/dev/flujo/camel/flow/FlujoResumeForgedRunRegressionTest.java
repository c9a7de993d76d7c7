package dev.flujo.camel.flow;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.RunStatus;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code CamelFlujoRun} property that is not a run (text or a map a caller set) is refused by flujo:resume as it is
 * by every step (found by the bad-input fuzzing, issue 7): the resume replaced it silently and went on. The stored run
 * stays paused. The refusal names the run the caller tried to resume, escaped and cut as a refused resume quotes it
 * (found by the resume payload stress test: it named none).
 */
class FlujoResumeForgedRunRegressionTest extends CamelTestSupport {

    @TempDir
    Path dir;

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("forged.db");
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to("flujo:human:ask?resumeUri=direct:answered&stateUrl=" + stateUrl());
                from("direct:answered").to("mock:answered");
                from("direct:resume").to("flujo:resume?stateUrl=" + stateUrl());
            }
        };
    }

    private Exchange resume(String runId, Object forged) {
        return template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("yes");
            if (forged != null) {
                e.setProperty(FlujoConstants.RUN, forged);
            }
        });
    }

    @Test
    void aForgedRunPropertyIsRefusedAndTheRunStaysPaused() throws Exception {
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.expectedMessageCount(1);
        String runId = template.request("direct:ask", e -> e.getMessage().setBody("ship it?")).getMessage()
                .getHeader(FlujoConstants.RUN_ID, String.class);
        JdbcStateStore store = new JdbcStateStore(stateUrl());
        PausedRun before = store.load(runId).orElseThrow();

        for (Object forged : new Object[] {"forged run", Map.of("runId", runId)}) {
            FlujoConfigurationException e = exceptionOf(resume(runId, forged), FlujoConfigurationException.class);
            // the message names the run the caller tried to resume (it named none), quoted as a refused resume's
            assertContains(e.getMessage(), FlujoConstants.RUN, "refusing to resume run '" + PausedRun.shown(runId) + "'");
            assertEquals(before, store.load(runId).orElseThrow());
        }
        FlujoConfigurationException escaped = exceptionOf(resume(runId + "\nforged log line", "forged run"),
                FlujoConfigurationException.class);
        assertContains(escaped.getMessage(), "refusing to resume run '" + PausedRun.shown(runId)
                + "\\u000aforged log line'");

        assertNull(resume(runId, null).getException());
        assertEquals(RunStatus.RESUMED, store.load(runId).orElseThrow().status());
        answered.assertIsSatisfied();
    }
}
