package dev.flujo.core.exec;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the executor (the host stops): calls in flight are abandoned and no new call is made. */
class ExecutorCoreStopTest extends ExecutorCoreTestSupport {

    /**
     * Found by the fault tests (dev.flujo.reliability): when the host stops (FlujoComponent.doStop, after Camel's
     * graceful shutdown gave exchanges in flight its time-out), a call without time-out whose agent never answers kept
     * its exchange in flight forever, and so did a call with a time-out: the stopped timer never fired it. Every call
     * in flight is now abandoned, and a later call is not made.
     */
    @Test
    void stopAbandonsEveryCallInFlightAndMakesNoNewOne() throws Exception {
        ScriptedAgent unbounded = ScriptedAgent.named("unbounded").thenHang();
        ScriptedAgent bounded = ScriptedAgent.named("bounded").thenHangUncancellable();
        ScriptedAgent later = ScriptedAgent.named("later").alwaysReturn("never asked");
        CompletableFuture<StepResult> waiting
                = execute(plan("a", config().set("maxRetries", 2).build(), unbounded).build(), "q");
        CompletableFuture<StepResult> timed
                = execute(plan("b", config().set("maxRetries", 2).set("timeout", Duration.ofHours(1))
                        .build(), bounded).build(), "q");
        CompletableFuture<AgentResponse> unboundedCall = unbounded.nextPending();
        CompletableFuture<AgentResponse> boundedCall = bounded.nextPending();
        IllegalStateException why = new IllegalStateException("context stopped");

        core.stop(why);

        assertSame(why, awaitFailure(waiting, FlujoCancelledException.class).getCause());
        assertEquals("b", awaitFailure(timed, FlujoCancelledException.class).getStepName());
        assertTrue(unboundedCall.isCancelled(), "the agent is told its answer is no longer wanted");
        assertEquals(1, unbounded.calls(), "no retry after the stop");
        assertEquals(1, bounded.calls());
        // an answer after the stop is dropped, its usage booked
        boundedCall.complete(AgentResponse.of("late", Usage.tokens(4, 0)));
        assertEquals(4, run.usage().totalTokens());
        awaitFailure(execute(plan("c", retries(0), later).build(), "q"), FlujoCancelledException.class);
        assertEquals(0, later.calls(), "a call after the stop is not made");
    }
}
