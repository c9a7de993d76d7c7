package dev.flujo.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fault-injecting agent for the fault tests: what each call does is a {@link Fault} chosen by a function of the
 * request (its input and attempt). A held call is kept, by input, for the test to answer late, fail or leave hanging;
 * it records whether the step asked to cancel it (abandoned it), and a stubborn one refuses that cancellation, as a
 * started HTTP call or route would, so its late answer really arrives.
 */
final class FaultAgent implements FlujoAgent {

    /** How long the tests wait for something that must happen; never reached when all is well. */
    static final long SAFETY_SECONDS = 30;

    /** What one call does. */
    sealed interface Fault {
    }

    /** Answers at once. */
    record Answer(Object output, Usage usage) implements Fault {
    }

    /** Throws from {@code call} itself. */
    record Throw(RuntimeException error) implements Fault {
    }

    /** Returns a stage that failed. */
    record Fail(Throwable error) implements Fault {
    }

    /** Returns no stage at all ({@code null}). */
    record NullStage() implements Fault {
    }

    /** Returns a stage that completes with no response ({@code null}). */
    record NullResponse() implements Fault {
    }

    /** Returns a stage the test completes (or never does); {@code stubborn}: it refuses to be cancelled. */
    record Hold(boolean stubborn) implements Fault {
    }

    static Fault answer(Object output) {
        return new Answer(output, Usage.ZERO);
    }

    static Fault answer(Object output, Usage usage) {
        return new Answer(output, usage);
    }

    static Fault hold() {
        return new Hold(false);
    }

    static Fault holdStubborn() {
        return new Hold(true);
    }

    /** A call the test answers by hand. */
    static final class HeldCall extends CompletableFuture<AgentResponse> {
        final AgentRequest request;
        private final boolean stubborn;
        private volatile boolean cancelRequested;

        HeldCall(AgentRequest request, boolean stubborn) {
            this.request = request;
            this.stubborn = stubborn;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelRequested = true;
            return !stubborn && super.cancel(mayInterruptIfRunning);
        }

        /** Whether the step told the agent its answer is no longer wanted. */
        boolean cancelRequested() {
            return cancelRequested;
        }

        String input() {
            return String.valueOf(request.input());
        }
    }

    private final Function<AgentRequest, Fault> script;
    private final AtomicInteger calls = new AtomicInteger();
    final List<HeldCall> held = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<HeldCall>> heldByInput = new ConcurrentHashMap<>();
    private final Semaphore arrivals = new Semaphore(0);

    FaultAgent(Function<AgentRequest, Fault> script) {
        this.script = script;
    }

    @Override
    public CompletionStage<AgentResponse> call(AgentRequest request) {
        calls.incrementAndGet();
        Fault fault = script.apply(request);
        if (fault instanceof Answer a) {
            return CompletableFuture.completedFuture(AgentResponse.of(a.output(), a.usage()));
        }
        if (fault instanceof Throw t) {
            throw t.error();
        }
        if (fault instanceof Fail f) {
            return CompletableFuture.failedFuture(f.error());
        }
        if (fault instanceof NullStage) {
            return null;
        }
        if (fault instanceof NullResponse) {
            return CompletableFuture.completedFuture(null);
        }
        HeldCall call = new HeldCall(request, ((Hold) fault).stubborn());
        held.add(call);
        heldFor(call.input()).complete(call);
        arrivals.release();
        return call;
    }

    int calls() {
        return calls.get();
    }

    /** The call held for this input, once it arrives. */
    CompletableFuture<HeldCall> heldFor(String input) {
        return heldByInput.computeIfAbsent(input, k -> new CompletableFuture<>());
    }

    /** Waits until {@code n} more calls are held. */
    void awaitHeld(int n) throws InterruptedException {
        assertTrue(arrivals.tryAcquire(n, SAFETY_SECONDS, TimeUnit.SECONDS),
                "fewer than " + n + " held calls arrived; held so far: " + held.size());
    }

    /** Answers every held call still pending (so nothing is left in flight when a test ends). */
    void releaseAll() {
        held.forEach(c -> c.complete(AgentResponse.of("released")));
    }
}
