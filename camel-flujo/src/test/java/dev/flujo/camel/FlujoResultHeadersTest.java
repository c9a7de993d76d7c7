package dev.flujo.camel;

import java.util.concurrent.CompletableFuture;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code resultHeaders=false}: the step's results are only in the run, and no CamelFlujo* header is written. */
class FlujoResultHeadersTest extends CamelTestSupport {

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("upper", (FlujoAgent) r -> CompletableFuture.completedFuture(
                AgentResponse.of(r.input().toString().toUpperCase(), Usage.tokens(2, 3))));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:quiet").to("flujo:step:quiet?agent=#upper&resultHeaders=false");
                from("direct:default").to("flujo:step:loud?agent=#upper");
            }
        };
    }

    @Test
    void noResultHeadersButTheRunHasTheResult() {
        Exchange done = template.request("direct:quiet", e -> e.getMessage().setBody("hi"));

        assertEquals("HI", done.getMessage().getBody());
        assertTrue(done.getMessage().getHeaders().keySet().stream().noneMatch(k -> k.startsWith("CamelFlujo")),
                done.getMessage().getHeaders().toString());
        FlujoRun run = done.getProperty(FlujoConstants.RUN, FlujoRun.class);
        assertEquals("HI", run.lastResult("quiet").output());
        assertEquals(5, run.usage().totalTokens());
    }

    @Test
    void headersAreWrittenByDefault() {
        Exchange done = template.request("direct:default", e -> e.getMessage().setBody("hi"));

        assertEquals("loud", done.getMessage().getHeader(FlujoConstants.STEP_NAME));
        assertEquals(2L, done.getMessage().getHeader(FlujoConstants.INPUT_TOKENS));
        assertFalse(done.getMessage().getHeaders().isEmpty());
    }
}
