package dev.flujo.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.AgentTimeoutException;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.reliability.FaultAgent.HeldCall;
import dev.flujo.reliability.InFlight.End;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.reliability.ReliabilityFigures.Section.FAULTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping the CamelContext while 1,000 runs are in flight, every one waiting for its agent: during the graceful
 * shutdown the agents answer (the run then pauses in the SQLite state store, or completes), fail, or stay silent past
 * the step's time-out; some never answer at all, and are abandoned when the component stops after the shutdown's
 * time-out. Every run must end completed, failed or paused and persisted - none lost - and the next context resumes
 * every paused run.
 */
@Tag("stress")
class ContextStopStressTest {

    private static final int RUNS = 1000;
    /** The time-out of the silent runs' step, in seconds: long enough to be in flight when the stop begins. */
    private static final int SILENT_TIMEOUT = 4;
    /** The graceful shutdown's time-out, in seconds: the runs whose agent never answers are abandoned after it. */
    private static final int SHUTDOWN_TIMEOUT = 8;

    @TempDir
    Path dir;

    /** What run {@code i}'s agent does once the stop has begun. */
    private enum Fate {
        PAUSE,
        COMPLETE,
        AGENT_ERROR,
        TIME_OUT,
        NEVER_ANSWERS;

        static Fate of(int i) {
            int tenth = i % 10;
            return tenth < 4 ? PAUSE : tenth < 7 ? COMPLETE : tenth == 7 ? AGENT_ERROR : tenth == 8 ? TIME_OUT
                    : NEVER_ANSWERS;
        }
    }

    @Test
    void everyRunInFlightAtContextStopEndsCompletedFailedOrPausedAndPersisted() throws Exception {
        String stateUrl = "jdbc:sqlite:" + dir.resolve("flujo-state.db");
        FaultAgent gate = new FaultAgent(r -> FaultAgent.hold());
        CountDownLatch stopping = new CountDownLatch(1);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("gate", (FlujoAgent) gate);
        camel.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT);
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                stopping.countDown();
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the silent runs' time-out fires during the graceful shutdown; the others' never does; the runs
                // whose agent never answers call it without a time-out: only the stop can end them
                from("direct:run").routeId("run")
                        .choice().when(simple("${body} startsWith 'NEVER_ANSWERS'"))
                            .to("flujo:step:draftUnbounded?agent=#gate&maxRetries=0")
                        .when(simple("${body} startsWith 'TIME_OUT'"))
                            .to("flujo:step:draftTimed?agent=#gate&maxRetries=0&timeout=" + SILENT_TIMEOUT + "s")
                        .otherwise()
                            .to("flujo:step:draft?agent=#gate&maxRetries=0&timeout=60s")
                        .end()
                        .choice().when(simple("${body} startsWith 'pause'"))
                            .to(PausedRuns.humanStep(stateUrl))
                        .otherwise()
                            .setBody(simple("completed ${body}"))
                        .end();
            }
        });
        camel.addRoutes(PausedRuns.continuation());
        camel.start();

        InFlight runs = InFlight.send(camel.createProducerTemplate(), "direct:run", RUNS, i -> Fate.of(i) + "-" + i);
        gate.awaitHeld(RUNS);
        assertEquals(0, runs.ended(), "all 1,000 runs are in flight, each waiting for its agent");

        CompletableFuture<Void> stop = CompletableFuture.runAsync(camel::stop);
        assertTrue(stopping.await(FaultAgent.SAFETY_SECONDS, TimeUnit.SECONDS), "the context began to stop");
        // the agents answer while the context stops, from several threads at once
        ExecutorService answering = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Void>> answered = new ArrayList<>();
        for (HeldCall call : gate.held) {
            Fate fate = Fate.valueOf(call.input().substring(0, call.input().indexOf('-')));
            answered.add(CompletableFuture.runAsync(() -> answer(call, fate), answering));
        }
        CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).get(FaultAgent.SAFETY_SECONDS,
                TimeUnit.SECONDS);
        answering.shutdown();
        stop.get(FaultAgent.SAFETY_SECONDS + SHUTDOWN_TIMEOUT, TimeUnit.SECONDS);

        List<Exchange> ended = runs.awaitAll();
        Map<End, Integer> counts = InFlight.count(ended);
        Set<String> pauseIds = new HashSet<>();
        int timedOut = 0;
        int abandoned = 0;
        for (int i = 0; i < RUNS; i++) {
            Exchange e = ended.get(i);
            Fate fate = Fate.of(i);
            End end = InFlight.endOf(e);
            switch (fate) {
                case PAUSE -> {
                    assertEquals(End.PAUSED, end, () -> "run " + e.getException());
                    pauseIds.add(e.getMessage().getHeader(FlujoConstants.RUN_ID, String.class));
                }
                case COMPLETE -> assertEquals("completed done", e.getMessage().getBody());
                case AGENT_ERROR -> assertEquals(End.FAILED, end);
                case TIME_OUT -> {
                    FlujoStepFailedException f = assertInstanceOf(FlujoStepFailedException.class, e.getException());
                    assertInstanceOf(AgentTimeoutException.class, f.getCause());
                    timedOut++;
                }
                case NEVER_ANSWERS -> {
                    assertInstanceOf(FlujoCancelledException.class, e.getException(), () -> "run " + e.getException());
                    abandoned++;
                }
            }
        }
        assertEquals(RUNS / 10 * 4, counts.get(End.PAUSED));
        assertEquals(RUNS / 10 * 3, counts.get(End.COMPLETED));
        assertEquals(RUNS / 10 * 3, counts.get(End.FAILED));
        int lost = RUNS - counts.values().stream().mapToInt(Integer::intValue).sum();

        // every paused run is in the store, and the next context resumes each of them
        JdbcStateStore store = new JdbcStateStore(stateUrl);
        assertEquals(pauseIds, new HashSet<>(store.pausedRunIds()));
        int resumed = PausedRuns.resumeAll(stateUrl, pauseIds).size();
        assertEquals(List.of(), store.pausedRunIds());

        ReliabilityFigures.record(FAULTS, String.format("%,d runs in flight at CamelContext stop, each waiting for its"
                                                        + " agent (SQLite state store; shutdown time-out %d s)",
                RUNS, SHUTDOWN_TIMEOUT),
                String.format("%d completed, %d failed (%d agent errors, %d time-outs, %d never-answering calls"
                              + " abandoned when the component stopped), %d paused and persisted, %d lost; all %d paused runs"
                              + " resumed by the next context",
                        counts.get(End.COMPLETED), counts.get(End.FAILED),
                        counts.get(End.FAILED) - timedOut - abandoned, timedOut, abandoned, counts.get(End.PAUSED),
                        lost, resumed),
                getClass());
    }

    private static void answer(HeldCall call, Fate fate) {
        switch (fate) {
            case PAUSE -> call.complete(AgentResponse.of("pause " + call.input(), Usage.tokens(3, 2)));
            case COMPLETE -> call.complete(AgentResponse.of("done", Usage.tokens(3, 2)));
            case AGENT_ERROR -> call.completeExceptionally(new IllegalStateException("model overloaded"));
            case TIME_OUT, NEVER_ANSWERS -> {
                // silent: the time-out, or the stop, ends it
            }
        }
    }
}
