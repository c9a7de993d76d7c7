package dev.flujo.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.flujo.core.step.StepResult;
import dev.flujo.core.usage.Usage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the README's example exactly as {@code main} does and checks what it prints is what happened. */
class PipelineExampleTest {

    private static List<PipelineExample.TicketRun> runs;

    @BeforeAll
    static void runExample() throws Exception {
        runs = PipelineExample.runSamples();
    }

    @Test
    void everyTicketIsClassified() {
        assertEquals(List.of("billing", "technical", "general", "billing"),
                runs.stream().map(PipelineExample.TicketRun::output).toList());
        runs.forEach(r -> assertNull(r.error()));
    }

    @Test
    void summarizeIsRetriedWithTheValidationFeedback() {
        for (PipelineExample.TicketRun r : runs) {
            StepResult summarize = r.run().lastResult("summarize");
            assertEquals(2, summarize.attempts());
            assertTrue(summarize.feedback().get(0).contains("${body.length} <= 80"), summarize.feedback().toString());
            assertTrue(summarize.output().toString().length() <= 80);
        }
    }

    @Test
    void theRepeatedTicketIsClassifiedFromTheCache() {
        StepResult first = runs.get(0).run().lastResult("classify");
        StepResult repeated = runs.get(3).run().lastResult("classify");
        assertFalse(first.cacheHit());
        assertTrue(repeated.cacheHit());
        assertEquals(0, repeated.attempts());
        assertEquals(0, repeated.usage().totalTokens());
        assertEquals(first.output(), repeated.output());
    }

    @Test
    void runUsageIsTheSumOfItsStepsPricedByTheComponentDefaults() {
        for (PipelineExample.TicketRun r : runs) {
            Usage sum = r.run().history().stream().map(StepResult::usage).reduce(Usage.ZERO, Usage::plus);
            assertEquals(sum.totalTokens(), r.run().usage().totalTokens());
            assertEquals(0, sum.costOrZero().compareTo(r.run().usage().costOrZero()));
            BigDecimal priced = new BigDecimal("0.000003").multiply(BigDecimal.valueOf(sum.inputTokens()))
                    .add(new BigDecimal("0.000015").multiply(BigDecimal.valueOf(sum.outputTokens())));
            assertEquals(0, priced.compareTo(r.run().usage().costOrZero()));
        }
    }

    @Test
    void printsEachStepAndTheTotals() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PipelineExample.print(runs, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        for (String step : List.of("extract", "summarize", "classify")) {
            assertTrue(printed.contains(step), step);
        }
        assertTrue(printed.contains("cacheHit=true"));
        assertTrue(printed.contains("All runs:"));
    }
}
