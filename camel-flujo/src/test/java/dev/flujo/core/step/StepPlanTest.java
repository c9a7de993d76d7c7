package dev.flujo.core.step;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.AgentResolver;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepPlanTest {

    private static final NamedAgent AGENT = new NamedAgent("#llm", FlujoAgent.ofFunction(r -> "out"));

    @Test
    void stepWithoutAgentIsAConfigurationError() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> StepPlan.builder("summarize", OptimizationConfig.defaults()).build());
        assertTrue(e.getMessage().contains("'summarize'"), e.getMessage());
        assertTrue(e.getMessage().contains("agent"), e.getMessage());
    }

    @Test
    void invalidConfigurationIsRejectedNamingStepAndOptions() {
        OptimizationConfig bad = OptimizationConfig.builder().set("maxRetries", -2).set("timeout", Duration.ZERO).build();
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> StepPlan.builder("summarize", bad).agent(AGENT).build());
        assertTrue(e.getMessage().contains("'summarize'"), e.getMessage());
        assertEquals(2, e.getProblems().size());
        assertTrue(e.getProblems().get(0).startsWith("maxRetries"));
        assertTrue(e.getProblems().get(1).startsWith("timeout"));
    }

    @Test
    void planWithoutExtrasHasNoPhasesNoCacheNoLimits() throws Exception {
        StepPlan plan = StepPlan.builder("s", OptimizationConfig.defaults()).agent(AGENT).build();

        assertEquals(List.of(), plan.outputPhases());
        assertSame(StepPlan.PromptPhase.IDENTITY, plan.prompt());
        assertEquals("in", plan.prompt().apply("in", FlujoContext.empty()));
        assertNull(plan.cache());
        assertNull(plan.fallback());
        assertNull(plan.timeout());
        assertNull(plan.sinkTo());
        assertEquals(UsageLimits.NONE, plan.limits());
        assertEquals(2, plan.maxAttempts());
        assertEquals("step=1:s|agent=4:#llm", plan.fingerprint());
        assertSame(AgentResolver.NONE, plan.agentResolver());
        assertSame(AGENT, plan.agent());
    }

    @Test
    void phasesAreInTheDocumentedOrder() {
        StepPlan plan = StepPlan.builder("s", OptimizationConfig.defaults()).agent(AGENT)
                .updatesContext(true)
                .plugins(List.of(in -> PluginOutcome.success()))
                .validators(List.of((out, ctx) -> ValidationResult.ok()))
                .outputProcessors(List.of((v, c) -> v))
                .build();

        List<OutputPhase> phases = plan.outputPhases();
        assertEquals(4, phases.size());
        assertInstanceOf(OutputProcessingPhase.class, phases.get(0));
        assertInstanceOf(ValidationPhase.class, phases.get(1));
        assertInstanceOf(PluginPhase.class, phases.get(2));
        assertInstanceOf(ContextUpdatePhase.class, phases.get(3));
    }

    @Test
    void configDecidesCacheLimitsAndPricing() {
        OptimizationConfig config = OptimizationConfig.builder()
                .set("maxRetries", 0).set("timeout", Duration.ofSeconds(5)).set("cache", true)
                .set("costLimitUsd", new BigDecimal("2")).set("tokenLimit", 50L)
                .set("expectedTokens", 7).set("expectedCostUsd", new BigDecimal("0.1"))
                .set("costPerInputToken", new BigDecimal("0.01")).set("costPerOutputToken", new BigDecimal("0.02"))
                .build();
        StepPlan plan = StepPlan.builder("s", config).agent(AGENT).fingerprint("custom").build();

        assertNotNull(plan.cache());
        assertEquals("custom", plan.fingerprint());
        assertEquals(1, plan.maxAttempts());
        assertEquals(Duration.ofSeconds(5), plan.timeout());
        assertEquals(new UsageLimits(new BigDecimal("2"), 50L), plan.limits());
        assertEquals(7, plan.expectedTokens());
        assertEquals(new BigDecimal("0.1"), plan.expectedCostUsd());
        assertEquals(new BigDecimal("0.01"), plan.pricing().costPerInputToken());
        assertEquals(new BigDecimal("0.02"), plan.pricing().costPerOutputToken());
        assertSame(config, plan.config());
    }

    @Test
    void builderRejectsNulls() {
        assertThrows(NullPointerException.class, () -> StepPlan.builder(null, OptimizationConfig.defaults()));
        assertThrows(NullPointerException.class, () -> StepPlan.builder("s", null));
        assertThrows(NullPointerException.class,
                () -> StepPlan.builder("s", OptimizationConfig.defaults()).agentResolver(null));
        assertThrows(NullPointerException.class, () -> StepPlan.builder("s", OptimizationConfig.defaults()).ticker(null));
    }
}
