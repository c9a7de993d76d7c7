package dev.flujo.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each agent call in flight with a {@code timeout} holds one alarm on the component's time-out scheduler. That
 * scheduler came from Camel's default profile, whose queue holds 1,000 tasks: the 1,001st call in flight at once
 * failed with "RejectedExecutionException: Task rejected due queue size limit reached" (found by the 10,000-run
 * load test). The alarms are as many as the calls in flight; the queue must not bound them.
 */
class FlujoTimeoutSchedulerRegressionTest extends CamelTestSupport {

    /** More calls in flight than Camel's default thread pool profile lets a queue hold (1,000). */
    private static final int CALLS = 1_500;
    private static final long SAFETY_SECONDS = 20;

    private final TestAgents.PendingAgent agent = new TestAgents.PendingAgent(CALLS);

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("pending", agent);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:timed").to("flujo:step:timed?agent=#pending&timeout=60s");
            }
        };
    }

    @AfterEach
    void releaseLeftovers() {
        agent.releaseAll("released");
    }

    @Test
    void moreCallsWithATimeoutInFlightThanACamelQueueHoldsAllGetTheirAlarm() throws Exception {
        assertTrue(context.getExecutorServiceManager().getDefaultThreadPoolProfile().getMaxQueueSize() < CALLS);
        AsyncProducer producer = context.getEndpoint("direct:timed").createAsyncProducer();
        producer.start();
        List<Exchange> exchanges = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(CALLS);
        for (int i = 0; i < CALLS; i++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody("q" + i);
            exchanges.add(exchange);
            producer.process(exchange, doneSync -> done.countDown());
        }

        assertTrue(agent.arrived().await(SAFETY_SECONDS, TimeUnit.SECONDS),
                "only " + agent.calls() + " of " + CALLS + " calls reached the agent");
        agent.releaseAll("answer");
        assertTrue(done.await(SAFETY_SECONDS, TimeUnit.SECONDS), done.getCount() + " exchanges never completed");
        List<Exception> failures = exchanges.stream().map(Exchange::getException).filter(e -> e != null).toList();
        assertEquals(List.of(), failures);
        producer.stop();
    }
}
