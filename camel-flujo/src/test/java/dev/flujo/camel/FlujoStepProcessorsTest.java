package dev.flujo.camel;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.step.FlujoProcessor;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/** promptProcessors and outputProcessors: Camel Processors or FlujoProcessors, run in order. */
class FlujoStepProcessorsTest extends CamelTestSupport {

    private final TestAgents.CountingAgent echo = TestAgents.answering(r -> "echo(" + r.input() + ")");
    private final TestAgents.CountingAgent answersRaw = TestAgents.answering("raw");
    private final AtomicInteger flakyPromptRuns = new AtomicInteger();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("echo", echo);
        registry.bind("answersRaw", answersRaw);
        registry.bind("flujoA", (FlujoProcessor) (value, context) -> value + "+A");
        registry.bind("camelB", (Processor) e -> e.getMessage().setBody(e.getMessage().getBody(String.class) + "+B"));
        registry.bind("flujoC", (FlujoProcessor) (value, context) -> value + "+C");
        registry.bind("tenantPrefix", (FlujoProcessor) (value, context) -> context.get("tenant") + ":" + value);
        registry.bind("leaky", (Processor) e -> {
            e.setProperty("leaked", "yes");
            e.getMessage().setHeader("leakedHeader", "yes");
            e.getMessage().setBody(e.getMessage().getBody(String.class) + "+" + e.getMessage().getHeader("h"));
        });
        registry.bind("flakyPrompt", (FlujoProcessor) (value, context) -> {
            if (flakyPromptRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("prompt template missing");
            }
            return value;
        });
        registry.bind("throwingOutput", (Processor) e -> {
            throw new IllegalArgumentException("cannot parse output");
        });
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:prompt").to("flujo:step:prompt?agent=#echo&promptProcessors=#flujoA,#camelB,#flujoC");
                from("direct:output").to("flujo:step:output?agent=#answersRaw&outputProcessors=#camelB,#flujoA,#flujoC"
                                         + "&validate=RAW(${body} == 'raw+B+A+C')");
                from("direct:context").to("flujo:step:context?agent=#echo&promptProcessors=#tenantPrefix");
                from("direct:leaky").to("flujo:step:leaky?agent=#echo&promptProcessors=#leaky&outputProcessors=#leaky");
                from("direct:flakyPrompt").to("flujo:step:flakyPrompt?agent=#echo&promptProcessors=#flakyPrompt");
                from("direct:throwingOutput")
                        .to("flujo:step:throwingOutput?agent=#answersRaw&outputProcessors=#throwingOutput");
            }
        };
    }

    @Test
    void promptProcessorsRunInOrderBeforeTheAgent() {
        Exchange result = template.request("direct:prompt", e -> e.getMessage().setBody("q"));

        assertEquals("q+A+B+C", echo.request(0).input());
        assertEquals("echo(q+A+B+C)", result.getMessage().getBody());
    }

    @Test
    void outputProcessorsRunInOrderBeforeValidation() {
        Exchange result = template.request("direct:output", e -> e.getMessage().setBody("q"));

        assertNull(result.getException());
        assertEquals("raw+B+A+C", result.getMessage().getBody());
        assertEquals(1, answersRaw.calls());
    }

    @Test
    void flujoProcessorSeesTheContext() {
        Exchange result = template.request("direct:context", e -> {
            e.getMessage().setBody("q");
            e.setProperty("tenant", "acme");
        });

        assertEquals("echo(acme:q)", result.getMessage().getBody());
    }

    @Test
    void camelProcessorSeesHeadersButCannotChangeTheExchange() {
        Exchange result = template.request("direct:leaky", e -> {
            e.getMessage().setBody("q");
            e.getMessage().setHeader("h", "H");
        });

        assertEquals("echo(q+H)+H", result.getMessage().getBody());
        assertNull(result.getProperty("leaked"));
        assertNull(result.getMessage().getHeader("leakedHeader"));
    }

    @Test
    void failingPromptProcessorFailsTheAttempt() {
        Exchange result = template.request("direct:flakyPrompt", e -> e.getMessage().setBody("q"));

        assertNull(result.getException());
        assertEquals("echo(q)", result.getMessage().getBody());
        assertEquals(1, echo.calls(), "the failed attempt never reached the agent");
        assertEquals(2, result.getMessage().getHeader(FlujoConstants.ATTEMPTS));
        assertTrue(echo.request(0).feedback().contains("prompt template missing"), echo.request(0).feedback());
    }

    @Test
    void failingOutputProcessorFailsTheAttempt() {
        Exchange result = template.request("direct:throwingOutput", e -> e.getMessage().setBody("q"));

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(2, answersRaw.calls());
        assertTrue(failure.getFeedback().get(0).contains("cannot parse output"), failure.getFeedback().toString());
        assertTrue(failure.getCause() instanceof IllegalArgumentException);
    }
}
