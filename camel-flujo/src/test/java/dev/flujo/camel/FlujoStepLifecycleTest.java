package dev.flujo.camel;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentTimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Steps keep working across route and context restarts (the plan and the executor's pools are rebuilt). */
class FlujoStepLifecycleTest extends CamelTestSupport {

    private final TestAgents.PendingAgent neverAnswers = new TestAgents.PendingAgent(4);
    private final TestAgents.CountingAgent answersOk = TestAgents.answering(r -> "ok " + r.input());

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("neverAnswers", neverAnswers);
        registry.bind("answersOk", answersOk);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ok").routeId("ok").to("flujo:step:ok?agent=#answersOk&cache=true");
                from("direct:timeout").routeId("timeout")
                        .to("flujo:step:timeout?agent=#neverAnswers&timeout=50ms&maxRetries=0");
                from("direct:endpoint").routeId("endpoint").to("flujo:step:endpoint?agent=direct:llm");
                from("direct:llm").routeId("llm").setBody(simple("llm ${body}"));
            }
        };
    }

    @AfterEach
    void release() {
        neverAnswers.releaseAll("released");
    }

    private Exchange run(String uri) {
        return template.request(uri, e -> e.getMessage().setBody("q"));
    }

    @Test
    void routeRestart() throws Exception {
        assertEquals("ok q", run("direct:ok").getMessage().getBody());

        context.getRouteController().stopRoute("ok");
        context.getRouteController().startRoute("ok");

        Exchange result = run("direct:ok");
        assertNull(result.getException());
        assertEquals("ok q", result.getMessage().getBody());
    }

    @Test
    void routeRestartKeepsTimeoutsAndEndpointAgentsWorking() throws Exception {
        assertInstanceOf(AgentTimeoutException.class,
                exceptionOf(run("direct:timeout"), FlujoStepFailedException.class).getCause());
        assertEquals("llm q", run("direct:endpoint").getMessage().getBody());

        for (String route : new String[] {"timeout", "endpoint", "llm"}) {
            context.getRouteController().stopRoute(route);
        }
        for (String route : new String[] {"llm", "endpoint", "timeout"}) {
            context.getRouteController().startRoute(route);
        }

        Exchange result = run("direct:timeout");
        assertNotNull(result.getException());
        assertInstanceOf(AgentTimeoutException.class, exceptionOf(result, FlujoStepFailedException.class).getCause());
        assertEquals("llm q", run("direct:endpoint").getMessage().getBody());
        assertEquals(2, neverAnswers.calls.size());
    }
}
