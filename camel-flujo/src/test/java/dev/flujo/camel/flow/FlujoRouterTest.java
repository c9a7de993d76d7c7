package dev.flujo.camel.flow;

import java.util.List;
import java.util.Map;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** flujo:router: a router agent (a route or a bean) names the branches; unknown names are retried, then fail. */
class FlujoRouterTest extends CamelTestSupport {

    private final TestAgents.CountingAgent beanRouter = TestAgents.answering(List.of("b"));
    private final TestAgents.CountingAgent routerAgent = TestAgents.answering("a", Usage.tokens(7, 3));
    private final TestAgents.CountingAgent worker = TestAgents.answering(r -> "did " + r.input(), Usage.tokens(4, 1));

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("beanRouter", beanRouter);
        registry.bind("routerAgent", routerAgent);
        registry.bind("worker", worker);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("mock:a").setProperty("fromA", constant("A")).transform(simple("a:${body}"));
                from("direct:b").to("mock:b").transform(simple("b:${body}"));
                from("direct:c").to("mock:c").transform(simple("c:${body}"));

                from("direct:router-both").to("mock:router-both").setBody(constant("a, b"));
                from("direct:route-both").to("flujo:router:both?agent=direct:router-both"
                                             + "&branches=a=direct:a,b=direct:b,c=direct:c");

                from("direct:route-bean").to("flujo:router:viaBean?agent=#beanRouter&branches=a=direct:a,b=direct:b");

                from("direct:router-confused").to("mock:router-confused").setBody(constant("a,zzz"));
                from("direct:route-confused").to("flujo:router:confused?agent=direct:router-confused"
                                                 + "&branches=a=direct:a,b=direct:b")
                        .to("mock:after-confused");

                from("direct:router-learns").to("mock:router-learns").choice()
                        .when(header(FlujoConstants.FEEDBACK).isNull()).setBody(constant("zzz"))
                        .otherwise().setBody(constant("b"));
                from("direct:route-learns").to("flujo:router:learns?agent=direct:router-learns"
                                               + "&branches=a=direct:a,b=direct:b");

                // a router whose branch a is an agent step, at top level and nested in a branch of a parallel step
                from("direct:work").to("flujo:step:work?agent=#worker");
                from("direct:plain-b").setBody(constant("b"));
                from("direct:triage").to("flujo:router:triage?agent=#routerAgent"
                                         + "&branches=a=direct:work,b=direct:plain-b");
                from("direct:other").setBody(constant("other"));
                from("direct:outer-router").to("flujo:parallel:outer?branches=triage=direct:triage,other=direct:other");
            }
        };
    }

    @Test
    void runsEveryBranchTheRouterRouteNames() throws Exception {
        getMockEndpoint("mock:router-both").expectedBodiesReceived("q");
        getMockEndpoint("mock:a").expectedBodiesReceived("q");
        getMockEndpoint("mock:b").expectedBodiesReceived("q");
        getMockEndpoint("mock:c").expectedMessageCount(0);

        Exchange out = template.request("direct:route-both", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals(Map.of("a", "a:q", "b", "b:q"), out.getMessage().getBody());
        assertEquals("A", out.getProperty("fromA"));
        StepResult result = lastResult(out, "both");
        assertEquals("router", result.metadata().get(StepResult.META_KIND));
        assertEquals(List.of("a", "b"), result.metadata().get(StepResult.META_CHOSEN));
        assertEquals(List.of("both"), names(runOf(out).history()), "the routing call is recorded once");
        assertEquals(List.of("both.router", "a", "b"), names(result.children()),
                "the router agent's own step comes first among the children");
    }

    @Test
    void aBeanRouterMayAnswerWithAList() {
        assertEquals(Map.of("b", "b:q"), template.requestBody("direct:route-bean", "q"));
        assertEquals(1, beanRouter.calls());
    }

    @Test
    void anUnknownBranchIsRetriedWithFeedbackThenFailsNamingIt() throws Exception {
        MockEndpoint router = getMockEndpoint("mock:router-confused");
        router.expectedMessageCount(2);
        router.message(0).header(FlujoConstants.FEEDBACK).isNull();
        router.message(1).header(FlujoConstants.FEEDBACK).contains("unknown branch zzz");
        router.message(1).header(FlujoConstants.FEEDBACK).contains("choose from: a, b");
        getMockEndpoint("mock:a").expectedMessageCount(0);
        getMockEndpoint("mock:after-confused").expectedMessageCount(0);

        Exchange out = template.request("direct:route-confused", e -> e.getMessage().setBody("q"));

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertContains(failure.getMessage(), "zzz");
        assertEquals("confused", failure.getStepName(), "the router step fails, with its agent step as the cause");
        FlujoStepFailedException routing = assertInstanceOf(FlujoStepFailedException.class, failure.getCause());
        assertEquals("confused.router", routing.getStepName());
        assertEquals(2, routing.getAttempts());
        assertEquals(List.of("confused.router"), names(failure.getResult().children()));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void theRouterCanCorrectItselfFromTheFeedback() throws Exception {
        getMockEndpoint("mock:router-learns").expectedMessageCount(2);
        getMockEndpoint("mock:b").expectedMessageCount(1);

        assertEquals(Map.of("b", "b:q"), template.requestBody("direct:route-learns", "q"));

        MockEndpoint.assertIsSatisfied(context);
    }

    // --- usage of the routing call (from the review of the composite kinds) ---------------------------------------

    @Test
    void aRouterInsideAParallelBranchCountsItsRoutingCallOnce() {
        Exchange out = template.request("direct:outer-router", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(15, runOf(out).usage().totalTokens(), "router 10 + worker 5, booked once each");
        StepResult outer = lastResult(out, "outer");
        assertEquals(runOf(out).usage().totalTokens(), outer.usage().totalTokens(),
                "the parallel step's usage is what its branches spent: " + outer.children());
        assertEquals(11L, out.getMessage().getHeader(FlujoConstants.INPUT_TOKENS), "header of the parallel step");
        assertEquals(4L, out.getMessage().getHeader(FlujoConstants.OUTPUT_TOKENS));
    }

    // a pin: behaviour that is right
    @Test
    void aRouterAtTopLevelReportsItsUsageOnceInItsHeaders() {
        Exchange out = template.request("direct:triage", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(15, runOf(out).usage().totalTokens());
        assertEquals(11L, out.getMessage().getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(4L, out.getMessage().getHeader(FlujoConstants.OUTPUT_TOKENS));
        assertNotEquals(0, routerAgent.calls());
    }
}
