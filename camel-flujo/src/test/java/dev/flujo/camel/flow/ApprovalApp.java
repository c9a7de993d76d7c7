package dev.flujo.camel.flow;

import java.util.concurrent.CompletableFuture;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A small approval application, in two halves that may run in different Camel contexts or JVMs: the half that drafts a
 * reply and pauses the run for a person, and the half that resumes it and continues.
 */
final class ApprovalApp {

    /** What a draft costs: 7 input and 5 output tokens. */
    static final Usage DRAFT_USAGE = Usage.tokens(7, 5);

    private ApprovalApp() {
    }

    /** A context with the pausing half: direct:review drafts with #drafter and pauses at flujo:human:approve. */
    static DefaultCamelContext pausing(String stateUrl) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("drafter", (FlujoAgent) request -> CompletableFuture.completedFuture(
                AgentResponse.of("draft for " + request.input(), DRAFT_USAGE)));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:review").routeId("review")
                        .setProperty("customer", constant("ada"))
                        .to("flujo:step:draft?agent=#drafter")
                        .to("flujo:human:approve?message=Approve ${body}?&answerSchema=RAW("
                            + FlujoHumanResumeTest.SCHEMA + ")&resumeUri=direct:after-approval&stateUrl=" + stateUrl)
                        .to("mock:not-reached");
            }
        });
        return camel;
    }

    /** Adds the resuming half: direct:resume continues at direct:after-approval, which ends at mock:approved. */
    static void addResuming(CamelContext camel, String stateUrl) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:resume").routeId("resume").to("flujo:resume?stateUrl=" + stateUrl);
                from("direct:after-approval").routeId("after-approval")
                        .setBody(simple("${exchangeProperty.customer}: approved=${body[approved]}"))
                        .to("mock:approved");
            }
        });
    }
}
