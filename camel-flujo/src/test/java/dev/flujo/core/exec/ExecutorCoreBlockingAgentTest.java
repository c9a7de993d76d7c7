package dev.flujo.core.exec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.AgentTimeoutException;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking-agent executor: a call of an agent that {@linkplain FlujoAgent#blocksCaller() blocks its caller} and is
 * bounded by a time-out is made there, not on the caller's thread; a call still queued at its time-out is not made; a
 * refused call is made on the caller; asynchronous agents and calls without a time-out never use it.
 */
class ExecutorCoreBlockingAgentTest extends ExecutorCoreTestSupport {

    private static final Duration SHORT = Duration.ofMillis(50);

    private final ExecutorService blockingPool = Executors.newSingleThreadExecutor(r -> new Thread(r, "blocking-test"));
    /** Tasks handed to the executor of {@link #holding}; run by hand. */
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger handedOver = new AtomicInteger();

    @AfterEach
    void stopBlockingPool() throws InterruptedException {
        blockingPool.shutdownNow();
        assertTrue(blockingPool.awaitTermination(SAFETY_SECONDS, TimeUnit.SECONDS));
    }

    /** An agent recording the threads it is called on; blocking or not, answering with {@code answer}. */
    private static final class ThreadRecordingAgent implements FlujoAgent {
        final boolean blocks;
        final CountDownLatch release;
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        ThreadRecordingAgent(boolean blocks, CountDownLatch release) {
            this.blocks = blocks;
            this.release = release;
        }

        @Override
        public CompletableFuture<AgentResponse> call(AgentRequest request) {
            threads.add(Thread.currentThread());
            if (release != null) {
                try {
                    // a synchronous client: the thread is held until the test releases it
                    release.await(SAFETY_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CompletableFuture.completedFuture(AgentResponse.of("answer", Usage.tokens(7, 0)));
        }

        @Override
        public boolean blocksCaller() {
            return blocks;
        }
    }

    private ExecutorCore coreWith(Executor blocking) {
        return new ExecutorCore(timer, continuation, continuation, blocking, System::nanoTime);
    }

    private Executor holding() {
        return task -> {
            handedOver.incrementAndGet();
            held.add(task);
        };
    }

    private static StepPlan plan(FlujoAgent agent, Duration timeout) {
        var config = config().set("maxRetries", 0);
        if (timeout != null) {
            config.set("timeout", timeout);
        }
        return StepPlan.builder("s", config.build()).agent(new NamedAgent("agent", agent)).build();
    }

    private CompletableFuture<StepResult> execute(ExecutorCore on, StepPlan plan) {
        return on.execute(plan, "q", FlujoContext.empty(), run);
    }

    @Test
    void boundedCallOfABlockingAgentIsMadeOnTheBlockingExecutor() {
        ThreadRecordingAgent agent = new ThreadRecordingAgent(true, null);

        StepResult result = await(execute(coreWith(blockingPool), plan(agent, Duration.ofSeconds(30))));

        assertEquals("answer", result.output());
        assertEquals(1, agent.threads.size());
        assertEquals("blocking-test", agent.threads.get(0).getName());
    }

    @Test
    void callerReturnsWhileABlockingAgentWorksAndTheLateReplyIsOnlyBooked() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ThreadRecordingAgent agent = new ThreadRecordingAgent(true, release);
        try {
            CompletableFuture<StepResult> future = execute(coreWith(blockingPool), plan(agent, SHORT));
            // execute returned on this thread although the agent holds its thread until released
            FlujoStepFailedException failure = awaitFailure(future, FlujoStepFailedException.class);
            assertInstanceOf(AgentTimeoutException.class, failure.getCause());
            assertEquals(0, run.usage().inputTokens());
        } finally {
            release.countDown();
        }
        // the call that ran answers after its time-out: dropped, but what it consumed is booked to the run
        blockingPool.submit(() -> {
        }).get(SAFETY_SECONDS, TimeUnit.SECONDS);
        assertEquals(7, run.usage().inputTokens());
        assertEquals(1, run.history().size());
        assertFalse(run.history().get(0).success());
    }

    @Test
    void callStillQueuedWhenItsTimeoutFiresIsNotMade() {
        ThreadRecordingAgent agent = new ThreadRecordingAgent(true, null);

        FlujoStepFailedException failure = awaitFailure(execute(coreWith(holding()), plan(agent, SHORT)),
                FlujoStepFailedException.class);
        assertInstanceOf(AgentTimeoutException.class, failure.getCause());
        assertEquals(1, held.size(), "the call was handed to the blocking executor");

        // the pool reaches the call only now, after its time-out
        held.forEach(Runnable::run);

        assertEquals(List.of(), agent.threads, "a call whose time-out fired while queued must not be made");
    }

    @Test
    void callTheExecutorRefusesIsMadeOnTheCaller() {
        ThreadRecordingAgent agent = new ThreadRecordingAgent(true, null);
        Executor refusing = task -> {
            throw new RejectedExecutionException("pool and queue full");
        };

        StepResult result = await(execute(coreWith(refusing), plan(agent, Duration.ofSeconds(30))));

        assertEquals("answer", result.output());
        assertSame(Thread.currentThread(), agent.threads.get(0));
    }

    @Test
    void asynchronousAgentIsNotMovedToTheBlockingExecutor() {
        ThreadRecordingAgent agent = new ThreadRecordingAgent(false, null);

        StepResult result = await(execute(coreWith(holding()), plan(agent, Duration.ofSeconds(30))));

        assertEquals("answer", result.output());
        assertEquals(0, handedOver.get());
        assertSame(Thread.currentThread(), agent.threads.get(0), "no thread hop for an agent that does not block");
    }

    @Test
    void blockingAgentWithoutATimeoutRunsOnTheCaller() {
        ThreadRecordingAgent agent = new ThreadRecordingAgent(true, null);

        StepResult result = await(execute(coreWith(holding()), plan(agent, null)));

        assertEquals("answer", result.output());
        assertEquals(0, handedOver.get());
        assertSame(Thread.currentThread(), agent.threads.get(0));
    }

    @Test
    void withoutABlockingExecutorABlockingAgentRunsOnTheCallerAsBefore() {
        ThreadRecordingAgent agent = new ThreadRecordingAgent(true, null);

        StepResult result = await(execute(core, plan(agent, Duration.ofSeconds(30))));

        assertEquals("answer", result.output());
        assertSame(Thread.currentThread(), agent.threads.get(0));
    }
}
