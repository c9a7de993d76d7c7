package dev.flujo.core.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phases on their own, without an executor. */
class OutputPhasesTest {

    private static PluginInput attempt(Object output) {
        return new PluginInput("s", "in", output, FlujoContext.empty(), 1, "#llm");
    }

    private static FlujoPlugin plugin(int priority, List<String> log, String name, PluginOutcome outcome) {
        return new FlujoPlugin() {
            @Override
            public PluginOutcome apply(PluginInput input) {
                log.add(name + ":" + input.output());
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

    @Test
    void pluginPhaseOrdersByPriorityAndAppliesNewSolutions() {
        List<String> log = new ArrayList<>();
        PluginPhase phase = new PluginPhase(
                List.of(
                        plugin(1, log, "last", PluginOutcome.success()),
                        plugin(9, log, "first", PluginOutcome.newSolution("v2")),
                        plugin(5, log, "second", PluginOutcome.newSolution("v3"))));

        PhaseResult result = phase.apply(attempt("v1"));

        assertEquals(List.of("first:v1", "second:v2", "last:v3"), log);
        assertEquals("v3", assertInstanceOf(PhaseResult.Continue.class, result).output());
    }

    @Test
    void pluginPhaseStopsAtFeedbackAndRedirect() {
        List<String> log = new ArrayList<>();
        PhaseResult feedback = new PluginPhase(
                List.of(
                        plugin(2, log, "critic", PluginOutcome.feedback("shorter please")),
                        plugin(1, log, "never", PluginOutcome.success())))
                .apply(attempt("x"));
        PhaseResult.Fail fail = assertInstanceOf(PhaseResult.Fail.class, feedback);
        assertEquals("plugin critic: shorter please", fail.feedback());
        assertEquals(List.of(), fail.validationFailures());
        assertNull(fail.cause());

        PhaseResult redirect = new PluginPhase(
                List.of(
                        plugin(2, log, "router", PluginOutcome.redirect("#other")),
                        plugin(1, log, "never", PluginOutcome.success())))
                .apply(attempt("x"));
        assertEquals("#other", assertInstanceOf(PhaseResult.Redirect.class, redirect).agent());
        assertEquals(List.of("critic:x", "router:x"), log);
    }

    @Test
    void validationPhaseCollectsEveryFailure() {
        ValidationPhase phase = new ValidationPhase(
                List.of(
                        new FlujoValidator() {
                            @Override
                            public ValidationResult validate(Object output, FlujoContext context) {
                                return ValidationResult.fail("a");
                            }

                            @Override
                            public String name() {
                                return "one";
                            }
                        },
                        new FlujoValidator() {
                            @Override
                            public ValidationResult validate(Object output, FlujoContext context) {
                                throw new IllegalStateException("b");
                            }

                            @Override
                            public String name() {
                                return "two";
                            }
                        }));

        PhaseResult.Fail fail = assertInstanceOf(PhaseResult.Fail.class, phase.apply(attempt("x")));

        assertEquals(List.of("one: a", "two threw IllegalStateException: b"), fail.validationFailures());
        assertEquals("validation failed: one: a; two threw IllegalStateException: b", fail.feedback());
    }

    @Test
    void validationPhasePassesTheOutputThroughUnchanged() {
        Object output = new Object();
        PhaseResult result = new ValidationPhase(List.of((o, c) -> ValidationResult.ok())).apply(attempt(output));
        assertSame(output, assertInstanceOf(PhaseResult.Continue.class, result).output());
    }

    @Test
    void outputProcessingPhaseChainsProcessors() {
        PhaseResult result = new OutputProcessingPhase(List.of((v, c) -> v + "a", (v, c) -> v + "b"))
                .apply(attempt("x"));
        assertEquals("xab", assertInstanceOf(PhaseResult.Continue.class, result).output());
    }

    @Test
    void contextUpdatePhaseChecksTheShape() {
        ContextUpdatePhase phase = new ContextUpdatePhase(key -> key.startsWith("Camel"));
        assertInstanceOf(PhaseResult.Continue.class, phase.apply(attempt(Map.of("k", "v"))));
        PhaseResult.Fail reserved = assertInstanceOf(PhaseResult.Fail.class,
                phase.apply(attempt(Map.of("k", "v", "CamelFoo", "x"))));
        assertTrue(reserved.feedback().contains("reserved key 'CamelFoo'"), reserved.feedback());
        PhaseResult.Fail nullOutput = assertInstanceOf(PhaseResult.Fail.class, phase.apply(attempt(null)));
        assertTrue(nullOutput.feedback().contains("got null"), nullOutput.feedback());
        assertInstanceOf(PhaseResult.Fail.class, phase.apply(attempt(List.of("not", "a", "map"))));
    }

    @Test
    void validationResultFactories() {
        assertTrue(ValidationResult.ok().valid());
        assertSame(ValidationResult.ok(), ValidationResult.ok());
        ValidationResult fail = ValidationResult.fail("why");
        assertEquals(false, fail.valid());
        assertEquals("why", fail.feedback());
    }

    @Test
    void stepResultIsImmutableAndDefaultsNulls() {
        List<String> feedback = new ArrayList<>(List.of("f"));
        StepResult result = new StepResult("s", "out", true, 1, 5, null, feedback, null, null, null);
        feedback.add("g");

        assertEquals(List.of("f"), result.feedback());
        assertEquals(Usage.ZERO, result.usage());
        assertEquals(Map.of(), result.metadata());
        assertEquals(Map.of(), result.contextUpdates());
        assertEquals(List.of(), result.children());
        assertThrows(UnsupportedOperationException.class, () -> result.feedback().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> result.metadata().put("x", 1));
        assertTrue(!result.cacheHit() && !result.fallbackUsed());
        assertTrue(new StepResult(
                "s", null, true, 0, 0, null, null,
                Map.of(StepResult.META_CACHE_HIT, true, StepResult.META_FALLBACK, true), null, null).cacheHit());
    }
}
