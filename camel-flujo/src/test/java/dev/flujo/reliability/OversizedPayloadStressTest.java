package dev.flujo.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.JdbcStateStore;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.reliability.InFlight.runOf;
import static dev.flujo.reliability.ReliabilityFigures.Section.FAULTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent that answers 50 MB. The documented behaviour: flujo sets no size limit on an output; the output is handed on
 * by reference - as the body, in the run's history, under {@code sinkTo}, as the cache entry ("the cached object is the
 * one handed on as the body") - so a step makes no copy of it; the cache is bounded by entries ({@code cacheMaxSize},
 * {@code cacheTtl}), and {@code cacheCompression} keeps large text deflated; a paused run stores its input and step
 * history as JSON, so a large output is written to the state store as it is.
 */
@Tag("stress")
class OversizedPayloadStressTest extends CamelTestSupport {

    private static final int MB = 1024 * 1024;
    private static final int SIZE = 50 * MB;
    /** The agent's one answer, held once (the model's reply, say). */
    private static final String PAYLOAD = "x".repeat(SIZE);
    private static final int RUNS = 20;
    private static final int PACKED_RUNS = 6;

    @TempDir
    static Path dir;

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("big", (FlujoAgent) r -> CompletableFuture.completedFuture(
                AgentResponse.of(PAYLOAD)));
        // a fresh 50 MB answer on every call, as a real model's would be
        registry.bind("fresh", (FlujoAgent) r -> CompletableFuture.completedFuture(
                AgentResponse.of(r.input() + PAYLOAD.substring(String.valueOf(r.input()).length()))));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return RouteBuilder.loadRoutesBuilder(rb -> {
            rb.from("direct:big").to("flujo:step:big?agent=#big&cache=true&sinkTo=answer&validate=RAW(${body.length} > 0)");
            rb.from("direct:packed").to("flujo:step:packed?agent=#fresh&cache=true&cacheCompression=true");
            rb.from(PausedRuns.RESUME_URI).to("mock:approved");
            rb.from("direct:pause").to("flujo:step:bigDraft?agent=#big").to("flujo:human:approve?message=Approve the"
                                                                            + " answer?&resumeUri=" + PausedRuns.RESUME_URI
                                                                            + "&stateUrl=" + stateUrl());
        });
    }

    private static String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("flujo-state.db");
    }

    /** Used heap once the garbage is collected: what is really retained. */
    private static long retainedBytes() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void aFiftyMegabyteAnswerIsHandedOnByReferenceAndNeverCopied() throws Exception {
        long before = retainedBytes();
        List<Exchange> first = InFlight.send(template, "direct:big", RUNS, i -> "q" + i).awaitAll();
        List<Exchange> again = InFlight.send(template, "direct:big", RUNS, i -> "q" + i).awaitAll();
        long grown = retainedBytes() - before;

        for (Exchange e : first) {
            assertNull(e.getException());
            assertSame(PAYLOAD, e.getMessage().getBody(), "the body is the agent's answer, not a copy");
            assertSame(PAYLOAD, e.getProperty("answer"), "sinkTo holds the same object");
            assertSame(PAYLOAD, runOf(e).history().get(0).output(), "so does the run's history");
        }
        for (Exchange e : again) {
            assertEquals(Boolean.TRUE, e.getMessage().getHeader(FlujoConstants.CACHE_HIT));
            assertSame(PAYLOAD, e.getMessage().getBody(), "the cache entry is the same object");
        }
        // 40 exchanges (and 20 cache entries) each holding a 50 MB answer as body, property and history: a single copy
        // anywhere would retain 50 MB more; the agent's answer itself was retained before
        assertTrue(grown < SIZE / 2, "retained " + grown / MB + " MB more");

        ReliabilityFigures.record(FAULTS, String.format("A 50 MB agent answer through %d steps with cache, validator"
                                                        + " and sinkTo, then %d cache hits",
                RUNS, RUNS),
                String.format("handed on by reference, as documented: body, sinkTo property, history and cache entry"
                              + " are the agent's object; heap retained %d MB more for %d exchanges (one copy would be 50 MB)",
                        Math.max(0, grown / MB), 2 * RUNS),
                getClass());
    }

    @Test
    void compressedCacheEntriesKeepFreshLargeAnswersSmall() throws Exception {
        long before = retainedBytes();
        List<Exchange> ended = InFlight.send(template, "direct:packed", PACKED_RUNS, i -> "p" + i).awaitAll();
        ended.forEach(e -> assertNull(e.getException()));
        ended = null;
        long grown = retainedBytes() - before;

        Exchange hit = template.request("direct:packed", e -> e.getMessage().setBody("p0"));
        assertEquals(Boolean.TRUE, hit.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        String inflated = hit.getMessage().getBody(String.class);
        assertEquals(SIZE, inflated.length());
        assertTrue(inflated.startsWith("p0x"));
        // six distinct 50 MB answers are cached: raw, that is 300 MB retained
        assertTrue(grown < SIZE, "the cache retained " + grown / MB + " MB");

        ReliabilityFigures.record(FAULTS, String.format("%d distinct 50 MB answers cached with cacheCompression",
                PACKED_RUNS),
                String.format("heap retained %d MB more (%d MB raw); a hit inflates the answer intact",
                        Math.max(0, grown / MB), PACKED_RUNS * SIZE / MB),
                getClass());
    }

    @Test
    void aPauseAfterAFiftyMegabyteAnswerStoresItAsItIsAndResumesIt() throws Exception {
        Exchange paused = template.request("direct:pause", e -> e.getMessage().setBody("big question"));
        assertNull(paused.getException());
        String pauseId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        long rowBytes;
        try (Connection c = DriverManager.getConnection(stateUrl());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT length(state) FROM " + JdbcStateStore.TABLE)) {
            assertTrue(rs.next());
            rowBytes = rs.getLong(1);
        }
        // the human step's input (the answer) and the step history (the answer again) are both stored
        assertTrue(rowBytes > 2L * SIZE && rowBytes < 2L * SIZE + MB, rowBytes + " bytes");

        FlujoRun resumed = runOf(PausedRuns.resumeAll(stateUrl(), List.of(pauseId)).get(0));
        assertEquals(PAYLOAD, resumed.history().get(0).output(), "the 50 MB answer comes back intact");

        ReliabilityFigures.record(FAULTS, "A run paused after a 50 MB agent answer (SQLite state store)",
                String.format("stored as documented (the human step's input and the step history, as JSON): a %d MB"
                              + " row; resumed by a new context with the answer intact",
                        rowBytes / MB),
                getClass());
    }
}
