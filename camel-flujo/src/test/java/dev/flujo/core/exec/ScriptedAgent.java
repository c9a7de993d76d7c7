package dev.flujo.core.exec;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.result.Usage;

/**
 * A test agent that answers from a script, one entry per call, and records every request. Calls past the end of the
 * script use the {@code otherwise} behaviour, or fail with an AssertionError (which the core sees as an agent failure;
 * tests check the call count).
 */
final class ScriptedAgent implements FlujoAgent {

    private final String name;
    private final Queue<FlujoAgent> script = new ConcurrentLinkedQueue<>();
    private volatile FlujoAgent otherwise;
    private final List<AgentRequest> requests = new CopyOnWriteArrayList<>();
    /** Futures handed out by {@link #thenHang()} and friends, in call order. */
    private final BlockingQueue<CompletableFuture<AgentResponse>> pending = new LinkedBlockingQueue<>();

    private ScriptedAgent(String name) {
        this.name = name;
    }

    static ScriptedAgent named(String name) {
        return new ScriptedAgent(name);
    }

    ScriptedAgent then(FlujoAgent behaviour) {
        script.add(behaviour);
        return this;
    }

    ScriptedAgent thenReturn(Object output) {
        return then(r -> CompletableFuture.completedFuture(AgentResponse.of(output)));
    }

    ScriptedAgent thenReturn(Object output, Usage usage) {
        return then(r -> CompletableFuture.completedFuture(AgentResponse.of(output, usage)));
    }

    /** Throws from {@code call} itself. */
    ScriptedAgent thenThrow(RuntimeException error) {
        return then(r -> {
            throw error;
        });
    }

    /** Returns a stage that completed exceptionally. */
    ScriptedAgent thenFailAsync(Throwable error) {
        return then(r -> CompletableFuture.failedFuture(error));
    }

    /** Returns a future the test completes by hand (see {@link #nextPending()}). */
    ScriptedAgent thenHang() {
        return then(r -> {
            CompletableFuture<AgentResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        });
    }

    /**
     * Like {@link #thenHang()}, but the agent hands out a minimal stage: the core cannot cancel it, so a late answer
     * really arrives after a time-out.
     */
    ScriptedAgent thenHangUncancellable() {
        return then(r -> {
            CompletableFuture<AgentResponse> f = new CompletableFuture<>();
            pending.add(f);
            return f.minimalCompletionStage();
        });
    }

    ScriptedAgent otherwise(FlujoAgent behaviour) {
        this.otherwise = behaviour;
        return this;
    }

    ScriptedAgent alwaysReturn(Object output) {
        return otherwise(r -> CompletableFuture.completedFuture(AgentResponse.of(output)));
    }

    ScriptedAgent alwaysThrow(String message) {
        return otherwise(r -> {
            throw new IllegalStateException(message + " #" + requests.size());
        });
    }

    @Override
    public CompletionStage<AgentResponse> call(AgentRequest request) {
        requests.add(request);
        FlujoAgent next = script.poll();
        if (next == null) {
            next = otherwise;
        }
        if (next == null) {
            throw new AssertionError("unexpected call #" + requests.size() + " of agent " + name);
        }
        return next.call(request);
    }

    int calls() {
        return requests.size();
    }

    List<AgentRequest> requests() {
        return List.copyOf(requests);
    }

    /** The request of the n-th call, 1-based. */
    AgentRequest request(int n) {
        return requests.get(n - 1);
    }

    /** Waits (bounded, as a safety net only) for the next future handed out by a hanging script entry. */
    CompletableFuture<AgentResponse> nextPending() throws InterruptedException {
        CompletableFuture<AgentResponse> f = pending.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("agent " + name + " was not called with a hanging script entry");
        }
        return f;
    }

    String name() {
        return name;
    }

    NamedAgent asNamed() {
        return new NamedAgent(name, this);
    }
}
