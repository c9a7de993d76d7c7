package dev.flujo.core.agent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The agent SPI: one asynchronous call that turns a request into output and usage.
 *
 * <p>
 * Implement it as a bean and refer to it as {@code agent=#myAgent}. Return a stage that completes when the model
 * answers; do not block the calling thread, since the step runs on a Camel route thread. An agent that throws, or whose
 * stage completes exceptionally, fails the attempt (which is then retried with the error as feedback).
 *
 * <p>
 * An agent that cannot help blocking (it answers inside {@link #call}, as a synchronous HTTP client or a
 * {@code direct:} route does) says so with {@link #blocksCaller()}: a call of it that is bounded by a time-out is then
 * made on the host's blocking-agent pool, so that the caller's thread is free when the time-out fires.
 */
@FunctionalInterface
public interface FlujoAgent {

    CompletionStage<AgentResponse> call(AgentRequest request);

    /**
     * Whether {@link #call} may hold the calling thread while the agent works (a synchronous client, a route that runs
     * on the caller's thread). Such a call, when a time-out bounds it (or a cancellation can abandon it), is made on a
     * bounded pool of the host instead of the caller's thread, at the cost of one thread hop; without a time-out it
     * runs on the caller's thread, which waits for it anyway. False by default: an agent returning a stage that
     * completes later parks no thread and must not be moved.
     */
    default boolean blocksCaller() {
        return false;
    }

    /** Adapts a synchronous function (e.g. a deterministic local agent in a test) into an agent with no usage. */
    static FlujoAgent ofFunction(Function<AgentRequest, Object> function) {
        return request -> CompletableFuture.completedFuture(AgentResponse.of(function.apply(request)));
    }
}
