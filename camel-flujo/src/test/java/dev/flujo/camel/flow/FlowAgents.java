package dev.flujo.camel.flow;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.usage.Usage;

/** Fake agents for the composite-kind tests (dev.flujo.camel.TestAgents is package-private to dev.flujo.camel). */
final class FlowAgents {

    private FlowAgents() {
    }

    /** Answers every call with {@code answer(request)} and reports {@code usage}; counts the calls. */
    static CountingAgent answering(Function<AgentRequest, Object> answer, Usage usage) {
        return new CountingAgent(answer, usage);
    }

    static CountingAgent answering(Object output, Usage usage) {
        return new CountingAgent(r -> output, usage);
    }

    static CountingAgent answering(Object output) {
        return new CountingAgent(r -> output, Usage.ZERO);
    }

    /** Records calls and answers them at once. */
    static final class CountingAgent implements FlujoAgent {
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

        int calls() {
            return requests.size();
        }
    }

    /** Never answers by itself: every call gets a fresh pending future; {@link #arrived()} counts the calls. */
    static final class PendingAgent implements FlujoAgent {
        final List<CompletableFuture<AgentResponse>> calls = new CopyOnWriteArrayList<>();
        private final CountDownLatch arrived;

        PendingAgent(int expectedCalls) {
            this.arrived = new CountDownLatch(expectedCalls);
        }

        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            CompletableFuture<AgentResponse> future = new CompletableFuture<>();
            calls.add(future);
            arrived.countDown();
            return future;
        }

        CountDownLatch arrived() {
            return arrived;
        }

        int calls() {
            return calls.size();
        }

        /** Answers every call still pending (a late answer, dropped by a cancelled step). */
        void releaseAll(Object output, Usage usage) {
            calls.forEach(f -> f.complete(AgentResponse.of(output, usage)));
        }
    }
}
