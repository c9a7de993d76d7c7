package dev.flujo.core.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentTypesTest {

    @Test
    void requestCopiesItsFeedbackHistory() {
        List<String> history = new ArrayList<>(List.of("first"));
        AgentRequest request = new AgentRequest("s", "in", FlujoContext.empty(), 2, "first", history);
        history.add("second");

        assertEquals(List.of("first"), request.feedbackHistory());
        assertThrows(UnsupportedOperationException.class, () -> request.feedbackHistory().add("x"));
        assertTrue(request.isRetry());
    }

    @Test
    void firstAttemptRequest() {
        AgentRequest request = new AgentRequest("s", "in", FlujoContext.empty(), 1, null, null);
        assertEquals(List.of(), request.feedbackHistory());
        assertFalse(request.isRetry());
    }

    @Test
    void responseWithoutUsageHasZeroUsage() {
        assertEquals(Usage.ZERO, new AgentResponse("out", null).usage());
        assertEquals(Usage.ZERO, AgentResponse.of("out").usage());
        assertEquals(Usage.tokens(1, 2), AgentResponse.of("out", Usage.tokens(1, 2)).usage());
    }

    @Test
    void namedAgentNeedsNameAndAgent() {
        FlujoAgent agent = FlujoAgent.ofFunction(r -> "x");
        assertThrows(NullPointerException.class, () -> new NamedAgent(null, agent));
        assertThrows(NullPointerException.class, () -> new NamedAgent("a", null));
    }

    @Test
    void ofFunctionAnswersSynchronouslyWithoutUsage() {
        FlujoAgent agent = FlujoAgent.ofFunction(r -> "echo " + r.input());
        AgentResponse response = agent.call(new AgentRequest("s", "hi", FlujoContext.empty(), 1, null, null))
                .toCompletableFuture().getNow(null);
        assertEquals("echo hi", response.output());
        assertEquals(Usage.ZERO, response.usage());
    }

    @Test
    void noResolverFailsNamingTheReference() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> AgentResolver.NONE.resolve("direct:other"));
        assertTrue(e.getMessage().contains("direct:other"), e.getMessage());
    }

    @Test
    void timeoutMessageNamesStepAgentAndBound() {
        String message = new AgentTimeoutException("summarize", "#llm", Duration.ofMillis(1500)).getMessage();
        assertTrue(message.contains("summarize"), message);
        assertTrue(message.contains("#llm"), message);
        assertTrue(message.contains("1500 ms"), message);
    }
}
