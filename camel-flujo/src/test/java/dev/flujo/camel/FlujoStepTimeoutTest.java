package dev.flujo.camel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.AgentTimeoutException;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * timeout bounds one agent call: a time-out is a failed attempt (retried, then the fallback), and the late reply is
 * dropped. The agents never answer until the test releases them; no test measures elapsed time.
 */
class FlujoStepTimeoutTest extends FlujoRouteTestSupport {

    private final TestAgents.ScriptedAgent pendingThenAnswers = bind("pendingThenAnswers",
            TestAgents.scripted(TestAgents.PENDING, "second"));
    private final TestAgents.PendingAgent neverAnswers = bind("neverAnswers", new TestAgents.PendingAgent(2));
    private final TestAgents.CountingAgent fallbackOk = bind("fallbackOk", TestAgents.answering("from fallback"));
    private final TestAgents.CountingAgent answersOk = bind("answersOk", TestAgents.answering("ok"));
    /** Futures hidden behind minimal stages, which cannot be cancelled by the step. */
    private final List<CompletableFuture<AgentResponse>> hidden = new CopyOnWriteArrayList<>();
    private final AtomicInteger minimalCalls = new AtomicInteger();

    /** Calls parked by the asynchronous endpoint agent route: released by hand. */
    private record Parked(Exchange exchange, AsyncCallback callback) {
    }

    private final List<Parked> parked = new CopyOnWriteArrayList<>();
    private final AtomicInteger slowRouteCalls = new AtomicInteger();
    private final TestAgents.PendingAgent slowFallback = bind("slowFallback", new TestAgents.PendingAgent(1));
    private final TestAgents.ScriptedAgent pendingThenMetered = bind("pendingThenMetered",
            TestAgents.scripted(TestAgents.PENDING, AgentResponse.of("metered", Usage.tokens(50, 0))));

    /** The synchronous agent route: its first calls block their thread until the test releases them. */
    private final CountDownLatch releaseBlocked = new CountDownLatch(1);
    private final CountDownLatch secondBlockingCall = new CountDownLatch(1);
    private final AtomicInteger blockingCalls = new AtomicInteger();
    private final CountDownLatch thirdBlockingCall = new CountDownLatch(1);
    private final AtomicInteger twiceBlockingCalls = new AtomicInteger();

    /** More calls in flight than Camel's default thread pool profile lets a queue hold (1,000). */
    private static final int MANY_CALLS = 1_500;
    private static final long MANY_CALLS_SAFETY_SECONDS = 20;
    private final TestAgents.PendingAgent manyInFlight = bind("manyInFlight", new TestAgents.PendingAgent(MANY_CALLS));

    // beans the routes name that no test reads back
    {
        bind("minimalStage", (FlujoAgent) request -> {
            if (minimalCalls.incrementAndGet() == 1) {
                CompletableFuture<AgentResponse> future = new CompletableFuture<>();
                hidden.add(future);
                return future.minimalCompletionStage();
            }
            return CompletableFuture.completedFuture(AgentResponse.of("second"));
        });
    }

    @Override
    protected void routes(RouteBuilder r) {
        // the first call is parked without blocking the caller; later calls answer at once
        AsyncProcessor slowFirst = new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                int n = slowRouteCalls.incrementAndGet();
                if (n == 1) {
                    parked.add(new Parked(exchange, callback));
                    return false;
                }
                exchange.getMessage().setBody("answer-" + n);
                exchange.getMessage().setHeader(FlujoConstants.INPUT_TOKENS, 3);
                callback.done(true);
                return true;
            }
        };

        r.from("direct:retry").to("flujo:step:retry?agent=#pendingThenAnswers&timeout=100ms").to("mock:out");
        r.from("direct:allTimeOut").to("flujo:step:allTimeOut?agent=#neverAnswers&timeout=50ms&maxRetries=1");
        r.from("direct:toFallback")
                .to("flujo:step:toFallback?agent=#neverAnswers&timeout=50ms&maxRetries=0&fallback=#fallbackOk");
        r.from("direct:fast").to("flujo:step:fast?agent=#answersOk&timeout=30s");
        r.from("direct:minimal").to("flujo:step:minimal?agent=#minimalStage&timeout=50ms");
        r.from("direct:endpoint").to("flujo:step:endpoint?agent=direct:slowLlm&timeout=100ms").to("mock:endpointOut");
        r.from("direct:slowLlm").process(slowFirst);
        r.from("direct:slowFallback").to("flujo:step:slowFallback?agent=#neverAnswers&timeout=50ms&maxRetries=0"
                                         + "&fallback=#slowFallback");
        r.from("direct:reserved").to("flujo:step:reserved?agent=#pendingThenMetered&timeout=50ms"
                                     + "&tokenLimit=100&expectedTokens=60");
        r.from("direct:timed").to("flujo:step:timed?agent=#manyInFlight&timeout=60s");
        r.from("direct:blocking").to("flujo:step:blocking?agent=direct:blockingLlm&timeout=100ms");
        r.from("direct:blockingTwice")
                .to("flujo:step:blockingTwice?agent=direct:twiceBlockingLlm&timeout=100ms&maxRetries=2");
        r.from("direct:twiceBlockingLlm").process(e -> {
            int n = twiceBlockingCalls.incrementAndGet();
            if (n <= 2) {
                releaseBlocked.await(10, TimeUnit.SECONDS);
                e.getMessage().setBody("late " + n);
            } else {
                thirdBlockingCall.countDown();
                e.getMessage().setBody("third");
            }
        });
        r.from("direct:blockingLlm").process(e -> {
            if (blockingCalls.incrementAndGet() == 1) {
                // a synchronous model call that takes long: the thread is stuck here until released
                releaseBlocked.await(10, TimeUnit.SECONDS);
                e.getMessage().setBody("late first");
            } else {
                secondBlockingCall.countDown();
                e.getMessage().setBody("second");
            }
        });
    }

    @AfterEach
    void releaseEverything() {
        releaseBlocked.countDown();
        slowFallback.releaseAll("released");
        pendingThenAnswers.releaseAll("released");
        neverAnswers.releaseAll("released");
        manyInFlight.releaseAll("released");
        hidden.forEach(f -> f.complete(AgentResponse.of("released")));
        // parked calls the test did not answer itself
        for (Parked p : parked) {
            p.callback().done(false);
        }
        parked.clear();
    }

    @Test
    void timedOutAttemptIsRetriedWithTimeoutFeedback() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceived("second");

        Exchange result = run("direct:retry");

        out.assertIsSatisfied();
        assertNull(result.getException());
        assertEquals(2, pendingThenAnswers.calls());
        assertEquals(2, resultHeader(result, FlujoConstants.ATTEMPTS));
        String feedback = pendingThenAnswers.request(1).feedback();
        assertTrue(feedback.contains("did not answer within 100 ms"), feedback);
        StepResult step = runOf(result).lastResult("retry");
        assertEquals(true, step.metadata().get(StepResult.META_TIMED_OUT));
    }

    @Test
    void lateReplyOfTimedOutBeanAgentIsDropped() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedMessageCount(1);
        Exchange result = run("direct:retry");
        FlujoRun run = runOf(result);

        // the timed-out call answers after all (the step may have cancelled the future; then this is a no-op)
        CompletableFuture<AgentResponse> late = pendingThenAnswers.pending.get(0);
        late.complete(AgentResponse.of("late", Usage.of(500, 500, new BigDecimal("9"))));

        out.assertIsSatisfied();
        assertEquals("second", result.getMessage().getBody());
        assertEquals(0, run.usage().totalTokens());
        assertEquals(1, run.history().size());
    }

    @Test
    void lateReplyOfAnUncancellableStageIsDroppedButItsUsageIsBooked() {
        Exchange result = run("direct:minimal");
        assertEquals("second", result.getMessage().getBody());
        FlujoRun run = runOf(result);

        // the late answer still arrives, through the minimal stage the step could not cancel
        assertEquals(1, hidden.size());
        hidden.get(0).complete(AgentResponse.of("late", Usage.of(1000, 1000, BigDecimal.ONE)));

        // its output is dropped; what it consumed was spent, so the run's totals include it
        assertEquals("second", result.getMessage().getBody());
        assertEquals(2000, run.usage().totalTokens());
        assertEquals(0, BigDecimal.ONE.compareTo(run.usage().costOrZero()));
        assertEquals(1, run.history().size());
        assertEquals(2, minimalCalls.get());
    }

    @Test
    void everyAttemptTimingOutFailsTheStep() {
        Exchange result = run("direct:allTimeOut");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(2, failure.getAttempts());
        assertInstanceOf(AgentTimeoutException.class, failure.getCause());
        assertEquals(2, neverAnswers.calls.size());
        assertEquals(true, failure.getResult().metadata().get(StepResult.META_TIMED_OUT));
    }

    @Test
    void timeoutLeadsToFallback() {
        Exchange result = run("direct:toFallback");

        assertNull(result.getException());
        assertEquals("from fallback", result.getMessage().getBody());
        assertEquals(1, neverAnswers.calls.size());
        assertEquals(1, fallbackOk.calls());
        StepResult step = runOf(result).lastResult("toFallback");
        assertTrue(step.fallbackUsed());
        assertTrue(String.valueOf(step.metadata().get(StepResult.META_ORIGINAL_ERROR)).contains("did not answer"));
    }

    @Test
    void fastAgentIsNotAffectedByTimeout() {
        Exchange result = run("direct:fast");

        assertEquals("ok", result.getMessage().getBody());
        assertEquals(1, answersOk.calls());
        assertEquals(1, resultHeader(result, FlujoConstants.ATTEMPTS));
    }

    @Test
    void asynchronousEndpointAgentTimesOutAndItsLateReplyIsDroppedButItsUsageBooked() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:endpointOut");
        out.expectedBodiesReceived("answer-2");

        Exchange result = run("direct:endpoint");

        out.assertIsSatisfied();
        assertNull(result.getException());
        assertEquals("answer-2", result.getMessage().getBody());
        assertEquals(1, parked.size(), "the first call is still parked in the agent route");
        FlujoRun run = runOf(result);
        assertEquals(3, run.usage().inputTokens());

        // the agent route finally answers the timed-out call, with usage
        Parked late = parked.remove(0);
        late.exchange().getMessage().setBody("late");
        late.exchange().getMessage().setHeader(FlujoConstants.INPUT_TOKENS, 1000);
        late.callback().done(false);

        // its output is dropped, but what it consumed was spent: booked to the run, not to the step's result
        assertEquals("answer-2", result.getMessage().getBody());
        assertEquals(1003, run.usage().inputTokens(), "the late reply's usage is booked to the run");
        assertEquals(3, run.history().get(0).usage().inputTokens());
        assertEquals(1, run.history().size());
        out.assertIsSatisfied();
        assertEquals(1, out.getReceivedCounter());
    }

    @Test
    void fallbackCallIsBoundedByTheTimeoutToo() {
        Exchange result = run("direct:slowFallback");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertInstanceOf(AgentTimeoutException.class, failure.getCause());
        assertEquals(1, neverAnswers.calls.size());
        assertEquals(1, slowFallback.calls.size());
        assertTrue(failure.getResult().fallbackUsed());
    }

    @Test
    void reservationOfATimedOutCallIsReleased() {
        // attempt 1 reserves 60 of 100 tokens and times out; attempt 2 can only reserve its 60 if that was released
        Exchange result = run("direct:reserved");

        assertNull(result.getException(), () -> FlujoAssertions.messages(result.getException()));
        assertEquals("metered", result.getMessage().getBody());
        assertEquals(50, runOf(result).usage().totalTokens());
    }

    @Test
    void synchronousEndpointAgentIsBoundedByTheTimeout() throws Exception {
        // the usual endpoint agent answers on the calling thread (a direct: route calling a model synchronously);
        // its first call hangs until released. After 100 ms it is a failed attempt, and the retry must be called.
        Future<Exchange> pending = template.asyncSend("direct:blocking", e -> e.getMessage().setBody("q"));
        try {
            assertTrue(secondBlockingCall.await(3, TimeUnit.SECONDS),
                    "the retry was not called while the first call hung past the 100 ms timeout");
        } finally {
            releaseBlocked.countDown();
        }

        Exchange result = pending.get(10, TimeUnit.SECONDS);
        assertNull(result.getException());
        assertEquals("second", result.getMessage().getBody(), "the late reply of the timed-out call is dropped");
        assertEquals(2, resultHeader(result, FlujoConstants.ATTEMPTS));
    }

    @Test
    void everySynchronousAttemptIsBoundedByTheTimeout() throws Exception {
        // as above, but the first two calls hang: the retry (which runs on the time-out continuation thread) must be
        // bounded as well, so the third attempt is called while both earlier calls still hang
        Future<Exchange> pending = template.asyncSend("direct:blockingTwice", e -> e.getMessage().setBody("q"));
        try {
            assertTrue(thirdBlockingCall.await(3, TimeUnit.SECONDS),
                    "attempt 3 was not called while attempt 2 hung past the 100 ms timeout (calls so far: "
                                                                     + twiceBlockingCalls.get() + ")");
        } finally {
            releaseBlocked.countDown();
        }

        Exchange result = pending.get(10, TimeUnit.SECONDS);
        assertEquals("third", result.getMessage().getBody(), "late replies of timed-out calls are dropped");
        assertEquals(3, resultHeader(result, FlujoConstants.ATTEMPTS));
    }

    @Test
    void timeoutAsComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setTimeout(50);
        addRoute("direct:componentTimeout", "flujo:step:componentTimeout?agent=#neverAnswers&maxRetries=0");

        Exchange result = run("direct:componentTimeout");

        assertInstanceOf(AgentTimeoutException.class, exceptionOf(result, FlujoStepFailedException.class).getCause());
    }

    /**
     * Found by the 10,000-run load test (issue 7): each agent call in flight with a {@code timeout} holds one alarm on
     * the component's time-out scheduler. That scheduler came from Camel's default profile, whose queue holds 1,000
     * tasks: the 1,001st call in flight at once failed with "RejectedExecutionException: Task rejected due queue size
     * limit reached". The alarms are as many as the calls in flight; the queue must not bound them.
     */
    @Test
    void moreCallsWithATimeoutInFlightThanACamelQueueHoldsAllGetTheirAlarm() throws Exception {
        assertTrue(context.getExecutorServiceManager().getDefaultThreadPoolProfile().getMaxQueueSize() < MANY_CALLS);
        AsyncProducer producer = context.getEndpoint("direct:timed").createAsyncProducer();
        producer.start();
        List<Exchange> exchanges = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(MANY_CALLS);
        for (int i = 0; i < MANY_CALLS; i++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody("q" + i);
            exchanges.add(exchange);
            producer.process(exchange, doneSync -> done.countDown());
        }

        assertTrue(manyInFlight.arrived().await(MANY_CALLS_SAFETY_SECONDS, TimeUnit.SECONDS),
                "only " + manyInFlight.calls() + " of " + MANY_CALLS + " calls reached the agent");
        manyInFlight.releaseAll("answer");
        assertTrue(done.await(MANY_CALLS_SAFETY_SECONDS, TimeUnit.SECONDS),
                done.getCount() + " exchanges never completed");
        List<Exception> failures = exchanges.stream().map(Exchange::getException).filter(e -> e != null).toList();
        assertEquals(List.of(), failures);
        producer.stop();
    }
}
