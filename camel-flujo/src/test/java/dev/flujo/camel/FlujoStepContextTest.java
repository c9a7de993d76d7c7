package dev.flujo.camel;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.PluginOutcome;
import dev.flujo.core.step.ValidationResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The context is the exchange's user properties, seen read-only; only a successful step writes to it (updatesContext,
 * sinkTo). The step's headers and the CamelFlujoRun property.
 */
class FlujoStepContextTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent recorder = bind("recorder", TestAgents.answering(r -> "seen"));
    private final List<String> readOnlyViolations = new CopyOnWriteArrayList<>();
    private final TestAgents.CountingAgent writer = bind("writer", TestAgents.answering(r -> {
        FlujoContext context = r.context();
        context.copy().put("copied", "x");
        try {
            context.asMap().put("written", "x");
            readOnlyViolations.add("agent");
        } catch (UnsupportedOperationException expected) {
            // read-only
        }
        return "written?";
    }));
    private final TestAgents.CountingAgent alwaysFails = bind("alwaysFails", TestAgents.failing("down"));
    private final TestAgents.CountingAgent draftAgent = bind("draftAgent",
            TestAgents.answering("the draft", Usage.tokens(10, 0)));
    private final TestAgents.CountingAgent readsDraft = bind("readsDraft",
            TestAgents.answering(r -> "final(" + r.context().get("draft") + ")", Usage.tokens(5, 0)));
    private final TestAgents.CountingAgent mapAgent = bind("mapAgent",
            TestAgents.answering(Map.of("summary", "short", "score", 3)));
    private final TestAgents.ScriptedAgent textThenMap = bind("textThenMap",
            TestAgents.scripted("not a map", Map.of("summary", "fixed")));
    private final TestAgents.ScriptedAgent staleThenGood = bind("staleThenGood",
            TestAgents.scripted(Map.of("stale", "yes", "x", 1), Map.of("x", 2)));
    private final TestAgents.CountingAgent reservedKey = bind("reservedKey",
            TestAgents.answering(Map.of("ok", 1, "CamelEvil", 2)));
    private final TestAgents.CountingAgent tokens10 = bind("tokens10",
            TestAgents.answering("first", Usage.of(10, 10, BigDecimal.ONE)));
    private final List<Map<String, Object>> agentRouteHeaders = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> agentRouteProperties = new CopyOnWriteArrayList<>();

    // beans the routes name that no test reads back
    {
        bind("writingValidator", (FlujoValidator) (output, context) -> {
            try {
                context.asMap().put("written", "x");
                readOnlyViolations.add("validator");
            } catch (UnsupportedOperationException expected) {
                // read-only
            }
            return ValidationResult.ok();
        });
        bind("writingPlugin", (FlujoPlugin) input -> {
            try {
                input.context().asMap().put("written", "x");
                readOnlyViolations.add("plugin");
            } catch (UnsupportedOperationException expected) {
                // read-only
            }
            return PluginOutcome.success();
        });
        bind("onlyX2",
                (FlujoValidator) (output, context) -> Integer.valueOf(2).equals(((Map<?, ?>) output).get("x"))
                        ? ValidationResult.ok()
                        : ValidationResult.fail("x must be 2"));
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:recorder").to("flujo:step:recorder?agent=#recorder");
        r.from("direct:readOnly")
                .to("flujo:step:readOnly?agent=#writer&validators=#writingValidator&plugins=#writingPlugin");
        r.from("direct:endpointAgent").to("flujo:step:endpointAgent?agent=direct:meddler");
        r.from("direct:meddler").process(e -> {
            agentRouteHeaders.add(Map.copyOf(e.getMessage().getHeaders()));
            agentRouteProperties.add(Map.copyOf(e.getProperties()));
            e.setProperty("leaked", "from agent route");
            e.setProperty("tenant", "changed by agent route");
            e.getMessage().setHeader("leakedHeader", "yes");
            e.getMessage().setBody("agent output");
        });
        r.from("direct:failingSink").to("flujo:step:failingSink?agent=#alwaysFails&sinkTo=draft");
        r.from("direct:pipeline")
                .to("flujo:step:draft?agent=#draftAgent&sinkTo=draft")
                .to("flujo:step:final?agent=#readsDraft");
        r.from("direct:map").to("flujo:step:map?agent=#mapAgent&updatesContext=true");
        r.from("direct:textThenMap").to("flujo:step:textThenMap?agent=#textThenMap&updatesContext=true");
        r.from("direct:stale")
                .to("flujo:step:stale?agent=#staleThenGood&updatesContext=true&validators=#onlyX2");
        r.from("direct:reservedKey").to("flujo:step:reservedKey?agent=#reservedKey&updatesContext=true&maxRetries=0");
        r.from("direct:twoSteps")
                .to("flujo:step:first?agent=#tokens10")
                .to("flujo:step:second?agent=direct:meddler");
    }

    @Test
    void agentSeesUserPropertiesButNoCamelOnes() {
        runWith("direct:recorder", Map.of("tenant", "A", "CamelCustom", "hidden"));

        FlujoContext context = recorder.request(0).context();
        assertEquals("A", context.get("tenant"));
        assertNull(context.get("CamelCustom"));
        assertNull(context.get(FlujoConstants.RUN));
        assertTrue(context.keys().contains("tenant"));
        assertTrue(context.keys().stream().noneMatch(k -> k.startsWith("Camel")), context.keys().toString());
    }

    @Test
    void agentValidatorAndPluginSeeAReadOnlyView() {
        Exchange result = runWith("direct:readOnly", Map.of("tenant", "A"));

        assertNull(result.getException());
        assertEquals(List.of(), readOnlyViolations);
        assertNull(result.getProperty("written"));
        assertNull(result.getProperty("copied"), "writes to a copy stay in the copy");
    }

    @Test
    void endpointAgentRouteWorksOnACopy() {
        Exchange result = template.request("direct:endpointAgent", e -> {
            e.getMessage().setBody("q");
            e.getMessage().setHeader("h", "visible");
            e.setProperty("tenant", "A");
        });

        assertNull(result.getException());
        assertEquals("agent output", result.getMessage().getBody());
        // the agent route saw the exchange's headers and properties...
        assertEquals("visible", agentRouteHeaders.get(0).get("h"));
        assertEquals("A", agentRouteProperties.get(0).get("tenant"));
        // ...but its changes stay on its copy
        assertNull(result.getProperty("leaked"));
        assertEquals("A", result.getProperty("tenant"));
        assertNull(result.getMessage().getHeader("leakedHeader"));
        assertEquals("visible", result.getMessage().getHeader("h"));
    }

    @Test
    void failedStepWithSinkToLeavesNoTrace() {
        Exchange result = runWith("direct:failingSink", Map.of("draft", "old draft"));

        assertInstanceOf(FlujoStepFailedException.class, result.getException());
        assertEquals("old draft", result.getProperty("draft"));

        Exchange fresh = run("direct:failingSink");
        assertFalse(fresh.getProperties().containsKey("draft"));
    }

    @Test
    void sinkToStoresTheOutputForLaterSteps() {
        Exchange result = run("direct:pipeline");

        assertNull(result.getException());
        assertEquals("the draft", result.getProperty("draft"));
        assertEquals("final(the draft)", result.getMessage().getBody());
        assertEquals("the draft", readsDraft.request(0).context().get("draft"));
    }

    @Test
    void updatesContextMergesAMapOutput() {
        Exchange result = runWith("direct:map", Map.of("score", 1, "untouched", "yes"));

        assertNull(result.getException());
        assertEquals("short", result.getProperty("summary"));
        assertEquals(3, result.getProperty("score"));
        assertEquals("yes", result.getProperty("untouched"));
        assertEquals(Map.of("summary", "short", "score", 3), result.getMessage().getBody());
    }

    @Test
    void updatesContextRejectsANonMapOutputAndRetries() {
        Exchange result = run("direct:textThenMap");

        assertNull(result.getException());
        assertEquals(2, textThenMap.calls());
        assertTrue(textThenMap.request(1).feedback().contains("updatesContext needs a Map output"),
                textThenMap.request(1).feedback());
        assertEquals("fixed", result.getProperty("summary"));
    }

    @Test
    void outputOfARejectedAttemptIsNotMerged() {
        Exchange result = run("direct:stale");

        assertNull(result.getException());
        assertEquals(2, result.getProperty("x"));
        assertFalse(result.getProperties().containsKey("stale"));
    }

    @Test
    void updatesContextCannotWriteCamelProperties() {
        Exchange result = run("direct:reservedKey");

        // rejected during the attempt (so a retry could fix it), not after the step succeeded
        FlujoStepFailedException error = exceptionOf(result, FlujoStepFailedException.class);
        assertTrue(error.getMessage().contains("reserved key 'CamelEvil'"), error.getMessage());
        assertFalse(error.getResult().success());
        assertNull(result.getProperty("CamelEvil"));
        assertNull(result.getProperty("ok"), "nothing of the rejected update is applied");
        assertTrue(runOf(result).history().stream().noneMatch(r -> r.success()), "no success is recorded");
    }

    @Test
    void stepSetsItsHeadersAndTheRun() {
        Exchange result = run("direct:pipeline");

        Message m = result.getMessage();
        assertEquals("final", m.getHeader(FlujoConstants.STEP_NAME));
        assertEquals(true, m.getHeader(FlujoConstants.SUCCESS));
        assertEquals(1, m.getHeader(FlujoConstants.ATTEMPTS));
        assertEquals(false, m.getHeader(FlujoConstants.CACHE_HIT));
        assertEquals(5L, m.getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(0L, m.getHeader(FlujoConstants.OUTPUT_TOKENS));
        assertInstanceOf(BigDecimal.class, m.getHeader(FlujoConstants.COST_USD));
        Long latency = assertInstanceOf(Long.class, m.getHeader(FlujoConstants.LATENCY_NANOS));
        assertTrue(latency >= 0);

        FlujoRun run = runOf(result);
        assertNotNull(run.runId());
        assertFalse(run.runId().isBlank());
        assertEquals(List.of("draft", "final"), run.history().stream().map(StepResult::name).toList());
        assertEquals(List.of("the draft", "final(the draft)"), run.history().stream().map(StepResult::output).toList());
        assertTrue(run.history().stream().allMatch(StepResult::success));
        assertEquals(15, run.usage().totalTokens());
    }

    @Test
    void usageHeadersOfAnEarlierStepAreNotReadBackAsTheNextAgentsUsage() {
        Exchange result = run("direct:twoSteps");

        assertNull(result.getException());
        // the agent route of the second step got no CamelFlujo* headers of the first step
        assertTrue(agentRouteHeaders.get(0).keySet().stream()
                .noneMatch(k -> k.startsWith("CamelFlujo") && !k.equals(FlujoConstants.STEP_NAME)
                        && !k.equals(FlujoConstants.ATTEMPT)),
                agentRouteHeaders.get(0).keySet().toString());
        assertEquals("second", agentRouteHeaders.get(0).get(FlujoConstants.STEP_NAME));
        assertEquals(0L, resultHeader(result, FlujoConstants.INPUT_TOKENS));
        assertEquals(20, runOf(result).usage().totalTokens());
    }

    @Test
    void callerSuppliedRunOfTheWrongTypeIsRefused() {
        Exchange result = runWith("direct:recorder", Map.of(FlujoConstants.RUN, "forged run"));

        FlujoConfigurationException error = exceptionOf(result, FlujoConfigurationException.class);
        assertTrue(error.getMessage().contains(FlujoConstants.RUN), error.getMessage());
        assertEquals(0, recorder.calls());
        assertEquals("forged run", result.getProperty(FlujoConstants.RUN));
    }

    @Test
    void callerSuppliedRunIsContinued() {
        FlujoRun run = new FlujoRun("run-42");
        Exchange result = runWith("direct:pipeline", Map.of(FlujoConstants.RUN, run));

        assertNull(result.getException());
        assertEquals("run-42", runOf(result).runId());
        assertEquals(2, run.history().size());
    }

    @Test
    void readOnlyViewRejectsWrites() {
        runWith("direct:recorder", Map.of("tenant", "A"));

        AgentRequest request = recorder.request(0);
        assertThrows(UnsupportedOperationException.class, () -> request.context().asMap().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> request.context().keys().add("x"));
    }
}
