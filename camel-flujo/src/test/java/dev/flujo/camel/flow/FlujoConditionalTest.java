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

/** flujo:conditional: the branch of the condition's key, the default, or a failure naming the key. */
class FlujoConditionalTest extends CamelTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:billing").to("mock:billing").setProperty("handledBy", constant("billing"))
                        .transform(simple("billing:${body}"));
                from("direct:tech").to("mock:tech").transform(simple("tech:${body}"));
                from("direct:general").to("mock:general").transform(simple("general:${body}"));

                from("direct:with-default").to("flujo:conditional:triage?condition=${exchangeProperty.category}"
                                               + "&branches=billing=direct:billing,tech=direct:tech&default=direct:general");
                from("direct:no-default").to("flujo:conditional:strict?condition=${header.category}"
                                             + "&branches=billing=direct:billing,tech=direct:tech")
                        .to("mock:after-strict");
            }
        };
    }

    @Test
    void runsTheBranchOfTheKeyAndKeepsItsWrites() throws Exception {
        getMockEndpoint("mock:billing").expectedBodiesReceived("refund please");
        getMockEndpoint("mock:billing").expectedHeaderReceived(FlujoConstants.BRANCH, "billing");
        getMockEndpoint("mock:tech").expectedMessageCount(0);
        getMockEndpoint("mock:general").expectedMessageCount(0);

        Exchange out = template.request("direct:with-default", e -> {
            e.setProperty("category", "billing");
            e.getMessage().setBody("refund please");
        });

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals("billing:refund please", out.getMessage().getBody());
        assertEquals("billing", out.getProperty("handledBy"));
        StepResult result = lastResult(out, "triage");
        assertEquals(List.of("billing"), result.metadata().get(StepResult.META_CHOSEN));
        assertEquals(List.of("billing"), names(result.children()));
    }

    @Test
    void runsTheDefaultWhenNoBranchHasTheKey() throws Exception {
        getMockEndpoint("mock:general").expectedBodiesReceived("hello");
        getMockEndpoint("mock:general").expectedHeaderReceived(FlujoConstants.BRANCH, "default");
        getMockEndpoint("mock:billing").expectedMessageCount(0);

        Exchange out = template.request("direct:with-default", e -> {
            e.setProperty("category", "smalltalk");
            e.getMessage().setBody("hello");
        });

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals("general:hello", out.getMessage().getBody());
        assertEquals(List.of("default"), lastResult(out, "triage").metadata().get(StepResult.META_CHOSEN));
    }

    @Test
    void noBranchAndNoDefaultFailsNamingTheKey() throws Exception {
        getMockEndpoint("mock:after-strict").expectedMessageCount(0);
        getMockEndpoint("mock:billing").expectedMessageCount(0);
        getMockEndpoint("mock:tech").expectedMessageCount(0);

        Exchange out = template.request("direct:no-default", e -> {
            e.getMessage().setHeader("category", "legal");
            e.getMessage().setBody("q");
        });

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("strict", failure.getStepName());
        assertContains(failure.getMessage(), "no branch for key 'legal'", "billing, tech");
        assertEquals(false, out.getMessage().getHeader(FlujoConstants.SUCCESS));
        MockEndpoint.assertIsSatisfied(context);
    }
}
