package dev.flujo.core.flow;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.result.Usage;

/**
 * A test agent for composite steps: one behaviour for every call, every request recorded. {@link #hanging} hands out
 * futures the test completes (or never completes) by hand.
 */
final class TestAgent implements FlujoAgent {

    private final String name;
    private final Function<AgentRequest, CompletionStage<AgentResponse>> behaviour;
    private final List<AgentRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<CompletableFuture<AgentResponse>> pending = new LinkedBlockingQueue<>();

    private TestAgent(String name, Function<AgentRequest, CompletionStage<AgentResponse>> behaviour) {
        this.name = name;
        this.behaviour = behaviour;
    }

    static TestAgent returning(String name, Object output) {
        return returning(name, output, Usage.ZERO);
    }

    static TestAgent returning(String name, Object output, Usage usage) {
        return new TestAgent(name, r -> CompletableFuture.completedFuture(AgentResponse.of(output, usage)));
    }

    /** Answers with a function of the request (e.g. of the input or the attempt number). */
    static TestAgent answering(String name, Function<AgentRequest, Object> answer) {
        return new TestAgent(name, r -> CompletableFuture.completedFuture(AgentResponse.of(answer.apply(r))));
    }

    static TestAgent failing(String name, String message) {
        return new TestAgent(name, r -> CompletableFuture.failedFuture(new IllegalStateException(message)));
    }

    /** Every call returns a future that nobody completes unless the test does (see {@link #nextPending()}). */
    static TestAgent hanging(String name) {
        TestAgent[] self = new TestAgent[1];
        self[0] = new TestAgent(name, r -> {
            CompletableFuture<AgentResponse> f = new CompletableFuture<>();
            self[0].pending.add(f);
            return f;
        });
        return self[0];
    }

    /** Like {@link #hanging}, but hands out a minimal stage the core cannot cancel, so a late answer really comes. */
    static TestAgent hangingUncancellable(String name) {
        TestAgent[] self = new TestAgent[1];
        self[0] = new TestAgent(name, r -> {
            CompletableFuture<AgentResponse> f = new CompletableFuture<>();
            self[0].pending.add(f);
            return f.minimalCompletionStage();
        });
        return self[0];
    }

    @Override
    public CompletionStage<AgentResponse> call(AgentRequest request) {
        requests.add(request);
        return behaviour.apply(request);
    }

    int calls() {
        return requests.size();
    }

    List<AgentRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits (bounded, a safety net only) until the agent has handed out a pending future. */
    CompletableFuture<AgentResponse> nextPending() throws InterruptedException {
        CompletableFuture<AgentResponse> f = pending.poll(FlowTestSupport.SAFETY_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("agent " + name + " was not called");
        }
        return f;
    }

    NamedAgent named() {
        return new NamedAgent(name, this);
    }
}
