package dev.flujo.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;

/** Reusable fake agents for the flujo tests. */
public final class TestAgents {

    /** A script entry: the agent never answers this call (the future stays pending until the test completes it). */
    static final Object PENDING = new Object() {
        @Override
        public String toString() {
            return "PENDING";
        }
    };

    private TestAgents() {
    }

    /** An agent that records every request and answers with a function (which may throw to fail the call). */
    public static CountingAgent answering(Function<AgentRequest, Object> answer) {
        return new CountingAgent(answer, Usage.ZERO);
    }

    public static CountingAgent answering(Object output) {
        return new CountingAgent(r -> output, Usage.ZERO);
    }

    /** An agent that answers {@code output} and reports {@code usage} on every call. */
    public static CountingAgent answering(Object output, Usage usage) {
        return new CountingAgent(r -> output, usage);
    }

    /** An agent that answers with a function and reports {@code usage} on every call. */
    public static CountingAgent answering(Function<AgentRequest, Object> answer, Usage usage) {
        return new CountingAgent(answer, usage);
    }

    /** An agent whose every call fails with an IllegalStateException carrying {@code message}. */
    public static CountingAgent failing(String message) {
        return new CountingAgent(r -> {
            throw new IllegalStateException(message);
        }, Usage.ZERO);
    }

    /** Answers each call with the next entry of the script; the last entry repeats. See {@link ScriptedAgent}. */
    public static ScriptedAgent scripted(Object... script) {
        return new ScriptedAgent(Arrays.asList(script));
    }

    /** Records calls and answers them with the function's output (or its exception) and a fixed usage. */
    public static class CountingAgent implements FlujoAgent {
        private final Function<AgentRequest, Object> answer;
        private final Usage usage;
        final List<AgentRequest> requests = new CopyOnWriteArrayList<>();

        CountingAgent(Function<AgentRequest, Object> answer, Usage usage) {
            this.answer = answer;
            this.usage = usage;
        }

        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            requests.add(request);
            try {
                return CompletableFuture.completedFuture(AgentResponse.of(answer.apply(request), usage));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        public int calls() {
            return requests.size();
        }

        AgentRequest request(int index) {
            return requests.get(index);
        }
    }

    /**
     * Answers call n with script entry n (the last entry repeats): a {@link Throwable} fails the call, an
     * {@link AgentResponse} is returned as is, {@link #PENDING} leaves the call unanswered (kept in {@link #pending}),
     * anything else is the output with zero usage.
     */
    static final class ScriptedAgent implements FlujoAgent {
        private final List<Object> script;
        final List<AgentRequest> requests = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<AgentResponse>> pending = new CopyOnWriteArrayList<>();

        ScriptedAgent(List<Object> script) {
            if (script.isEmpty()) {
                throw new IllegalArgumentException("empty script");
            }
            this.script = new ArrayList<>(script);
        }

        @Override
        public synchronized CompletionStage<AgentResponse> call(AgentRequest request) {
            requests.add(request);
            Object next = script.get(Math.min(requests.size(), script.size()) - 1);
            if (next == PENDING) {
                CompletableFuture<AgentResponse> future = new CompletableFuture<>();
                pending.add(future);
                return future;
            }
            if (next instanceof Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            if (next instanceof AgentResponse r) {
                return CompletableFuture.completedFuture(r);
            }
            return CompletableFuture.completedFuture(AgentResponse.of(next));
        }

        int calls() {
            return requests.size();
        }

        AgentRequest request(int index) {
            return requests.get(index);
        }

        /** Completes every still-pending call (so nothing is left in flight when a test ends). */
        void releaseAll(Object output) {
            pending.forEach(f -> f.complete(AgentResponse.of(output)));
        }
    }

    /** Never answers by itself: every call returns a fresh uncompleted future that the test completes by hand. */
    public static final class PendingAgent implements FlujoAgent {
        /** One call: what was asked and the future the test completes. */
        record Call(AgentRequest request, CompletableFuture<AgentResponse> future) {
        }

        final List<Call> calls = new CopyOnWriteArrayList<>();
        private final CountDownLatch arrived;

        public PendingAgent(int expectedCalls) {
            this.arrived = new CountDownLatch(expectedCalls);
        }

        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            CompletableFuture<AgentResponse> future = new CompletableFuture<>();
            calls.add(new Call(request, future));
            arrived.countDown();
            return future;
        }

        public CountDownLatch arrived() {
            return arrived;
        }

        /** How many calls arrived. */
        public int calls() {
            return calls.size();
        }

        public void releaseAll(Object output) {
            releaseAll(output, Usage.ZERO);
        }

        /** Answers every call still pending (a late answer, dropped by a cancelled step). */
        public void releaseAll(Object output, Usage usage) {
            calls.forEach(c -> c.future().complete(AgentResponse.of(output, usage)));
        }
    }
}
