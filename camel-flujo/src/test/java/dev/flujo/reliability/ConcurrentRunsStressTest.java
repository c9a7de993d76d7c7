package dev.flujo.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.reliability.ReliabilityFigures.Section;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load: 10,000 runs in flight at once through a 5-step pipeline whose agents answer later on another thread, each call
 * reporting usage against a run budget it does not reach. Every run completes, the usage adds up exactly (in each run's
 * ledger, and in the step meters all runs record into at once), and the threads stay few: nothing waits on a thread
 * while an agent works.
 */
@Tag("stress")
class ConcurrentRunsStressTest extends CamelTestSupport {

    private static final int RUNS = 10_000;
    private static final int STEPS = 5;
    private static final Usage PER_CALL = Usage.of(7, 3, new BigDecimal("0.0003"));
    /** 5 calls use 50 tokens and 0.0015 USD; a sixth (a call booked twice) would go over both limits. */
    private static final String BUDGET = "&tokenLimit=59&costLimitUsd=0.0017";
    /** Live threads the whole load may add to the JVM; a thread per run in flight would add 10,000. */
    private static final int THREAD_HEADROOM = 50;
    /** Failure guard only: how long the runs may take before the test gives up. */
    private static final long GUARD_SECONDS = 120;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final LongAdder rejections = new LongAdder();
    /** Completes the agents' replies: two threads, however many calls are pending. */
    private final ScheduledThreadPoolExecutor agentClock = new ScheduledThreadPoolExecutor(2, (task, pool) -> {
        rejections.increment();
        throw new RejectedExecutionException("agent clock rejected a reply");
    });
    /** Holds every reply back until all runs have been started, so that all 10,000 are in flight together. */
    private final CompletableFuture<Void> allStarted = new CompletableFuture<>();
    private final LongAdder calls = new LongAdder();
    private final AtomicInteger pending = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("metricsRegistry", MeterRegistry.class, meters);
        registry.bind("async", (FlujoAgent) request -> {
            calls.increment();
            pending.incrementAndGet();
            CompletableFuture<AgentResponse> reply = new CompletableFuture<>();
            String output = request.input() + ">" + request.stepName();
            // a random sub-millisecond delay shuffles the order in which runs move on
            long delayMicros = ThreadLocalRandom.current().nextLong(1000);
            allStarted.thenRun(() -> agentClock.schedule(() -> {
                pending.decrementAndGet();
                reply.complete(AgentResponse.of(output, PER_CALL));
            }, delayMicros, TimeUnit.MICROSECONDS));
            return reply;
        });
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                RouteDefinition pipeline = from("direct:pipeline").routeId("pipeline");
                for (int s = 1; s <= STEPS; s++) {
                    // every call reserves its usage first and arms a time-out (which never fires) on the shared
                    // timer; the first step declares the run's budget
                    pipeline.to("flujo:step:s" + s + "?agent=#async&expectedTokens=10&expectedCostUsd=0.0003"
                                + "&timeout=60s&enablePerformanceMonitoring=true" + (s == 1 ? BUDGET : ""));
                }
            }
        };
    }

    @AfterEach
    void stopAgentClock() throws InterruptedException {
        allStarted.complete(null);
        agentClock.shutdown();
        assertTrue(agentClock.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void tenThousandConcurrentRunsCompleteWithExactUsageOnFewThreads() throws Exception {
        AsyncProducer producer = context.getEndpoint("direct:pipeline").createAsyncProducer();
        producer.start();
        NotifyBuilder completed = new NotifyBuilder(context).fromRoute("pipeline").whenCompleted(RUNS).create();
        CountDownLatch done = new CountDownLatch(RUNS);
        Exchange[] exchanges = new Exchange[RUNS];
        long[] endNanos = new long[RUNS];
        int baselineThreads = threads.getThreadCount();
        threads.resetPeakThreadCount();

        long start = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            final int run = i;
            Exchange exchange = new DefaultExchange(context, ExchangePattern.InOut);
            exchange.getMessage().setBody("run-" + i);
            exchanges[i] = exchange;
            producer.process(exchange, doneSync -> {
                endNanos[run] = System.nanoTime();
                done.countDown();
            });
        }
        long dispatchNanos = System.nanoTime() - start;
        // every run is now waiting on its first agent call, and none holds a thread while it waits
        assertEquals(RUNS, pending.get(), "agent calls pending once all runs are started");
        assertEquals(RUNS, done.getCount(), "no run can end before its agents answer");
        long released = System.nanoTime();
        allStarted.complete(null);

        assertTrue(done.await(GUARD_SECONDS, TimeUnit.SECONDS), done.getCount() + " runs never completed");
        long drainNanos = System.nanoTime() - released;
        assertTrue(completed.matches(GUARD_SECONDS, TimeUnit.SECONDS), "the route completed " + RUNS + " exchanges");
        int peakThreads = threads.getPeakThreadCount();
        producer.stop();

        int failed = 0;
        int rejected = 0;
        Set<String> runIds = new HashSet<>();
        long inputTokens = 0;
        long outputTokens = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (int i = 0; i < RUNS; i++) {
            Exchange exchange = exchanges[i];
            if (exchange.getException() != null) {
                failed++;
                rejected += hasCause(exchange.getException(), RejectedExecutionException.class) ? 1 : 0;
                continue;
            }
            assertEquals("run-" + i + ">s1>s2>s3>s4>s5", exchange.getMessage().getBody(), "run " + i + "'s output");
            FlujoRun run = exchange.getProperty(FlujoConstants.RUN, FlujoRun.class);
            assertNotNull(run, "run " + i);
            runIds.add(run.runId());
            Usage usage = run.usage();
            assertUsage(STEPS, usage, "run " + i);
            assertEquals(STEPS, run.history().size(), "run " + i + "'s steps");
            inputTokens += usage.inputTokens();
            outputTokens += usage.outputTokens();
            cost = cost.add(usage.costOrZero());
        }
        assertEquals(0, rejected, "runs failed with a RejectedExecutionException");
        assertEquals(0, failed, "failed runs");
        assertEquals(0, rejections.sum(), "replies the agent clock rejected");
        assertEquals(RUNS, runIds.size(), "each exchange is a run of its own");
        long expectedCalls = (long) RUNS * STEPS;
        assertEquals(expectedCalls, calls.sum(), "agent calls");
        assertUsage(expectedCalls, new Usage(inputTokens, outputTokens, cost), "the sum of all runs' totals");
        for (int s = 1; s <= STEPS; s++) {
            // each step's meters are shared by all runs and recorded from the agent clock's two threads at once
            String step = "s" + s;
            assertEquals(RUNS, meters.get("flujo.step.outcomes").tag("flujo.step", step).tag("outcome", "success")
                    .counter().count(), step + " successes");
            DistributionSummary in = meters.get("gen_ai.client.token.usage").tag("flujo.step", step)
                    .tag("gen_ai.token.type", "input").summary();
            assertEquals(RUNS, in.count(), step + " input token recordings");
            assertEquals((double) RUNS * PER_CALL.inputTokens(), in.totalAmount(), step + " input tokens");
        }
        assertTrue(peakThreads <= baselineThreads + THREAD_HEADROOM,
                "peak live threads " + peakThreads + " with " + baselineThreads + " before the load");

        long[] latencyNanos = Arrays.stream(endNanos).map(end -> end - released).sorted().toArray();
        ReliabilityFigures.record(Section.LOAD, String.format("%,d concurrent runs through a 5-step pipeline of"
                                                              + " flujo:step endpoints, async agents (replies completed on a 2-thread scheduler), timeout=60s and"
                                                              + " enablePerformanceMonitoring on every step",
                RUNS),
                String.format("all %,d in flight at once (%,d first agent calls pending together), all completed,"
                              + " 0 failed, 0 RejectedExecutionException. Reported, not asserted: started in %.2f s; run"
                              + " latency from the moment the agents may answer to the run's end p50 %.0f ms, p99 %.0f ms;"
                              + " all done %.2f s after that",
                        RUNS, RUNS, dispatchNanos / 1e9,
                        percentileMs(latencyNanos, 50), percentileMs(latencyNanos, 99), drainNanos / 1e9),
                getClass());
        ReliabilityFigures.record(Section.LOAD, "usage of those runs: 7 + 3 tokens and 0.0003 USD per call,"
                                                + " run budget tokenLimit=59, costLimitUsd=0.0017 (a sixth call would exceed it), usage reserved"
                                                + " before each call",
                String.format("every run exactly 5 x per call (50 tokens, 0.0015 USD); the runs' totals add up to"
                              + " exactly %,d calls x per call (%,d + %,d tokens, %s USD); each step's shared meters count"
                              + " exactly %,d successes and %,d input tokens: no lost or double-booked update",
                        expectedCalls, inputTokens, outputTokens, cost.stripTrailingZeros().toPlainString(), RUNS,
                        RUNS * PER_CALL.inputTokens()),
                getClass());
        ReliabilityFigures.record(Section.LOAD, "live JVM threads during those runs",
                String.format("peak %d, %d before the load (bound: +%d; a thread per run would add %,d)", peakThreads,
                        baselineThreads, THREAD_HEADROOM, RUNS),
                getClass());
    }

    /** {@code usage} is exactly {@code calls} times the usage of one call: tokens and cost. */
    private static void assertUsage(long calls, Usage usage, String what) {
        assertEquals(calls * PER_CALL.inputTokens(), usage.inputTokens(), what + ": input tokens");
        assertEquals(calls * PER_CALL.outputTokens(), usage.outputTokens(), what + ": output tokens");
        BigDecimal expectedCost = PER_CALL.costUsd().multiply(BigDecimal.valueOf(calls));
        assertEquals(0, expectedCost.compareTo(usage.costOrZero()), what + ": cost " + usage.costUsd() + ", expected "
                                                                    + expectedCost);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static double percentileMs(long[] sortedNanos, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
