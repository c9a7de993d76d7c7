package dev.flujo.examples;

import java.math.BigDecimal;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions the examples' tests share. */
public final class ExampleAssertions {

    private ExampleAssertions() {
    }

    /** The step of a repeated input was answered from the cache: the first answer, no attempt, no tokens. */
    public static void assertAnsweredFromCache(StepResult first, StepResult repeated) {
        assertFalse(first.cacheHit());
        assertTrue(repeated.cacheHit());
        assertEquals(0, repeated.attempts());
        assertEquals(0, repeated.usage().totalTokens());
        assertEquals(first.output(), repeated.output());
    }

    /** The run's usage is the sum of its steps', priced at the examples' 0.000003 / 0.000015 USD per token. */
    public static void assertUsageIsThePricedSumOfTheSteps(FlujoRun run) {
        Usage sum = run.history().stream().map(StepResult::usage).reduce(Usage.ZERO, Usage::plus);
        assertEquals(sum.inputTokens(), run.usage().inputTokens());
        assertEquals(sum.outputTokens(), run.usage().outputTokens());
        BigDecimal priced = new BigDecimal("0.000003").multiply(BigDecimal.valueOf(sum.inputTokens()))
                .add(new BigDecimal("0.000015").multiply(BigDecimal.valueOf(sum.outputTokens())));
        assertEquals(0, priced.compareTo(run.usage().costOrZero()), run.usage().toString());
    }
}
