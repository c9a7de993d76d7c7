package dev.flujo.camel;

import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.apache.camel.builder.Builder.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agents that are Camel endpoints: the body is the prompt, the reply body the output. */
class FlujoStepEndpointAgentTest extends FlujoRouteTestSupport {

    private final AtomicInteger flakyCalls = new AtomicInteger();

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:direct").to("flujo:step:direct?agent=direct:llm").to("mock:out");
        r.from("direct:llm").setBody(simple("reply to ${body}"));

        r.from("direct:flaky").to("flujo:step:flaky?agent=direct:flakyLlm");
        r.from("direct:flakyLlm").process(e -> {
            if (flakyCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("rate limited");
            }
            e.getMessage().setBody("recovered");
        });

        r.from("direct:noConsumer").to("flujo:step:noConsumer?agent=RAW(direct:nobodyListens?block=false)&maxRetries=0");

        // a request-reply agent behind a queue
        r.from("direct:seda").to("flujo:step:seda?agent=seda:llmQueue").to("mock:sedaOut");
        r.from("seda:llmQueue?pollTimeout=100").setBody(simple("queued reply to ${body}"));
    }

    @Test
    void replyBodyIsTheOutput() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceived("reply to q");
        out.expectedHeaderReceived(FlujoConstants.STEP_NAME, "direct");

        template.sendBody("direct:direct", "q");

        out.assertIsSatisfied();
    }

    @Test
    void agentRouteExceptionIsAFailedAttempt() {
        Exchange result = run("direct:flaky");

        assertNull(result.getException());
        assertEquals("recovered", result.getMessage().getBody());
        assertEquals(2, flakyCalls.get());
        assertEquals(2, resultHeader(result, FlujoConstants.ATTEMPTS));
    }

    @Test
    void endpointWithoutConsumerFailsTheAttempt() {
        Exchange result = run("direct:noConsumer");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertTrue(failure.getFeedback().get(0).contains("direct:nobodyListens")
                || failure.getFeedback().get(0).contains("direct://nobodyListens"), failure.getFeedback().get(0));
    }

    @Test
    void requestReplyAgentAnswersAnInOutExchange() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:sedaOut");
        out.expectedBodiesReceived("queued reply to q");

        Object reply = template.requestBody("direct:seda", "q");

        assertEquals("queued reply to q", reply);
        out.assertIsSatisfied();
    }

    @Test
    void requestReplyAgentAnswersAnInOnlyExchange() throws Exception {
        // the agent call is a request for a reply whatever the pattern of the exchange that runs the step
        MockEndpoint out = getMockEndpoint("mock:sedaOut");
        out.expectedBodiesReceived("queued reply to q");

        template.sendBody("direct:seda", ExchangePattern.InOnly, "q");

        out.assertIsSatisfied();
    }
}
