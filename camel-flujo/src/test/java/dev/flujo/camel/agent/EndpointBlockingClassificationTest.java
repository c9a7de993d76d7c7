package dev.flujo.camel.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which endpoint agents block their caller, and so are moved to the blocking-agent pool when a time-out bounds them: a
 * synchronous producer (camel-http, behind Camel's bridge) and a {@code direct:} route do; an asynchronous producer
 * (vertx-http) does not, so it pays no thread hop; seda waits for the reply on the caller's thread, so it does. Nothing
 * is sent: the producers are only created and started.
 */
class EndpointBlockingClassificationTest {

    private CamelContext context;
    private EndpointProducers producers;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        producers = new EndpointProducers(context, "s");
        producers.start();
    }

    @AfterEach
    void stop() {
        producers.stop();
        context.stop();
    }

    private boolean blocks(String uri) {
        return producers.start("agent", uri, "agent").blocksCaller();
    }

    @Test
    void synchronousProducerBlocks() {
        assertTrue(blocks("http://localhost:1/llm"));
    }

    /**
     * A lazily started producer shows what it is only once used: until then it counts as blocking (a thread hop too
     * many at worst, never a caller held), and no producer is created just to be looked at.
     */
    @Test
    void lazilyStartedProducerCountsAsBlockingUntilItIsUsed() throws Exception {
        EndpointProducers.Call sync = producers.start("agent", "http://localhost:1/llm?lazyStartProducer=true", "agent");
        EndpointProducers.Call async = producers.start("agent", "vertx-http:http://localhost:1/lazy?lazyStartProducer=true",
                "agent");
        assertTrue(sync.blocksCaller());
        assertTrue(async.blocksCaller());

        // nothing listens on port 1: each call fails, after its producer was created
        sendAndWait(sync);
        sendAndWait(async);

        assertTrue(sync.blocksCaller());
        assertFalse(async.blocksCaller());
    }

    private void sendAndWait(EndpointProducers.Call call) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Exchange exchange = new DefaultExchange(context, ExchangePattern.InOut);
        exchange.getMessage().setBody("q");
        call.send(exchange, doneSync -> done.countDown());
        assertTrue(done.await(20, TimeUnit.SECONDS), "the call never ended");
    }

    @Test
    void directRouteBlocks() {
        assertTrue(blocks("direct:llm"));
    }

    /** SedaProducer is asynchronous, but waits on a latch for the reply of an InOut exchange (an agent call is one). */
    @Test
    void sedaBlocksForTheReply() {
        assertTrue(blocks("seda:llm"));
    }

    @Test
    void asynchronousProducerDoesNotBlock() {
        assertFalse(blocks("vertx-http:http://localhost:1/llm"));
    }
}
