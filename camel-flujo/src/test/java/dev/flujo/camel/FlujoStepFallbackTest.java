package dev.flujo.camel;

import java.util.List;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.result.StepResult;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.apache.camel.builder.Builder.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fallback: one more attempt with another agent after every attempt failed, and fallback chains. */
class FlujoStepFallbackTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent primaryDown = bind("primaryDown", TestAgents.failing("primary down"));
    private final TestAgents.CountingAgent planB = bind("planB", TestAgents.answering("plan B"));
    private final TestAgents.CountingAgent fallbackDown = bind("fallbackDown", TestAgents.failing("fallback down"));
    private final TestAgents.CountingAgent answersBad = bind("answersBad", TestAgents.answering("bad"));
    private final TestAgents.CountingAgent alsoBad = bind("alsoBad", TestAgents.answering("also bad"));
    private final TestAgents.CountingAgent answersOk = bind("answersOk", TestAgents.answering("ok"));
    private final TestAgents.CountingAgent failA = bind("failA", TestAgents.failing("a failed"));
    private final TestAgents.CountingAgent failB = bind("failB", TestAgents.failing("b failed"));
    private final TestAgents.CountingAgent answersC = bind("answersC", TestAgents.answering("from c"));

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:bean").to("flujo:step:bean?agent=#primaryDown&fallback=#planB");
        r.from("direct:endpoint").to("flujo:step:endpoint?agent=#primaryDown&fallback=direct:backup");
        r.from("direct:backup").setBody(simple("backup:${body}"));
        r.from("direct:validated")
                .to("flujo:step:validated?agent=#answersBad&fallback=#alsoBad&validate=RAW(${body} == 'good')");
        r.from("direct:fallbackFails").to("flujo:step:fallbackFails?agent=#primaryDown&fallback=#fallbackDown");
        r.from("direct:noNeed").to("flujo:step:noNeed?agent=#answersOk&fallback=#planB");

        // a cycle: a falls back to the route of b, b falls back to the route of a
        r.from("direct:a").to("flujo:step:a?agent=#failA&fallback=direct:b");
        r.from("direct:b").to("flujo:step:b?agent=#failB&fallback=direct:a");

        // a chain without a cycle: x -> route of y -> c
        r.from("direct:x").to("flujo:step:x?agent=#failA&fallback=direct:y");
        r.from("direct:y").to("flujo:step:y?agent=#failB&fallback=#answersC");
    }

    @Test
    void beanFallbackRunsOnceAfterAllAttemptsFailed() {
        Exchange result = run("direct:bean");

        assertNull(result.getException());
        assertEquals("plan B", result.getMessage().getBody());
        assertEquals(2, primaryDown.calls());
        assertEquals(1, planB.calls());
        assertEquals(true, resultHeader(result, FlujoConstants.SUCCESS));
        assertEquals(2, resultHeader(result, FlujoConstants.ATTEMPTS), "the fallback is not counted");

        StepResult step = runOf(result).lastResult("bean");
        assertTrue(step.fallbackUsed());
        assertEquals(true, step.metadata().get(StepResult.META_FALLBACK));
        assertEquals("#planB", step.metadata().get(StepResult.META_FALLBACK_AGENT));
        String originalError = String.valueOf(step.metadata().get(StepResult.META_ORIGINAL_ERROR));
        assertTrue(originalError.contains("primary down"), originalError);

        AgentRequest asked = planB.request(0);
        assertEquals("q", asked.input());
        assertTrue(asked.feedback().contains("primary down"), "the fallback gets the feedback too: " + asked.feedback());
    }

    @Test
    void endpointFallback() {
        Exchange result = run("direct:endpoint");

        assertNull(result.getException());
        assertEquals("backup:q", result.getMessage().getBody());
        StepResult step = runOf(result).lastResult("endpoint");
        assertTrue(step.fallbackUsed());
        assertEquals("direct:backup", step.metadata().get(StepResult.META_FALLBACK_AGENT));
    }

    @Test
    void fallbackOutputPassesTheSameValidation() {
        Exchange result = run("direct:validated");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(2, answersBad.calls());
        assertEquals(1, alsoBad.calls());
        assertTrue(failure.getMessage().contains("and its fallback"), failure.getMessage());
        assertEquals(3, failure.getFeedback().size());
        assertTrue(failure.getFeedback().get(2).startsWith("fallback #alsoBad"), failure.getFeedback().get(2));
        assertTrue(failure.getCause() instanceof OutputRejectedException, String.valueOf(failure.getCause()));
    }

    @Test
    void failingFallbackFailsTheStepAndRunsOnlyOnce() {
        Exchange result = run("direct:fallbackFails");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(2, primaryDown.calls());
        assertEquals(1, fallbackDown.calls());
        assertEquals("fallback down", failure.getCause().getMessage());
        assertTrue(failure.getResult().fallbackUsed());
        assertFalse(failure.getResult().success());
    }

    @Test
    void fallbackIsNotCalledWhenTheAgentSucceeds() {
        Exchange result = run("direct:noNeed");

        assertEquals("ok", result.getMessage().getBody());
        assertEquals(0, planB.calls());
        assertFalse(runOf(result).lastResult("noNeed").fallbackUsed());
    }

    @Test
    void fallbackChainThatRevisitsAStepIsAnError() {
        Exchange result = run("direct:a");

        FlujoConfigurationException error = exceptionOf(result, FlujoConfigurationException.class);
        assertTrue(error.getMessage().contains("Fallback chain revisits"), error.getMessage());
        assertTrue(error.getMessage().contains("a -> b -> a"), error.getMessage());
        // a and b each ran their attempts once; the revisit of a called no agent
        assertEquals(2, failA.calls());
        assertEquals(2, failB.calls());
    }

    @Test
    void fallbackChainWithoutCycleWorks() {
        Exchange result = run("direct:x");

        assertNull(result.getException());
        assertEquals("from c", result.getMessage().getBody());
        assertEquals(2, failA.calls());
        assertEquals(2, failB.calls());
        assertEquals(1, answersC.calls());
        // the nested step ran in the same run
        List<String> steps = runOf(result).history().stream().map(StepResult::name).toList();
        assertEquals(List.of("y", "x"), steps);
    }

    @Test
    void fallbackAsComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setFallback("#planB");
        addRoute("direct:componentFallback", "flujo:step:componentFallback?agent=#primaryDown");

        assertEquals("plan B", run("direct:componentFallback").getMessage().getBody());
        assertEquals(1, planB.calls());
    }
}
