package dev.flujo.camel.flow;

import java.util.List;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** flujo:loop with a route as body: exit by condition, maxLoops, a failing body, a condition over properties. */
class FlujoLoopTest extends CamelTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:refine").to("mock:refine").transform(simple("${body}+"));
                from("direct:loop").to("flujo:loop:refineLoop?body=direct:refine&until=${body.length} >= 4&maxLoops=5")
                        .to("mock:after-loop");
                from("direct:endless").to("flujo:loop:endless?body=direct:refine&until=${body} == 'never'&maxLoops=3")
                        .to("mock:after-endless");

                from("direct:fragile").to("mock:fragile").choice()
                        .when(simple("${body.length} >= 3")).throwException(IllegalStateException.class, "too long: ${body}")
                        .otherwise().transform(simple("${body}+"));
                from("direct:fragile-loop").to("flujo:loop:fragileLoop?body=direct:fragile&until=${body} == 'never'"
                                               + "&maxLoops=5");

                from("direct:count").to("mock:count")
                        .process(e -> e.setProperty("count", e.getProperty("count", 0, Integer.class) + 1))
                        .setProperty("lastBranch", header(FlujoConstants.BRANCH));
                from("direct:count-loop").to("flujo:loop:countLoop?body=direct:count"
                                             + "&until=${exchangeProperty.count} >= 3&maxLoops=10");
            }
        };
    }

    @Test
    void exitsWhenTheConditionHolds() throws Exception {
        getMockEndpoint("mock:refine").expectedBodiesReceived("x", "x+", "x++");
        getMockEndpoint("mock:after-loop").expectedBodiesReceived("x+++");
        getMockEndpoint("mock:after-loop").expectedHeaderReceived(FlujoConstants.EXIT_REASON, "condition");

        Exchange out = template.request("direct:loop", e -> e.getMessage().setBody("x"));

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        StepResult result = lastResult(out, "refineLoop");
        assertEquals("loop", result.metadata().get(StepResult.META_KIND));
        assertEquals("condition", result.metadata().get(StepResult.META_EXIT_REASON));
        assertEquals(List.of("iteration-1", "iteration-2", "iteration-3"), names(result.children()));
    }

    @Test
    void reachingMaxLoopsIsAFailureNamingIt() throws Exception {
        getMockEndpoint("mock:refine").expectedMessageCount(3);
        getMockEndpoint("mock:after-endless").expectedMessageCount(0);

        Exchange out = template.request("direct:endless", e -> e.getMessage().setBody("x"));

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("endless", failure.getStepName());
        assertContains(failure.getMessage(), "maxLoops=3");
        assertEquals("maxLoops", out.getMessage().getHeader(FlujoConstants.EXIT_REASON));
        assertEquals(false, out.getMessage().getHeader(FlujoConstants.SUCCESS));
        assertEquals(3, failure.getResult().children().size());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aFailingBodyFailsTheLoop() throws Exception {
        getMockEndpoint("mock:fragile").expectedBodiesReceived("x", "x+", "x++");

        Exchange out = template.request("direct:fragile-loop", e -> e.getMessage().setBody("x"));

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("fragileLoop", failure.getStepName());
        assertContains(messages(failure), "iteration 3 failed", "too long: x++");
        assertEquals("bodyError", out.getMessage().getHeader(FlujoConstants.EXIT_REASON));
        assertEquals("bodyError", failure.getResult().metadata().get(StepResult.META_EXIT_REASON));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void untilSeesThePropertiesTheBodyRouteWrote() throws Exception {
        MockEndpoint body = getMockEndpoint("mock:count");
        body.expectedMessageCount(3);
        body.message(0).header(FlujoConstants.BRANCH).isEqualTo("iteration-1");
        body.message(2).header(FlujoConstants.BRANCH).isEqualTo("iteration-3");
        body.message(1).exchangeProperty("count").isEqualTo(1);

        Exchange out = template.request("direct:count-loop", e -> e.getMessage().setBody("x"));

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals(3, out.getProperty("count"), "each iteration sees the previous one's writes; the last are kept");
        assertEquals("iteration-3", out.getProperty("lastBranch"));
        assertEquals("condition", out.getMessage().getHeader(FlujoConstants.EXIT_REASON));
    }
}
