package dev.flujo.camel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.PluginInput;
import dev.flujo.core.step.PluginOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** plugins: descending priority; success, feedback, new solution and redirect; redirect cycles. */
class FlujoStepPluginTest extends FlujoRouteTestSupport {

    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<Object> seenOutputs = new CopyOnWriteArrayList<>();
    private final TestAgents.CountingAgent draft = bind("draft", TestAgents.answering("draft"));
    private final TestAgents.ScriptedAgent roughThenPolished = bind("roughThenPolished",
            TestAgents.scripted("rough", "polished"));
    private final TestAgents.CountingAgent agentA = bind("agentA", TestAgents.answering("from a"));
    private final TestAgents.CountingAgent agentB = bind("agentB", TestAgents.answering("from b"));
    private final TestAgents.CountingAgent expert = bind("expert",
            TestAgents.answering(r -> "expert(" + r.input() + ")"));
    private final AtomicInteger expertRoute = new AtomicInteger();
    private final AtomicInteger flakyPluginRuns = new AtomicInteger();

    /** A plugin that records its name in {@link #order} and returns a fixed outcome. */
    private FlujoPlugin recording(String name, int priority, PluginOutcome outcome) {
        return new FlujoPlugin() {
            @Override
            public PluginOutcome apply(PluginInput input) {
                order.add(name);
                seenOutputs.add(input.output());
                return outcome;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** Redirects every output produced by {@code from} to {@code to}. */
    private static FlujoPlugin redirecting(String from, String to) {
        return input -> from.equals(input.agent()) ? PluginOutcome.redirect(to) : PluginOutcome.success();
    }

    // beans the routes name that no test reads back
    {
        bind("low", recording("low", 1, PluginOutcome.success()));
        bind("high", recording("high", 10, PluginOutcome.success()));
        bind("mid", recording("mid", 5, PluginOutcome.success()));
        bind("rewrite", recording("rewrite", 10, PluginOutcome.newSolution("rewritten")));
        bind("observer", recording("observer", 1, PluginOutcome.success()));
        bind("rejectRough", new FlujoPlugin() {
            @Override
            public PluginOutcome apply(PluginInput input) {
                return "rough".equals(input.output())
                        ? PluginOutcome.feedback("too rough, polish it")
                        : PluginOutcome.success();
            }

            @Override
            public String name() {
                return "rejectRough";
            }
        });
        bind("stopper", recording("stopper", 10, PluginOutcome.feedback("never good enough")));
        bind("afterStopper", recording("afterStopper", 1, PluginOutcome.success()));
        bind("toExpert", redirecting("#draft", "#expert"));
        bind("toExpertRoute", redirecting("#draft", "direct:expert"));
        bind("aToB", redirecting("#agentA", "#agentB"));
        bind("bToA", redirecting("#agentB", "#agentA"));
        bind("toSelf", redirecting("#agentA", "#agentA"));
        bind("toNowhere", redirecting("#draft", "#noSuchAgent"));
        bind("flaky", (FlujoPlugin) input -> {
            if (flakyPluginRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("plugin crashed");
            }
            return PluginOutcome.success();
        });
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:priority").to("flujo:step:priority?agent=#draft&plugins=#low,#high,#mid");
        r.from("direct:feedback").to("flujo:step:feedback?agent=#roughThenPolished&plugins=#rejectRough");
        r.from("direct:newSolution").to("flujo:step:newSolution?agent=#draft&plugins=#observer,#rewrite");
        r.from("direct:stop").to("flujo:step:stop?agent=#draft&maxRetries=0&plugins=#afterStopper,#stopper");
        r.from("direct:redirect").to("flujo:step:redirect?agent=#draft&plugins=#toExpert");
        r.from("direct:redirectRoute").to("flujo:step:redirectRoute?agent=#draft&plugins=#toExpertRoute");
        r.from("direct:expert").process(e -> {
            expertRoute.incrementAndGet();
            e.getMessage().setBody("route-expert(" + e.getMessage().getBody() + ")");
        });
        r.from("direct:cycle").to("flujo:step:cycle?agent=#agentA&plugins=#aToB,#bToA");
        r.from("direct:self").to("flujo:step:self?agent=#agentA&plugins=#toSelf");
        r.from("direct:nowhere").to("flujo:step:nowhere?agent=#draft&plugins=#toNowhere");
        r.from("direct:flaky").to("flujo:step:flaky?agent=#draft&plugins=#flaky");
    }

    @Test
    void pluginsRunByDescendingPriority() {
        Exchange result = run("direct:priority");

        assertEquals("draft", result.getMessage().getBody());
        assertEquals(List.of("high", "mid", "low"), order);
    }

    @Test
    void feedbackOutcomeRetriesWithThePluginsFeedback() {
        Exchange result = run("direct:feedback");

        assertNull(result.getException());
        assertEquals("polished", result.getMessage().getBody());
        assertEquals(2, roughThenPolished.calls());
        String feedback = roughThenPolished.request(1).feedback();
        assertTrue(feedback.contains("too rough, polish it"), feedback);
    }

    @Test
    void newSolutionReplacesTheOutputForLaterPlugins() {
        Exchange result = run("direct:newSolution");

        assertEquals("rewritten", result.getMessage().getBody());
        assertEquals(List.of("rewrite", "observer"), order);
        assertEquals(List.of("draft", "rewritten"), seenOutputs);
    }

    @Test
    void feedbackEndsThePluginChain() {
        Exchange result = run("direct:stop");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(List.of("stopper"), order, "the lower-priority plugin never ran");
        assertTrue(failure.getFeedback().get(0).contains("never good enough"));
    }

    @Test
    void redirectCallsAnotherBeanAgentWithTheSameInput() {
        Exchange result = run("direct:redirect");

        assertEquals("expert(q)", result.getMessage().getBody());
        assertEquals(1, draft.calls());
        assertEquals(1, expert.calls());
        StepResult step = runOf(result).lastResult("redirect");
        assertEquals(List.of("#expert"), step.metadata().get(StepResult.META_REDIRECTS));
    }

    @Test
    void redirectToAnEndpoint() {
        Exchange result = run("direct:redirectRoute");

        assertEquals("route-expert(q)", result.getMessage().getBody());
        assertEquals(1, expertRoute.get());
    }

    @Test
    void redirectCycleIsAClearErrorNotALoop() {
        Exchange result = run("direct:cycle");

        FlujoConfigurationException error = exceptionOf(result, FlujoConfigurationException.class);
        assertTrue(error.getMessage().contains("redirect cycle"), error.getMessage());
        assertTrue(error.getMessage().contains("#agentA -> #agentB -> #agentA"), error.getMessage());
        // not retried: a cycle is a configuration error
        assertEquals(1, agentA.calls());
        assertEquals(1, agentB.calls());
    }

    @Test
    void redirectToTheSameAgentIsACycle() {
        Exchange result = run("direct:self");

        exceptionOf(result, FlujoConfigurationException.class);
        assertEquals(1, agentA.calls());
    }

    @Test
    void redirectToAnUnknownAgentNamesTheReference() {
        Exchange result = run("direct:nowhere");

        FlujoConfigurationException error = exceptionOf(result, FlujoConfigurationException.class);
        assertTrue(error.getMessage().contains("#noSuchAgent"), error.getMessage());
        assertEquals(1, draft.calls());
    }

    @Test
    void throwingPluginFailsTheAttempt() {
        Exchange result = run("direct:flaky");

        assertNull(result.getException());
        assertEquals(2, draft.calls());
        assertTrue(draft.request(1).feedback().contains("plugin crashed"), draft.request(1).feedback());
    }
}
