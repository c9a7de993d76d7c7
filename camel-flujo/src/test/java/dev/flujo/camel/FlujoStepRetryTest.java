package dev.flujo.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** maxRetries, and the feedback of a failed attempt reaching the next attempt. */
class FlujoStepRetryTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent alwaysFails = bind("alwaysFails", TestAgents.failing("boom"));
    private final TestAgents.ScriptedAgent failsTwiceThenOk = bind("failsTwiceThenOk", TestAgents.scripted(
            new IllegalStateException("overloaded #1"), new IllegalStateException("overloaded #2"), "ok"));
    private final TestAgents.ScriptedAgent badThenGood = bind("badThenGood", TestAgents.scripted("bad", "good"));
    private final TestAgents.CountingAgent answersOk = bind("answersOk", TestAgents.answering("ok"));
    /** Headers the endpoint agent route saw, one map per call. */
    private final List<Map<String, Object>> endpointCalls = new CopyOnWriteArrayList<>();

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:default").to("flujo:step:default?agent=#alwaysFails");
        r.from("direct:noRetry").to("flujo:step:noRetry?agent=#alwaysFails&maxRetries=0");
        r.from("direct:three").to("flujo:step:three?agent=#failsTwiceThenOk&maxRetries=3");
        r.from("direct:twoRetries").to("flujo:step:twoRetries?agent=#failsTwiceThenOk&maxRetries=2");
        r.from("direct:ok").to("flujo:step:ok?agent=#answersOk&maxRetries=5");
        r.from("direct:beanValidate").to("flujo:step:beanValidate?agent=#badThenGood&validate=RAW(${body} == 'good')");
        r.from("direct:endpointValidate")
                .to("flujo:step:endpointValidate?agent=direct:llm&validate=RAW(${body} == 'good')");

        // an endpoint agent: answers "bad" unless it was given feedback
        r.from("direct:llm").process(e -> {
            endpointCalls.add(Map.copyOf(e.getMessage().getHeaders()));
            Object feedback = e.getMessage().getHeader(FlujoConstants.FEEDBACK);
            e.getMessage().setBody(feedback == null ? "bad" : "good");
        });
    }

    @Test
    void defaultIsOneRetryThatIsTwoAttempts() {
        Exchange result = run("direct:default", "q");

        FlujoStepFailedException failure = exceptionOf(result, FlujoStepFailedException.class);
        assertEquals(2, alwaysFails.calls());
        assertEquals("default", failure.getStepName());
        assertEquals(2, failure.getAttempts());
        assertEquals(2, failure.getFeedback().size());
        assertTrue(failure.getFeedback().get(1).contains("boom"), failure.getFeedback().toString());
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals(2, resultHeader(result, FlujoConstants.ATTEMPTS));
        assertEquals(false, resultHeader(result, FlujoConstants.SUCCESS));
    }

    @Test
    void maxRetriesZeroIsOneAttempt() {
        Exchange result = run("direct:noRetry", "q");

        assertEquals(1, exceptionOf(result, FlujoStepFailedException.class).getAttempts());
        assertEquals(1, alwaysFails.calls());
    }

    @Test
    void retriesUntilAnAttemptSucceeds() {
        Exchange result = run("direct:three", "q");

        assertNull(result.getException());
        assertEquals("ok", result.getMessage().getBody());
        assertEquals(3, failsTwiceThenOk.calls());
        assertEquals(3, resultHeader(result, FlujoConstants.ATTEMPTS));
        assertEquals(true, resultHeader(result, FlujoConstants.SUCCESS));
        // the failed attempts are remembered in the step result
        assertEquals(2, FlujoAssertions.runOf(result).lastResult("three").feedback().size());
    }

    @Test
    void aSuccessfulFirstAttemptIsNotRetried() {
        Exchange result = run("direct:ok", "q");

        assertEquals("ok", result.getMessage().getBody());
        assertEquals(1, answersOk.calls());
        assertEquals(1, resultHeader(result, FlujoConstants.ATTEMPTS));
    }

    @Test
    void lastAllowedAttemptMaySucceed() {
        // maxRetries=2: 3 attempts, the third one succeeds
        Exchange result = run("direct:twoRetries", "q");

        assertEquals("ok", result.getMessage().getBody());
        assertEquals(3, failsTwiceThenOk.calls());
    }

    @Test
    void beanAgentGetsTheErrorOfTheFailedAttemptAsFeedback() {
        run("direct:three", "the prompt");

        AgentRequest first = failsTwiceThenOk.request(0);
        AgentRequest second = failsTwiceThenOk.request(1);
        AgentRequest third = failsTwiceThenOk.request(2);
        assertEquals(1, first.attempt());
        assertFalse(first.isRetry());
        assertNull(first.feedback());
        assertTrue(first.feedbackHistory().isEmpty());

        assertEquals(2, second.attempt());
        assertTrue(second.isRetry());
        assertTrue(second.feedback().contains("overloaded #1"), second.feedback());
        assertEquals("the prompt", second.input(), "a retry is asked the same input");

        assertEquals(3, third.attempt());
        assertTrue(third.feedback().contains("overloaded #2"), third.feedback());
        assertEquals(2, third.feedbackHistory().size());
        assertTrue(third.feedbackHistory().get(0).contains("overloaded #1"));
    }

    @Test
    void beanAgentGetsValidationFailureAsFeedback() {
        Exchange result = run("direct:beanValidate", "q");

        assertEquals("good", result.getMessage().getBody());
        assertEquals(2, badThenGood.calls());
        String feedback = badThenGood.request(1).feedback();
        assertTrue(feedback.contains("validat"), feedback);
    }

    @Test
    void endpointAgentGetsFeedbackHeaderOnRetry() {
        Exchange result = run("direct:endpointValidate", "q");

        assertNull(result.getException());
        assertEquals("good", result.getMessage().getBody());
        assertEquals(2, endpointCalls.size());
        assertFalse(endpointCalls.get(0).containsKey(FlujoConstants.FEEDBACK), "no feedback on the first attempt");
        assertEquals(1, endpointCalls.get(0).get(FlujoConstants.ATTEMPT));
        assertEquals(2, endpointCalls.get(1).get(FlujoConstants.ATTEMPT));
        String feedback = (String) endpointCalls.get(1).get(FlujoConstants.FEEDBACK);
        assertTrue(feedback != null && feedback.contains("${body} == 'good'"), String.valueOf(feedback));
        assertEquals("endpointValidate", endpointCalls.get(1).get(FlujoConstants.STEP_NAME));
        // the feedback header is for the agent only
        assertNull(resultHeader(result, FlujoConstants.FEEDBACK));
    }

    @Test
    void maxRetriesAsComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setMaxRetries(2);
        addRoute("direct:componentDefault", "flujo:step:componentDefault?agent=#alwaysFails");

        Exchange result = run("direct:componentDefault", "q");

        assertEquals(3, exceptionOf(result, FlujoStepFailedException.class).getAttempts());
        assertEquals(3, alwaysFails.calls());
    }

    @Test
    void endpointOptionOverridesComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setMaxRetries(4);
        addRoute("direct:override", "flujo:step:override?agent=#alwaysFails&maxRetries=0");

        run("direct:override", "q");

        assertEquals(1, alwaysFails.calls());
    }

    @Test
    void maxRetriesAsComponentPropertyCamelComponentFlujoMaxRetries() throws Exception {
        // what camel-main does with camel.component.flujo.maxRetries=2: bind through the generated component configurer
        FlujoComponent component = context.getComponent("flujo", FlujoComponent.class);
        PropertyConfigurer configurer = PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer("flujo-component", context);
        boolean bound = PropertyBindingSupport.build().withCamelContext(context).withTarget(component)
                .withConfigurer(configurer).withReflection(false).withMandatory(true)
                .withOptionPrefix("camel.component.flujo.")
                .withProperties(new java.util.HashMap<>(Map.of("camel.component.flujo.maxRetries", "2")))
                .bind();
        assertTrue(bound);
        assertEquals(2, component.getConfiguration().getMaxRetries());
        addRoute("direct:byProperty", "flujo:step:byProperty?agent=#alwaysFails");

        run("direct:byProperty", "q");

        assertEquals(3, alwaysFails.calls());
    }
}
