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
 */
@FunctionalInterface
public interface FlujoAgent {

    CompletionStage<AgentResponse> call(AgentRequest request);

    /** Adapts a synchronous function (e.g. a deterministic local agent in a test) into an agent with no usage. */
    static FlujoAgent ofFunction(Function<AgentRequest, Object> function) {
        return request -> CompletableFuture.completedFuture(AgentResponse.of(function.apply(request)));
    }
}
