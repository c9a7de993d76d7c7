package dev.flujo.camel.flow;

import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A parallel step stops its other branches when one fails or the run's budget is spent - also when the branches are
 * routes whose flujo steps are waiting for an agent that never answers.
 */
class FlujoBranchCancellationTest extends CamelTestSupport {

    private static final long WAIT = 10;

    /** Branch "slow" of the race: its agent never answers; the broken branch fails once it is called. */
    private final TestAgents.PendingAgent neverAnswers = new TestAgents.PendingAgent(1);
    /** Budget test: the waiter's first step calls this and waits; the spender breaches the limit meanwhile. */
    private final TestAgents.PendingAgent waiterAgent = new TestAgents.PendingAgent(1);
    private final TestAgents.CountingAgent afterWait = TestAgents.answering("after wait", Usage.tokens(1, 1));
    private final TestAgents.CountingAgent bigSpender = TestAgents.answering("spent", Usage.tokens(100, 50));

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("neverAnswers", neverAnswers);
        registry.bind("waiterAgent", waiterAgent);
        registry.bind("afterWait", afterWait);
        registry.bind("bigSpender", bigSpender);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:race").to("flujo:parallel:race?branches=slow=direct:slow,broken=direct:broken")
                        .to("mock:race-done");
                from("direct:slow").to("flujo:step:slowStep?agent=#neverAnswers&maxRetries=3");
                from("direct:broken").process(e -> {
                    // fail only once the slow branch's agent call is in flight, so that call must be abandoned
                    if (!neverAnswers.arrived().await(WAIT, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the slow branch never called its agent");
                    }
                    throw new IllegalStateException("broken branch");
                });

                from("direct:budget").to("flujo:parallel:budget?branches=spender=direct:spender,waiter=direct:waiter"
                                         + "&tokenLimit=100")
                        .to("mock:budget-done");
                from("direct:spender").process(e -> {
                    if (!waiterAgent.arrived().await(WAIT, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the waiter never called its agent");
                    }
                }).to("flujo:step:spend?agent=#bigSpender");
                from("direct:waiter").to("flujo:step:wait1?agent=#waiterAgent&maxRetries=3")
                        .to("flujo:step:wait2?agent=#afterWait");
            }
        };
    }

    @AfterEach
    void releasePendingCalls() {
        neverAnswers.releaseAll("late", Usage.ZERO);
        waiterAgent.releaseAll("late", Usage.ZERO);
    }

    @Test
    void aFailingBranchCancelsTheSiblingWaitingForItsAgent() throws Exception {
        getMockEndpoint("mock:race-done").expectedMessageCount(0);
        NotifyBuilder failed = new NotifyBuilder(context).from("direct:race").whenFailed(1).create();

        Future<Exchange> reply = template.asyncSend("direct:race", e -> e.getMessage().setBody("q"));

        assertTrue(failed.matches(WAIT, TimeUnit.SECONDS), "the parallel exchange ends although an agent never answers");
        Exchange out = reply.get(WAIT, TimeUnit.SECONDS);
        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("race", failure.getStepName());
        assertContains(failure.getMessage(), "branch broken failed", "broken branch");
        StepResult slow = failure.getResult().children().get(0);
        assertEquals("slow", slow.name());
        assertEquals(true, slow.metadata().get(StepResult.META_CANCELLED), "the slow branch is reported cancelled");
        assertEquals(List.of("slowStep"), names(slow.children()));
        assertFalse(slow.children().get(0).success());
        assertEquals(1, neverAnswers.calls(), "a cancelled step is not retried, whatever maxRetries says");

        neverAnswers.releaseAll("late answer", Usage.ZERO);
        assertEquals(1, neverAnswers.calls(), "a late answer does not lead to another call");
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aUsageLimitBreachInOneBranchStopsEveryBranch() throws Exception {
        getMockEndpoint("mock:budget-done").expectedMessageCount(0);
        NotifyBuilder failed = new NotifyBuilder(context).from("direct:budget").whenFailed(1).create();

        Future<Exchange> reply = template.asyncSend("direct:budget", e -> e.getMessage().setBody("q"));

        assertTrue(failed.matches(WAIT, TimeUnit.SECONDS), "the breach ends the parallel exchange");
        Exchange out = reply.get(WAIT, TimeUnit.SECONDS);
        UsageLimitExceededException breach = exceptionOf(out, UsageLimitExceededException.class);
        assertEquals("spend", breach.getStepName(), "named after the step whose call went over the budget");
        assertEquals(150, breach.getTotals().totalTokens());
        List<StepResult> history = breach.getPartialHistory();
        StepResult parallel = history.get(history.size() - 1);
        assertEquals("budget", parallel.name());
        assertFalse(parallel.success());
        assertTrue(parallel.metadata().containsKey(StepResult.META_LIMIT_EXCEEDED), parallel.metadata().toString());
        assertEquals(List.of("spender", "waiter"), names(parallel.children()), "every branch is a child");
        StepResult spender = parallel.children().get(0);
        assertEquals(List.of("spend"), names(spender.children()));
        assertEquals(150, spender.usage().totalTokens());
        StepResult waiter = parallel.children().get(1);
        assertEquals(true, waiter.metadata().get(StepResult.META_CANCELLED));
        assertEquals(List.of("wait1"), names(waiter.children()), "the waiter's route stopped at its first step");

        assertEquals(1, bigSpender.calls());
        assertEquals(1, waiterAgent.calls(), "the waiting call is abandoned, not retried");
        assertEquals(0, afterWait.calls(), "no further agent call in the sibling branch");
        MockEndpoint.assertIsSatisfied(context);
    }
}
