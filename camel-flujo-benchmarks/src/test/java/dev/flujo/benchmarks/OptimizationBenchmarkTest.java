package dev.flujo.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the fixtures of {@link OptimizationBenchmark}, not its figures: that the JMH parameters list every case, and
 * that every option's endpoint starts in both states and answers one operation as its workload expects (each workload
 * checks its first reply). Nothing is measured.
 */
class OptimizationBenchmarkTest {

    @TempDir
    static Path extraMetrics;
    private static String previousDirectory;

    @BeforeAll
    static void keepExtraMetricsOutOfTheResults() {
        previousDirectory = System.setProperty(ExtraMetrics.DIRECTORY_PROPERTY, extraMetrics.toString());
    }

    @AfterAll
    static void restore() {
        if (previousDirectory == null) {
            System.clearProperty(ExtraMetrics.DIRECTORY_PROPERTY);
        } else {
            System.setProperty(ExtraMetrics.DIRECTORY_PROPERTY, previousDirectory);
        }
    }

    @Test
    void parametersListEveryCaseInOrder() throws Exception {
        String[] params = OptimizationBenchmark.class.getField("option").getAnnotation(Param.class).value();
        List<String> cases = OptimizationBenchmark.CASES.stream().map(OptimizationBenchmark.Case::option).toList();
        assertEquals(cases, Arrays.asList(params));
    }

    @Test
    void everyCaseStartsAndAnswersInBothStates() throws Exception {
        for (OptimizationBenchmark.Case c : OptimizationBenchmark.CASES) {
            for (String state : List.of("on", "off")) {
                OptimizationBenchmark bench = new OptimizationBenchmark();
                bench.option = c.option();
                bench.state = state;
                bench.start();
                try {
                    assertNotNull(bench.run(), c.option() + " " + state);
                } finally {
                    bench.stop();
                }
                if (c.workload().name().startsWith("LARGE_OUTPUT")) {
                    // measured at setup, written where the report looks for it
                    assertTrue(Files.exists(extraMetrics.resolve(
                            OptimizationBenchmark.extraMetricsName(c.option(), state) + ".json")), c.option());
                }
            }
        }
    }
}
