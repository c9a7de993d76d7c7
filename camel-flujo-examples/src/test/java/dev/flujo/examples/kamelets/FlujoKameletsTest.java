package dev.flujo.examples.kamelets;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.camel.FlujoComponent;
import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.state.ResumeRejectedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads every Kamelet of {@code catalog/kamelets} with camel-kamelet (that directory is the Kamelet component's only
 * location, so nothing comes from the classpath) and runs it in a route with deterministic in-JVM agents and
 * {@code direct:} branches.
 */
class FlujoKameletsTest extends CamelTestSupport {

    /** Text with every character a URI treats specially, which a human step's message must keep. */
    static final String MESSAGE = "Send \"${body}\"? 100% sure & no + typos (#1)";
    static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\"]}";

    private final List<AgentRequest> summarizerRequests = new CopyOnWriteArrayList<>();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        assertTrue(Files.isDirectory(KameletCatalogTest.catalog()), KameletCatalogTest.catalog().toString());
        context.getComponent("kamelet", KameletComponent.class)
                .setLocation("file:" + KameletCatalogTest.catalog().toAbsolutePath());
        return context;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        // short enough but shouting at first (only the part of validate after its && refuses it); then calm
        registry.bind("summarizer", (FlujoAgent) request -> {
            summarizerRequests.add(request);
            String input = String.valueOf(request.input());
            return answer(request.feedback() == null ? "SHOUTED: " + input + "!" : "short: " + input);
        });
        registry.bind("silent", (FlujoAgent) request -> new CompletableFuture<>());
        registry.bind("quick", (FlujoAgent) request -> answer("from the fallback"));
        registry.bind("broken",
                (FlujoAgent) request -> CompletableFuture.failedFuture(new IllegalStateException("down")));
        registry.bind("router", (FlujoAgent) request -> answer(
                String.valueOf(request.input()).contains("angry") ? "refund,escalate" : "faq"));
    }

    private static CompletableFuture<AgentResponse> answer(Object output) {
        return CompletableFuture.completedFuture(AgentResponse.of(output));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:step")
                        .to("kamelet:flujo-step-action?name=summarize&agent=#summarizer&maxRetries=2"
                            + "&validate=RAW(${body.length} <= 20 && ${body} !contains '!')&sinkTo=summary");
                from("direct:timeout")
                        .to("kamelet:flujo-step-action?name=slow&agent=#silent&flujoTimeout=50ms&maxRetries=0"
                            + "&fallback=#quick");
                from("direct:defaults").to("kamelet:flujo-step-action?name=unset&agent=#broken");
                from("direct:explicit").to("kamelet:flujo-step-action?name=explicit&agent=#broken&maxRetries=0");

                from("direct:parallel")
                        .to("kamelet:flujo-parallel-action?name=review"
                            + "&branches=research=direct:research,critic=direct:critic&maxConcurrency=2");
                from("direct:research").setProperty("found", constant("facts")).transform(simple("r:${body}"));
                from("direct:critic").setProperty("verdict", constant("ok")).transform(simple("c:${body}"));

                from("direct:loop")
                        .to("kamelet:flujo-loop-action?name=polish&body=direct:improve"
                            + "&until=RAW(${body.length} >= 4)&maxLoops=5");
                from("direct:short-loop")
                        .to("kamelet:flujo-loop-action?name=cut&body=direct:improve&until=RAW(${body.length} >= 9)"
                            + "&maxLoops=2");
                from("direct:improve").transform(simple("${body}+"));

                from("direct:conditional")
                        .to("kamelet:flujo-conditional-action?name=byTopic&condition=RAW(${exchangeProperty.topic})"
                            + "&branches=billing=direct:billing,tech=direct:tech&default=direct:general");
                labelling("billing", "tech", "general");

                from("direct:router")
                        .to("kamelet:flujo-router-action?name=triage&agent=#router"
                            + "&branches=refund=direct:refund,escalate=direct:escalate,faq=direct:faq");
                labelling("refund", "escalate", "faq");

                from("direct:map").to("kamelet:flujo-map-action?name=each&body=direct:improve&maxConcurrency=2");

                from("direct:reply")
                        .setProperty("draft", simple("${body}"))
                        .to("kamelet:flujo-human-action?name=approve&message=RAW(" + MESSAGE + ")"
                            + "&resumeUri=direct:send&stateStore=memory&answerSchema=RAW(" + SCHEMA + ")")
                        .to("mock:not-reached");
                from("direct:send")
                        .setBody(simple("${exchangeProperty.draft}: approved=${body[approved]}"))
                        .to("mock:sent");
                from("direct:answer").to("kamelet:flujo-resume-action?stateStore=memory");
            }

            /** A branch per name: direct:NAME answers NAME:input. */
            private void labelling(String... names) {
                for (String name : names) {
                    from("direct:" + name).transform(simple(name + ":${body}"));
                }
            }
        };
    }

    @Test
    void stepRetriesWithFeedbackUntilTheValidationHolds() {
        Exchange out = succeeded("direct:step", "ticket 7");
        assertEquals("short: ticket 7", out.getMessage().getBody());
        assertEquals("summarize", out.getMessage().getHeader(FlujoConstants.STEP_NAME));
        assertEquals(Boolean.TRUE, out.getMessage().getHeader(FlujoConstants.SUCCESS));
        assertEquals(2, out.getMessage().getHeader(FlujoConstants.ATTEMPTS, Integer.class));
        assertEquals("short: ticket 7", out.getProperty("summary"));
        // the validate expression (&&, <=, quotes) reached flujo whole: cut at the '&', it would have let the
        // first answer pass
        assertEquals(2, summarizerRequests.size());
        assertNull(summarizerRequests.get(0).feedback());
        String feedback = summarizerRequests.get(1).feedback();
        assertTrue(feedback.contains("!contains '!'"), feedback);
    }

    @Test
    void flujoTimeoutIsTheStepsTimeout() {
        Exchange out = succeeded("direct:timeout", "anything");
        assertEquals("from the fallback", out.getMessage().getBody());
        assertEquals(50L, stepEndpoint("slow").getConfiguration().getTimeout());
    }

    @Test
    void unsetOptionsLeaveTheComponentInCharge() {
        // an option the Kamelet was not given is not in the flujo URI, so a component-wide change reaches it;
        // one it was given wins, as a URI option does
        context.getComponent("flujo", FlujoComponent.class).reconfigure(Map.of("maxRetries", 3));

        assertEquals(4, failedAttempts("direct:defaults"));
        assertEquals(1, failedAttempts("direct:explicit"));
        assertFalse(stepEndpoint("unset").getOptimizationStats().containsKey("ineffectiveOptions"),
                () -> stepEndpoint("unset").getOptimizationStats().toString());
        String uri = stepEndpoint("unset").getEndpointUri();
        assertFalse(uri.contains("maxRetries"), uri);
    }

    /** Sends the body and returns the exchange, which must have succeeded. */
    private Exchange succeeded(String uri, Object body) {
        Exchange out = template.request(uri, e -> e.getMessage().setBody(body));
        assertNull(out.getException(), () -> "failed: " + out.getException());
        return out;
    }

    private int failedAttempts(String uri) {
        Exchange out = template.request(uri, e -> e.getMessage().setBody("x"));
        return assertInstanceOf(FlujoStepFailedException.class, out.getException()).getAttempts();
    }

    private FlujoEndpoint stepEndpoint(String name) {
        return context.getEndpoints().stream()
                .filter(e -> e instanceof FlujoEndpoint f && f.getName().equals(name))
                .map(FlujoEndpoint.class::cast).findFirst().orElseThrow();
    }

    @Test
    void parallelRunsBothBranchesAndMergesTheirProperties() {
        Exchange out = succeeded("direct:parallel", "x");
        assertEquals(Map.of("research", "r:x", "critic", "c:x"), out.getMessage().getBody());
        assertEquals(List.of("research", "critic"), List.copyOf(out.getMessage().getBody(Map.class).keySet()));
        assertEquals("facts", out.getProperty("found"));
        assertEquals("ok", out.getProperty("verdict"));
        assertEquals("review", out.getMessage().getHeader(FlujoConstants.STEP_NAME));
    }

    @Test
    void loopRunsTheBodyUntilTheConditionHolds() {
        Exchange out = succeeded("direct:loop", "x");
        assertEquals("x+++", out.getMessage().getBody());
        assertEquals("condition", out.getMessage().getHeader(FlujoConstants.EXIT_REASON));

        Exchange failed = template.request("direct:short-loop", e -> e.getMessage().setBody("x"));
        assertInstanceOf(FlujoStepFailedException.class, failed.getException());
        assertEquals("maxLoops", failed.getMessage().getHeader(FlujoConstants.EXIT_REASON));
    }

    @Test
    void conditionalRunsTheBranchOfTheKeyElseTheDefault() {
        assertEquals("billing:q", conditional("billing"));
        assertEquals("tech:q", conditional("tech"));
        assertEquals("general:q", conditional("legal"));
    }

    private Object conditional(String topic) {
        Exchange out = template.request("direct:conditional", e -> {
            e.setProperty("topic", topic);
            e.getMessage().setBody("q");
        });
        assertNull(out.getException());
        return out.getMessage().getBody();
    }

    @Test
    void routerRunsTheBranchesItsAgentNames() {
        assertEquals(Map.of("refund", "refund:angry customer", "escalate", "escalate:angry customer"),
                template.requestBody("direct:router", "angry customer"));
        assertEquals(Map.of("faq", "faq:how to log in"), template.requestBody("direct:router", "how to log in"));
    }

    @Test
    void mapRunsTheBodyPerItemInOrder() {
        assertEquals(List.of("a+", "b+", "c+"), template.requestBody("direct:map", List.of("a", "b", "c")));
    }

    @Test
    void humanPausesAndResumeContinuesWithTheAnswer() throws Exception {
        MockEndpoint notReached = getMockEndpoint("mock:not-reached");
        MockEndpoint sent = getMockEndpoint("mock:sent");

        Exchange paused = succeeded("direct:reply", "hello");
        assertEquals(FlujoConstants.STATUS_PAUSED, paused.getMessage().getHeader(FlujoConstants.STATUS));
        assertEquals("Send \"hello\"? 100% sure & no + typos (#1)", paused.getMessage().getBody());
        assertEquals(0, notReached.getReceivedCounter(), "the route stops at the pause");
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        assertNotNull(runId);

        // the schema passed through the Kamelet: an answer without "approved" is refused, the run stays paused
        Exchange refused = resume(runId, "{\"nope\": 1}");
        assertTrue(assertInstanceOf(ResumeRejectedException.class, refused.getException()).getMessage()
                .contains("approved"), refused.getException().getMessage());
        assertEquals(0, sent.getReceivedCounter());

        sent.expectedBodiesReceived("hello: approved=true");
        Exchange resumed = resume(runId, "{\"approved\": true}");
        assertNull(resumed.getException());
        assertEquals("hello: approved=true", resumed.getMessage().getBody());
        sent.assertIsSatisfied();

        assertInstanceOf(ResumeRejectedException.class, resume(runId, "{\"approved\": true}").getException(),
                "a run resumes once");
    }

    private Exchange resume(String runId, String answer) {
        return template.request("direct:answer", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody(answer);
        });
    }

    /** What Karavan writes for a Kamelet step: the URI and a map of parameters, values as typed in the form. */
    @Test
    void yamlRouteWithKameletParameters() throws Exception {
        String route = """
                - route:
                    from:
                      uri: direct:yaml-loop
                      steps:
                        - to:
                            uri: kamelet:flujo-loop-action
                            parameters:
                              name: yamlPolish
                              body: direct:improve
                              until: "${body.length} >= 3"
                              maxLoops: 4
                """;
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("karavan.camel.yaml", route));

        Exchange out = succeeded("direct:yaml-loop", "y");
        assertEquals("y++", out.getMessage().getBody());
        assertEquals("yamlPolish", out.getMessage().getHeader(FlujoConstants.STEP_NAME));
    }
}
