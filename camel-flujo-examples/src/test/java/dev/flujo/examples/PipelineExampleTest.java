package dev.flujo.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.flujo.core.result.StepResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the README's first set-up command's example exactly as {@code main} does and checks what it prints is what
 * happened.
 */
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
        ExampleAssertions.assertAnsweredFromCache(runs.get(0).run().lastResult("classify"),
                runs.get(3).run().lastResult("classify"));
    }

    @Test
    void runUsageIsTheSumOfItsStepsPricedByTheComponentDefaults() {
        runs.forEach(r -> ExampleAssertions.assertUsageIsThePricedSumOfTheSteps(r.run()));
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
