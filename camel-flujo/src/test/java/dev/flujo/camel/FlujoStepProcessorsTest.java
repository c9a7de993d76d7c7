package dev.flujo.camel;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.step.FlujoProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** promptProcessors and outputProcessors: Camel Processors or FlujoProcessors, run in order. */
class FlujoStepProcessorsTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent echo = bind("echo", TestAgents.answering(r -> "echo(" + r.input() + ")"));
    private final TestAgents.CountingAgent answersRaw = bind("answersRaw", TestAgents.answering("raw"));
    private final AtomicInteger flakyPromptRuns = new AtomicInteger();

    // beans the routes name that no test reads back
    {
        bind("flujoA", (FlujoProcessor) (value, context) -> value + "+A");
        bind("camelB", (Processor) e -> e.getMessage().setBody(e.getMessage().getBody(String.class) + "+B"));
        bind("flujoC", (FlujoProcessor) (value, context) -> value + "+C");
        bind("tenantPrefix", (FlujoProcessor) (value, context) -> context.get("tenant") + ":" + value);
        bind("leaky", (Processor) e -> {
            e.setProperty("leaked", "yes");
            e.getMessage().setHeader("leakedHeader", "yes");
            e.getMessage().setBody(e.getMessage().getBody(String.class) + "+" + e.getMessage().getHeader("h"));
        });
        bind("flakyPrompt", (FlujoProcessor) (value, context) -> {
            if (flakyPromptRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("prompt template missing");
            }
            return value;
        });
        bind("throwingOutput", (Processor) e -> {
            throw new IllegalArgumentException("cannot parse output");
        });
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:prompt").to("flujo:step:prompt?agent=#echo&promptProcessors=#flujoA,#camelB,#flujoC");
        r.from("direct:output").to("flujo:step:output?agent=#answersRaw&outputProcessors=#camelB,#flujoA,#flujoC"
                                   + "&validate=RAW(${body} == 'raw+B+A+C')");
        r.from("direct:context").to("flujo:step:context?agent=#echo&promptProcessors=#tenantPrefix");
        r.from("direct:leaky").to("flujo:step:leaky?agent=#echo&promptProcessors=#leaky&outputProcessors=#leaky");
        r.from("direct:flakyPrompt").to("flujo:step:flakyPrompt?agent=#echo&promptProcessors=#flakyPrompt");
        r.from("direct:throwingOutput")
                .to("flujo:step:throwingOutput?agent=#answersRaw&outputProcessors=#throwingOutput");
    }

    @Test
    void promptProcessorsRunInOrderBeforeTheAgent() {
        Exchange result = run("direct:prompt");

        assertEquals("q+A+B+C", echo.request(0).input());
        assertEquals("echo(q+A+B+C)", result.getMessage().getBody());
    }

    @Test
    void outputProcessorsRunInOrderBeforeValidation() {
        Exchange result = run("direct:output");

        assertNull(result.getException());
        assertEquals("raw+B+A+C", result.getMessage().getBody());
        assertEquals(1, answersRaw.calls());
    }

    @Test
    void flujoProcessorSeesTheContext() {
        Exchange result = runWith("direct:context", Map.of("tenant", "acme"));

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
        Exchange result = run("direct:flakyPrompt");

        assertNull(result.getException());
        assertEquals("echo(q)", result.getMessage().getBody());
        assertEquals(1, echo.calls(), "the failed attempt never reached the agent");
        assertEquals(2, resultHeader(result, FlujoConstants.ATTEMPTS));
        assertTrue(echo.request(0).feedback().contains("prompt template missing"), echo.request(0).feedback());
    }

    @Test
    void failingOutputProcessorFailsTheAttempt() {
        Exchange result = run("direct:throwingOutput");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(2, answersRaw.calls());
        assertTrue(failure.getFeedback().get(0).contains("cannot parse output"), failure.getFeedback().toString());
        assertTrue(failure.getCause() instanceof IllegalArgumentException);
    }
}
