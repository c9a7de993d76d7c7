package dev.flujo.reliability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.resilience.AgentBreakers;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.flujo.reliability.InFlight.runOf;
import static dev.flujo.reliability.ReliabilityFigures.Section.FAULTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent's breaker under load, with an injected clock (no waiting): it opens after the threshold of failed calls,
 * keeps hundreds of concurrent exchanges from the agent while open (straight to the fallback, no retries), lets exactly
 * one probe through among a hundred concurrent exchanges once the recovery time has passed, re-opens when the probe
 * times out, and closes when the next probe answers. One exchange at a time this is ExecutorCoreCircuitBreakerTest;
 * here it is the Camel endpoint, concurrent exchanges and a time-out as the failure.
 */
@Tag("stress")
class BreakerFaultsStressTest extends CamelTestSupport {

    private static final int THRESHOLD = 5;
    private static final int RECOVERY_SECONDS = 60;
    private static final int WHILE_OPEN = 500;
    private static final int AT_RECOVERY = 100;

    private enum Mode {
        DOWN,
        SILENT,
        UP
    }

    /** Now, for the breaker: the test moves it forward. */
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = ((InstantSource) () -> now).withZone(ZoneOffset.UTC);
    private volatile Mode mode = Mode.DOWN;
    private final FaultAgent llm = new FaultAgent(r -> switch (mode) {
        case DOWN -> new FaultAgent.Fail(new IllegalStateException("503 from the model"));
        case SILENT -> FaultAgent.hold();
        case UP -> FaultAgent.answer("llm:" + r.input(), Usage.tokens(1, 1));
    });
    private final TestAgents.CountingAgent cheap = TestAgents.answering(r -> "cheap:" + r.input());
    private final CircuitBreaker breaker = CircuitBreaker.of(AgentBreakers.breakerName("llm"),
            AgentBreakers.config(OptimizationConfig.builder().set("circuitBreakerFailureThreshold", THRESHOLD)
                    .set("circuitBreakerRecoveryTimeoutSeconds", RECOVERY_SECONDS).build(), clock));
    private final List<StateTransition> transitions = new CopyOnWriteArrayList<>();

    private void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        breaker.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition()));
        registry.bind("llm", (FlujoAgent) llm);
        registry.bind("cheap", cheap);
        registry.bind("llmBreaker", breaker);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return RouteBuilder.loadRoutesBuilder(rb -> rb.from("direct:answer")
                .to("flujo:step:answer?agent=#llm&maxRetries=2&timeout=1s&fallback=#cheap&circuitBreakerRef=#llmBreaker"));
    }

    @AfterEach
    void releaseHeldCalls() {
        llm.releaseAll();
    }

    private List<Exchange> sendAll(String prefix, int n) throws Exception {
        List<Exchange> ended = InFlight.send(template, "direct:answer", n, i -> prefix + i).awaitAll();
        ended.forEach(e -> assertNull(e.getException(), () -> "every exchange ends with an answer: " + e.getException()));
        return ended;
    }

    private static boolean answeredByFallback(Exchange e) {
        return runOf(e).lastResult("answer").fallbackUsed();
    }

    @Test
    void opensAtTheThresholdHalfOpensAfterTheRecoveryTimeAndClosesOnASuccessfulProbe() throws Exception {
        // the agent is down: 3 failed attempts, then 2 more and the breaker opens (the 3rd attempt is refused)
        Exchange first = sendAll("down-", 1).get(0);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.getState());
        assertEquals(3, llm.calls());
        Exchange second = sendAll("down-again-", 1).get(0);
        assertEquals(CircuitBreaker.State.OPEN, breaker.getState());
        assertEquals(THRESHOLD, llm.calls(), "opened after exactly the threshold of failed calls");
        assertEquals("cheap:down-0", first.getMessage().getBody());
        assertEquals(3, second.getMessage().getHeader(FlujoConstants.ATTEMPTS), "2 failed calls, 1 refused");

        // open: hundreds of concurrent exchanges go straight to the fallback, one attempt each, no agent call
        List<Exchange> whileOpen = sendAll("open-", WHILE_OPEN);
        assertEquals(THRESHOLD, llm.calls(), "no call reached the agent while the breaker was open");
        for (Exchange e : whileOpen) {
            assertTrue(answeredByFallback(e));
            assertEquals(1, e.getMessage().getHeader(FlujoConstants.ATTEMPTS), "no retry against an open breaker");
            assertEquals(breaker.getName(), runOf(e).lastResult("answer").metadata().get(StepResult.META_CIRCUIT_OPEN));
        }

        // just before the recovery time it is still open
        advance(Duration.ofSeconds(RECOVERY_SECONDS - 1));
        sendAll("almost-", 1);
        assertEquals(THRESHOLD, llm.calls());

        // after it, one probe among a hundred concurrent exchanges; it hangs past its time-out, which re-opens
        mode = Mode.SILENT;
        advance(Duration.ofSeconds(2));
        List<Exchange> atRecovery = sendAll("probe-", AT_RECOVERY);
        assertEquals(THRESHOLD + 1, llm.calls(), "exactly one probe was let through");
        assertEquals(1, llm.held.size());
        assertTrue(llm.held.get(0).isCancelled(), "the timed-out probe was abandoned");
        assertTrue(atRecovery.stream().allMatch(BreakerFaultsStressTest::answeredByFallback));
        assertEquals(CircuitBreaker.State.OPEN, breaker.getState(), "a timed-out probe re-opens the breaker");

        // the next recovery: a probe that answers closes it, and the agent takes every call again
        mode = Mode.UP;
        advance(Duration.ofSeconds(RECOVERY_SECONDS + 1));
        Exchange probe = sendAll("recovered-", 1).get(0);
        assertEquals("llm:recovered-0", probe.getMessage().getBody());
        assertEquals(CircuitBreaker.State.CLOSED, breaker.getState());
        List<Exchange> closed = sendAll("closed-", AT_RECOVERY);
        assertTrue(closed.stream().noneMatch(BreakerFaultsStressTest::answeredByFallback));
        assertEquals(THRESHOLD + 2 + AT_RECOVERY, llm.calls());

        assertEquals(List.of(StateTransition.CLOSED_TO_OPEN, StateTransition.OPEN_TO_HALF_OPEN,
                StateTransition.HALF_OPEN_TO_OPEN, StateTransition.OPEN_TO_HALF_OPEN,
                StateTransition.HALF_OPEN_TO_CLOSED), transitions);
        int exchanges = 2 + WHILE_OPEN + 1 + AT_RECOVERY + 1 + AT_RECOVERY;
        ReliabilityFigures.record(FAULTS, String.format("An agent's breaker (threshold %d, recovery %d s, injected"
                                                        + " clock) through %,d exchanges: the agent down, then silent past its time-out, then back",
                THRESHOLD, RECOVERY_SECONDS, exchanges),
                String.format("opened after exactly %d failed calls; %d concurrent exchanges while open: 0 agent calls,"
                              + " 0 retries, all answered by the fallback; at recovery 1 probe of %d concurrent let through,"
                              + " its time-out re-opened it; the next probe closed it; all %,d exchanges ended",
                        THRESHOLD, WHILE_OPEN, AT_RECOVERY, exchanges),
                getClass());
    }
}
