package dev.flujo.camel;

import java.math.BigDecimal;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.apache.camel.builder.Builder.constant;
import static org.apache.camel.builder.Builder.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exceptions a step sets on the exchange are the core's typed ones, so Camel's error handling matches them. */
class FlujoStepErrorHandlingTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent alwaysFails = bind("alwaysFails", TestAgents.failing("model unavailable"));
    private final TestAgents.CountingAgent expensive = bind("expensive",
            TestAgents.answering("pricey", Usage.of(1, 1, new BigDecimal("5"))));
    private final TestAgents.CountingAgent answersOk = bind("answersOk", TestAgents.answering("ok"));

    @Override
    protected void routes(RouteBuilder r) {
        r.onException(FlujoStepFailedException.class).handled(true)
                .setBody(simple("step ${exception.stepName} failed after ${exception.attempts} attempts"))
                .to("mock:stepFailed");
        r.onException(UsageLimitExceededException.class).handled(true).to("mock:overBudget");
        r.onException(FlujoException.class).handled(true).to("mock:otherFlujoError");

        r.from("direct:failing").to("flujo:step:summarize?agent=#alwaysFails").to("mock:never");
        r.from("direct:expensive")
                .to("flujo:step:expensive?agent=#expensive&costLimitUsd=1")
                .to("flujo:step:next?agent=#answersOk")
                .to("mock:never");
        r.from("direct:forged").to("flujo:step:forged?agent=#answersOk").to("mock:never");
        r.from("direct:tryCatch")
                .doTry()
                    .to("flujo:step:tried?agent=#alwaysFails&maxRetries=0")
                .doCatch(FlujoStepFailedException.class)
                    .setBody(constant("canned answer"))
                .end()
                .to("mock:afterTry");
    }

    @Test
    void onExceptionHandlesAFailedStep() throws Exception {
        MockEndpoint failed = getMockEndpoint("mock:stepFailed");
        failed.expectedBodiesReceived("step summarize failed after 2 attempts");
        failed.expectedHeaderReceived(FlujoConstants.SUCCESS, false);
        failed.expectedHeaderReceived(FlujoConstants.STEP_NAME, "summarize");
        MockEndpoint never = getMockEndpoint("mock:never");
        never.expectedMessageCount(0);

        Exchange result = run("direct:failing");

        MockEndpoint.assertIsSatisfied(context);
        assertNull(result.getException(), "handled");
        FlujoStepFailedException caught = assertInstanceOf(FlujoStepFailedException.class,
                failed.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals("summarize", caught.getStepName());
        assertEquals(2, caught.getAttempts());
        assertEquals(2, caught.getFeedback().size());
        assertEquals("model unavailable", caught.getCause().getMessage());
        assertEquals(2, alwaysFails.calls());
        assertEquals(0, getMockEndpoint("mock:overBudget").getReceivedCounter());
    }

    @Test
    void onExceptionHandlesAUsageLimitBreach() throws Exception {
        MockEndpoint overBudget = getMockEndpoint("mock:overBudget");
        overBudget.expectedMessageCount(1);
        getMockEndpoint("mock:never").expectedMessageCount(0);

        template.sendBody("direct:expensive", "q");

        MockEndpoint.assertIsSatisfied(context);
        UsageLimitExceededException caught = assertInstanceOf(UsageLimitExceededException.class,
                overBudget.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals("expensive", caught.getStepName());
        assertEquals(0, answersOk.calls(), "the next step's agent is never called");
        assertEquals(0, getMockEndpoint("mock:stepFailed").getReceivedCounter());
    }

    @Test
    void configurationErrorsAreFlujoExceptionsToo() throws Exception {
        MockEndpoint other = getMockEndpoint("mock:otherFlujoError");
        other.expectedMessageCount(1);

        template.send("direct:forged", e -> {
            e.getMessage().setBody("q");
            e.setProperty(FlujoConstants.RUN, "forged");
        });

        other.assertIsSatisfied();
        assertInstanceOf(FlujoConfigurationException.class,
                other.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(0, answersOk.calls());
    }

    @Test
    void doCatchMatchesAFailedStep() throws Exception {
        MockEndpoint after = getMockEndpoint("mock:afterTry");
        after.expectedBodiesReceived("canned answer");

        template.sendBody("direct:tryCatch", "q");

        after.assertIsSatisfied();
        assertEquals(1, alwaysFails.calls());
        Exception caught = after.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertTrue(caught instanceof FlujoStepFailedException, String.valueOf(caught));
    }
}
