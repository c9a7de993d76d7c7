package dev.flujo.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.AgentTimeoutException;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.LifecycleStrategySupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A blocking endpoint agent (a {@code direct:} route that holds its thread for 3 s, as a synchronous model client does)
 * bounded by {@code timeout=300ms}: the call is made on the component's blocking-agent pool, so the caller is free at
 * the time-out and the route goes on; a call still queued for the pool when its time-out fired is not made; the late
 * reply of a call that ran is dropped, its usage booked. Times are asserted with bounds several times the time-out and
 * far below what waiting for the agent would take.
 */
class BlockingAgentTimeoutTest extends FlujoRouteTestSupport {

    private static final int POOL_SIZE = 10;
    private static final int AT_ONCE = 200;
    private static final long AGENT_BLOCKS_MILLIS = 3_000;
    /** Safety nets for waiting; never asserted on as a time. */
    private static final long SAFETY_SECONDS = 20;

    /** Ends the agent route's blocking before its 3 s, for a test that need not wait for it. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger entered = new AtomicInteger();
    private final List<String> agentThreads = new CopyOnWriteArrayList<>();
    private final AtomicReference<ThreadPoolExecutor> blockingPool = new AtomicReference<>();
    private final List<String> seenPools = new CopyOnWriteArrayList<>();
    private final List<Thread> asyncAgentThreads = new CopyOnWriteArrayList<>();

    {
        bind("asyncAgent", (FlujoAgent) request -> {
            asyncAgentThreads.add(Thread.currentThread());
            return new CompletableFuture<AgentResponse>(); // answers never: parks no thread
        });
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("flujo", FlujoComponent.class).setBlockingAgentPoolSize(POOL_SIZE);
        // Camel tells its tooling (JMX) of every pool its ExecutorServiceManager creates through this hook
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onThreadPoolAdd(
                    CamelContext camelContext, ThreadPoolExecutor threadPool, String id, String sourceId,
                    String routeId, String threadPoolProfileId) {
                seenPools.add(id + "/" + sourceId + "/" + threadPoolProfileId);
                if ("FlujoBlockingAgents".equals(threadPoolProfileId)) {
                    blockingPool.set(threadPool);
                }
            }
        });
        return context;
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:slow").to("flujo:step:slow?agent=direct:blockingLlm&timeout=300ms&maxRetries=0");
        r.from("direct:blockingLlm").process(e -> {
            entered.incrementAndGet();
            agentThreads.add(Thread.currentThread().getName());
            // a synchronous model call taking 3 s: this thread is held
            release.await(AGENT_BLOCKS_MILLIS, TimeUnit.MILLISECONDS);
            e.getMessage().setBody("late");
            e.getMessage().setHeader(FlujoConstants.INPUT_TOKENS, 7);
        });
        r.from("direct:async").to("flujo:step:async?agent=#asyncAgent&timeout=300ms&maxRetries=0");
    }

    @AfterEach
    void releaseAgents() {
        release.countDown();
    }

    @Test
    void callerIsFreeAtTheTimeOutAndTheLateReplyIsOnlyBooked() throws Exception {
        long start = System.nanoTime();
        Exchange result = run("direct:slow");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertInstanceOf(AgentTimeoutException.class, failure.getCause());
        assertTrue(millis < 1_000, "the caller waited " + millis + " ms for a 300 ms time-out: it was held by the"
                                   + " blocking agent (3 s)");
        assertEquals(1, entered.get());
        assertTrue(agentThreads.get(0).contains("FlujoBlockingAgents"),
                "the agent route ran on " + agentThreads.get(0) + ", not on the blocking-agent pool");

        // the call that ran answers late: its output is dropped, what it consumed booked to the run
        FlujoRun run = runOf(result);
        assertEquals(0, run.usage().inputTokens());
        release.countDown();
        awaitTrue(() -> run.usage().inputTokens() == 7, "the late reply's usage was never booked");
        assertEquals(1, run.history().size());
        assertNotEquals("late", result.getMessage().getBody(), "the late reply's output is dropped");
    }

    @Test
    void manyExchangesAtOnceFinishNearTheTimeOutAndQueuedCallsAreNotMade() throws Exception {
        AsyncProducer producer = context.getEndpoint("direct:slow").createAsyncProducer();
        producer.start();
        long[] sent = new long[AT_ONCE];
        long[] finished = new long[AT_ONCE];
        List<Exchange> exchanges = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(AT_ONCE);
        try {
            for (int i = 0; i < AT_ONCE; i++) {
                Exchange exchange = new DefaultExchange(context);
                exchange.getMessage().setBody("q" + i);
                exchanges.add(exchange);
                int n = i;
                sent[n] = System.nanoTime();
                producer.process(exchange, doneSync -> {
                    finished[n] = System.nanoTime();
                    done.countDown();
                });
            }
            assertTrue(done.await(SAFETY_SECONDS, TimeUnit.SECONDS), done.getCount() + " exchanges never completed");
        } finally {
            producer.stop();
        }

        long slowest = 0;
        for (int i = 0; i < AT_ONCE; i++) {
            Exchange exchange = exchanges.get(i);
            FlujoStepFailedException failure = exceptionOf(exchange, FlujoStepFailedException.class);
            assertInstanceOf(AgentTimeoutException.class, failure.getCause(), "exchange " + i);
            slowest = Math.max(slowest, finished[i] - sent[i]);
        }
        long slowestMillis = TimeUnit.NANOSECONDS.toMillis(slowest);
        // waiting for the agent would take 3 s for each of the first, and 3 s x 200 / 10 threads = 60 s for the last
        assertTrue(slowestMillis < 2_000, "an exchange took " + slowestMillis + " ms for a 300 ms time-out");
        // only the pool's threads entered the agent: the other calls are still queued, their time-outs fired
        int made = entered.get();
        assertTrue(made >= 1 && made <= POOL_SIZE, made + " calls made while every pool thread is held");

        // the pool drains: the queued calls, timed out, must be skipped rather than made
        ThreadPoolExecutor pool = blockingPool.get();
        assertNotNull(pool, "the blocking-agent pool was not created through Camel's ExecutorServiceManager: " + seenPools);
        release.countDown();
        awaitTrue(() -> pool.getQueue().isEmpty() && pool.getActiveCount() == 0, "the blocking-agent pool never drained");
        assertEquals(made, entered.get(), "a call that was still queued when its time-out fired was made");
        assertEquals(POOL_SIZE, pool.getMaximumPoolSize());
    }

    @Test
    void asynchronousBeanAgentIsCalledOnTheCallerWithNoThreadHop() {
        Exchange result = run("direct:async");

        assertInstanceOf(AgentTimeoutException.class, exceptionOf(result, FlujoStepFailedException.class).getCause());
        assertEquals(1, asyncAgentThreads.size());
        assertSame(Thread.currentThread(), asyncAgentThreads.get(0));
    }

    private static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message);
            }
            Thread.sleep(10);
        }
    }
}
