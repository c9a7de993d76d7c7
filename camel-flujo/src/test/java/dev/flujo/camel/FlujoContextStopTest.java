package dev.flujo.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.FlujoCancelledException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping the context while an exchange waits for an agent that never answers: once Camel's graceful shutdown has
 * timed out, the exchange fails with a FlujoCancelledException instead of staying in flight forever.
 */
class FlujoContextStopTest {

    @Test
    void anExchangeWaitingForAnAgentEndsWhenTheContextStops() throws Exception {
        TestAgents.PendingAgent silent = new TestAgents.PendingAgent(2);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("silent", silent);
        camel.getShutdownStrategy().setTimeout(1);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:unbounded").to("flujo:step:unbounded?agent=#silent&maxRetries=3");
                from("direct:bounded").to("flujo:step:bounded?agent=#silent&maxRetries=3&timeout=1h");
            }
        });
        camel.start();
        var template = camel.createProducerTemplate();
        CompletableFuture<Exchange> unbounded = template.asyncSend("direct:unbounded", e -> e.getMessage().setBody("q"));
        CompletableFuture<Exchange> bounded = template.asyncSend("direct:bounded", e -> e.getMessage().setBody("q"));
        assertTrue(silent.arrived().await(10, TimeUnit.SECONDS));

        camel.stop();

        for (CompletableFuture<Exchange> reply : java.util.List.of(unbounded, bounded)) {
            Exchange out = reply.get(10, TimeUnit.SECONDS);
            FlujoCancelledException e = assertInstanceOf(FlujoCancelledException.class, out.getException());
            assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        }
        assertEquals(2, silent.calls(), "no retry after the stop");
        silent.releaseAll("late");
    }
}
