package dev.flujo.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario 6: {@code inFlight} runs at once against an agent that answers after {@code agentLatencyMs}.
 *
 * <ul>
 * <li>{@code asyncAgent}: the agent's reply is completed by a 2-thread scheduled executor, no thread per call; all runs
 * are started from the benchmark thread through the route's asynchronous producer.</li>
 * <li>{@code blockingAgent}, the thread-per-call baseline: the same route, but the agent sleeps on the calling thread,
 * so each run in flight needs a thread of its own (a cached pool provides them).</li>
 * </ul>
 * One operation is one batch: start every run, wait until the last completes. Latency percentiles, peak live threads
 * and throughput are written as extra metrics.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConcurrencyBenchmark {

    @Param({ "10000" })
    public int inFlight;

    @Param({ "20" })
    public int agentLatencyMs;

    private ScheduledExecutorService agentClock;
    private ExecutorService threadPerCall;
    private CamelFixture camel;
    private AsyncProducer asyncRoute;
    private Endpoint blockingRoute;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private ExtraMetrics metrics;
    private boolean measuring;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) throws Exception {
        agentClock = Executors.newScheduledThreadPool(2);
        threadPerCall = Executors.newCachedThreadPool();
        FlujoAgent delayed = request -> {
            CompletableFuture<AgentResponse> reply = new CompletableFuture<>();
            agentClock.schedule(() -> reply.complete(AgentResponse.of(Work.transform(request.input()),
                    Work.FIXED_USAGE)), agentLatencyMs, TimeUnit.MILLISECONDS);
            return reply;
        };
        FlujoAgent blocking = request -> {
            try {
                Thread.sleep(agentLatencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(AgentResponse.of(Work.transform(request.input()),
                    Work.FIXED_USAGE));
        };
        camel = new CamelFixture(Map.of("delayed", delayed, "blocking", blocking), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:async").to("flujo:step:async?agent=#delayed");
                from("direct:blocking").to("flujo:step:blocking?agent=#blocking");
            }
        });
        asyncRoute = camel.endpoint("direct:async").createAsyncProducer();
        asyncRoute.start();
        blockingRoute = camel.endpoint("direct:blocking");
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        metrics = new ExtraMetrics("ConcurrencyBenchmark." + method, "inFlight" + inFlight);
    }

    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        threads.resetPeakThreadCount();
    }

    @TearDown(Level.Trial)
    public void stop() {
        metrics.write();
        asyncRoute.stop();
        camel.close();
        agentClock.shutdownNow();
        threadPerCall.shutdownNow();
    }

    @Benchmark
    public int asyncAgent() throws InterruptedException {
        long[] latency = new long[inFlight];
        CountDownLatch done = new CountDownLatch(inFlight);
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < inFlight; i++) {
            final int index = i;
            Exchange exchange = new DefaultExchange(camel.context());
            exchange.getMessage().setBody("run " + i);
            long sent = System.nanoTime();
            asyncRoute.process(exchange, doneSync -> {
                latency[index] = System.nanoTime() - sent;
                if (exchange.getException() != null) {
                    failed.incrementAndGet();
                }
                done.countDown();
            });
        }
        long dispatched = System.nanoTime();
        done.await();
        return record(latency, start, dispatched, failed.get());
    }

    @Benchmark
    public int blockingAgent() throws InterruptedException {
        long[] latency = new long[inFlight];
        CountDownLatch done = new CountDownLatch(inFlight);
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < inFlight; i++) {
            final int index = i;
            final String body = "run " + i;
            long sent = System.nanoTime();
            threadPerCall.execute(() -> {
                try {
                    camel.request(blockingRoute, body);
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
                latency[index] = System.nanoTime() - sent;
                done.countDown();
            });
        }
        long dispatched = System.nanoTime();
        done.await();
        return record(latency, start, dispatched, failed.get());
    }

    private int record(long[] latency, long start, long dispatched, int failed) {
        long end = System.nanoTime();
        long elapsed = end - start;
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + inFlight + " runs failed");
        }
        if (measuring) {
            metrics.add("throughputPerSecond", inFlight / (elapsed / 1e9));
            metrics.add("dispatchMs", (dispatched - start) / 1e6);
            metrics.add("drainAfterDispatchMs", (end - dispatched) / 1e6);
            metrics.add("idealThroughputPerSecond", inFlight / (agentLatencyMs / 1e3));
            metrics.add("p50LatencyMs", ExtraMetrics.percentile(latency, 50) / 1e6);
            metrics.add("p99LatencyMs", ExtraMetrics.percentile(latency, 99) / 1e6);
            metrics.add("peakThreads", threads.getPeakThreadCount());
        }
        return latency.length;
    }
}
