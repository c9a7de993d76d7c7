package dev.flujo.camel;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentTimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.apache.camel.builder.Builder.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Steps keep working across route and context restarts (the plan and the executor's pools are rebuilt). */
class FlujoStepLifecycleTest extends FlujoRouteTestSupport {

    private final TestAgents.PendingAgent neverAnswers = bind("neverAnswers", new TestAgents.PendingAgent(4));
    private final TestAgents.CountingAgent answersOk = bind("answersOk", TestAgents.answering(r -> "ok " + r.input()));

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:ok").routeId("ok").to("flujo:step:ok?agent=#answersOk&cache=true");
        r.from("direct:timeout").routeId("timeout")
                .to("flujo:step:timeout?agent=#neverAnswers&timeout=50ms&maxRetries=0");
        r.from("direct:endpoint").routeId("endpoint").to("flujo:step:endpoint?agent=direct:llm");
        r.from("direct:llm").routeId("llm").setBody(simple("llm ${body}"));
    }

    @AfterEach
    void release() {
        neverAnswers.releaseAll("released");
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

        for (String route : new String[] { "timeout", "endpoint", "llm" }) {
            context.getRouteController().stopRoute(route);
        }
        for (String route : new String[] { "llm", "endpoint", "timeout" }) {
            context.getRouteController().startRoute(route);
        }

        Exchange result = run("direct:timeout");
        assertNotNull(result.getException());
        assertInstanceOf(AgentTimeoutException.class, exceptionOf(result, FlujoStepFailedException.class).getCause());
        assertEquals("llm q", run("direct:endpoint").getMessage().getBody());
        assertEquals(2, neverAnswers.calls.size());
    }
}
