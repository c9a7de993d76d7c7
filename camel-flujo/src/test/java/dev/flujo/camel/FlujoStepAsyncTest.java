package dev.flujo.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.agent.AgentResponse;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer is asynchronous: while agents work, no route thread waits. 200 exchanges pass a route consumed by only 2
 * threads; all 200 agent calls must arrive while every answer is still pending.
 */
class FlujoStepAsyncTest extends FlujoRouteTestSupport {

    private static final int EXCHANGES = 200;

    private final TestAgents.PendingAgent agent = new TestAgents.PendingAgent(EXCHANGES);
    private final Set<String> agentThreads = ConcurrentHashMap.newKeySet();

    // beans the routes name that no test reads back
    {
        bind("pending", (dev.flujo.core.agent.FlujoAgent) request -> {
            agentThreads.add(Thread.currentThread().getName());
            return agent.call(request);
        });
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("seda:in?concurrentConsumers=2&size=1000&pollTimeout=100")
                .to("flujo:step:async?agent=#pending")
                .to("mock:out");
    }

    @AfterEach
    void releaseLeftovers() {
        agent.releaseAll("released");
    }

    @Test
    void twoThreadsCarry200ConcurrentAgentCallsWithoutWaiting() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:out");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < EXCHANGES; i++) {
            expected.add("answer-" + i);
        }
        out.expectedBodiesReceivedInAnyOrder(expected);
        out.expectedHeaderReceived(FlujoConstants.SUCCESS, true);
        NotifyBuilder done = new NotifyBuilder(context).from("seda:in*").whenCompleted(EXCHANGES).create();

        for (int i = 0; i < EXCHANGES; i++) {
            template.sendBody("seda:in", "prompt-" + i);
        }

        // every call arrives although only two consumer threads exist: none of them is parked on an answer
        assertTrue(agent.arrived().await(20, TimeUnit.SECONDS),
                "only " + agent.calls.size() + " of " + EXCHANGES + " agent calls arrived");
        assertEquals(EXCHANGES, agent.calls.size());
        assertTrue(agent.calls.stream().noneMatch(c -> c.future().isDone()), "all answers are still pending");
        assertTrue(agentThreads.size() <= 2, "calls came from the 2 consumer threads only: " + agentThreads);
        assertFalse(done.matches(), "no exchange can have finished before its agent answered");
        assertEquals(0, out.getReceivedCounter());

        for (TestAgents.PendingAgent.Call call : agent.calls) {
            String prompt = (String) call.request().input();
            call.future().complete(AgentResponse.of(prompt.replace("prompt-", "answer-")));
        }

        assertTrue(done.matches(20, TimeUnit.SECONDS), "200 exchanges completed");
        out.assertIsSatisfied();
        // each exchange is its own run
        Set<String> runIds = ConcurrentHashMap.newKeySet();
        out.getReceivedExchanges().forEach(e -> runIds.add(FlujoAssertions.runOf(e).runId()));
        assertEquals(EXCHANGES, runIds.size());
    }
}
