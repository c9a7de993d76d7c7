package dev.flujo.camel.agent;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
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

    @Test
    void lazilyStartedSynchronousProducerBlocks() {
        assertTrue(blocks("http://localhost:1/llm?lazyStartProducer=true"));
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
        assertFalse(blocks("vertx-http:http://localhost:1/lazy?lazyStartProducer=true"));
    }
}
