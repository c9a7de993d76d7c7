package dev.flujo.core.exec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.resilience.AgentBreakers;
import dev.flujo.core.resilience.CircuitOpenException;
import dev.flujo.core.resilience.StepProtection;
import dev.flujo.core.result.StepResult;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A breaker per agent: opens after the threshold of consecutive failed calls, then fails fast without calling the agent
 * (no retries: they cannot help) and goes to the fallback; after the recovery time (an injected clock, no waiting) one
 * probe call is let through, and its success closes the breaker.
 */
class ExecutorCoreCircuitBreakerTest extends ExecutorCoreTestSupport {

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final MovableClock clock = new MovableClock();

    private OptimizationConfig breakerConfig(int maxRetries) {
        return config().set("maxRetries", maxRetries).set("enableCircuitBreaker", true).set("circuitBreakerFailureThreshold", 2)
                .set("circuitBreakerRecoveryTimeoutSeconds", 30).build();
    }

    private StepPlan.Builder guarded(OptimizationConfig options, ScriptedAgent agent) {
        return plan("s", options, agent).protection(new StepProtection(
                new AgentBreakers(
                        name -> CircuitBreaker.of(AgentBreakers.breakerName(name), AgentBreakers.config(options, clock))),
                null, null, null));
    }

    @Test
    void opensAfterTheThresholdThenFailsFastWithoutCallingTheAgentOrRetrying() {
        ScriptedAgent llm = ScriptedAgent.named("llm")
                .thenThrow(new IllegalStateException("down")).thenThrow(new IllegalStateException("down"));
        StepPlan plan = guarded(breakerConfig(3), llm).build();

        // one exchange: the first attempt and its first retry are the threshold's two failures; the breaker opens
        // and the remaining retries are not made
        FlujoStepFailedException open = awaitFailure(execute(plan, "1"), FlujoStepFailedException.class);
        FlujoStepFailedException again = awaitFailure(execute(plan, "2"), FlujoStepFailedException.class);

        assertEquals(2, llm.calls(), "the open breaker kept the agent from being called");
        assertEquals(3, open.getAttempts(), "two failed calls, then a third attempt refused by the breaker");
        assertInstanceOf(CircuitOpenException.class, open.getCause());
        CircuitOpenException cause = assertInstanceOf(CircuitOpenException.class, again.getCause());
        assertEquals("flujo-llm", cause.getBreakerName());
        assertEquals("flujo-llm", again.getResult().metadata().get(StepResult.META_CIRCUIT_OPEN));
        assertEquals(1, again.getAttempts(), "no retry against an open breaker");
    }

    @Test
    void anOpenBreakerWithRetriesStillMakesOneAttemptAndGoesToTheFallback() {
        ScriptedAgent llm = ScriptedAgent.named("llm")
                .thenThrow(new IllegalStateException("down")).thenThrow(new IllegalStateException("down"));
        ScriptedAgent cheap = ScriptedAgent.named("cheap").thenReturn("fallback answer");
        StepPlan plan = guarded(breakerConfig(1), llm).fallback(cheap.asNamed()).build();
        plan.breakerFor(llm.asNamed()).transitionToOpenState();

        StepResult result = await(execute(plan, "q"));

        assertEquals("fallback answer", result.output());
        assertEquals(0, llm.calls());
        assertEquals(1, result.attempts());
        assertTrue(result.fallbackUsed());
    }

    @Test
    void afterTheRecoveryTimeOneProbeIsLetThroughAndItsSuccessClosesTheBreaker() {
        ScriptedAgent llm = ScriptedAgent.named("llm")
                .thenThrow(new IllegalStateException("down")).thenThrow(new IllegalStateException("down"))
                .thenReturn("back");
        StepPlan plan = guarded(breakerConfig(0), llm).build();
        awaitFailure(execute(plan, "1"), FlujoStepFailedException.class);
        awaitFailure(execute(plan, "2"), FlujoStepFailedException.class);
        CircuitBreaker breaker = plan.breakerFor(llm.asNamed());
        assertEquals(CircuitBreaker.State.OPEN, breaker.getState());

        awaitFailure(execute(plan, "still open"), FlujoStepFailedException.class);
        clock.advance(Duration.ofSeconds(31));
        StepResult probe = await(execute(plan, "probe"));

        assertEquals("back", probe.output());
        assertEquals(3, llm.calls(), "the call while open was refused; the probe went through");
        assertEquals(CircuitBreaker.State.CLOSED, breaker.getState());
    }

    @Test
    void rejectedAnswersDoNotOpenTheBreaker() {
        // a breaker protects against an unavailable agent, not a poor answer: validation failures are successes to it
        ScriptedAgent llm = ScriptedAgent.named("llm").then(r -> CompletableFuture.completedFuture(AgentResponse.of("bad")))
                .then(r -> CompletableFuture.completedFuture(AgentResponse.of("bad")))
                .then(r -> CompletableFuture.completedFuture(AgentResponse.of("bad")));
        StepPlan plan = guarded(breakerConfig(2), llm)
                .validators(java.util.List.of(validator("never", o -> dev.flujo.core.step.ValidationResult.fail("no"))))
                .build();

        awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(3, llm.calls());
        assertEquals(CircuitBreaker.State.CLOSED, plan.breakerFor(llm.asNamed()).getState());
    }

    @Test
    void withoutTheOptionNoBreakerIsConsulted() {
        StepProtection.Sources failing = new StepProtection.Sources() {
            @Override
            public AgentBreakers breakers(String step, OptimizationConfig config) {
                return new AgentBreakers(name -> {
                    throw new AssertionError("breakers are off");
                });
            }

            @Override
            public io.github.resilience4j.bulkhead.Bulkhead bulkhead(String step, OptimizationConfig config) {
                throw new AssertionError("no bulkhead either");
            }

            @Override
            public dev.flujo.core.resilience.AgentRateLimits rateLimits(String step, OptimizationConfig config) {
                throw new AssertionError("no rate limits either");
            }
        };
        StepPlan plan = plan("s", retries(0), ScriptedAgent.named("llm").thenReturn("x"))
                .protection(StepProtection.decide("s", retries(0), failing, null)).build();
        assertEquals(null, plan.breakerFor(plan.agent()));

        assertEquals("x", await(execute(plan, "q")).output());
    }
}
