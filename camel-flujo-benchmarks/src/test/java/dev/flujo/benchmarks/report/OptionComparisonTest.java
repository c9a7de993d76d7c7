package dev.flujo.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.flujo.benchmarks.OptimizationBenchmark;
import dev.flujo.benchmarks.report.BenchmarkReport.Result;
import dev.flujo.benchmarks.report.OptionComparison.Change;
import dev.flujo.benchmarks.report.OptionComparison.Side;
import dev.flujo.benchmarks.report.OptionComparison.Verdict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionComparisonTest {

    private static final String AGENT_CALLS = OptimizationBenchmark.AGENT_CALLS_PER_OP;
    private static final String RETAINED = OptimizationBenchmark.RETAINED_BYTES_PER_ENTRY;

    @Test
    void figuresDifferOnlyBeyondBothErrors() {
        assertEquals(Change.LOWER, OptionComparison.compare(100, 10, 200, 10));
        assertEquals(Change.HIGHER, OptionComparison.compare(200, 10, 100, 10));
        // the intervals 100 ± 60 and 200 ± 60 overlap
        assertEquals(Change.SAME, OptionComparison.compare(100, 60, 200, 60));
    }

    @Test
    void differenceUnderTwoPercentIsNoDifferenceEvenWithoutError() {
        assertEquals(Change.SAME, OptionComparison.compare(1000, 0, 1015, 0));
        assertEquals(Change.LOWER, OptionComparison.compare(1000, 0, 1030, 0));
    }

    @Test
    void timeWithoutErrorEstimateCannotBeJudged() {
        assertEquals(Change.UNKNOWN, OptionComparison.compare(100, Double.NaN, 200, 10));
        Verdict v = OptionComparison.verdict(side(100, Double.NaN), side(200, 10));
        assertEquals(OptionComparison.UNDETERMINED, v.word());
    }

    @Test
    void extraMetricsDifferFromTenPercent() {
        assertEquals(Change.SAME, OptionComparison.compareExtra(0, 0));
        assertEquals(Change.SAME, OptionComparison.compareExtra(0.95, 1));
        assertEquals(Change.LOWER, OptionComparison.compareExtra(1, 4));
        assertEquals(Change.HIGHER, OptionComparison.compareExtra(4, 1));
    }

    @Test
    void fasterIsPays() {
        Verdict v = OptionComparison.verdict(side(1000, 50), side(2000, 50));
        assertEquals(OptionComparison.PAYS, v.word());
        assertEquals(List.of("50% less time"), v.reasons());
        assertTrue(v.pays());
    }

    @Test
    void slowerIsCosts() {
        Verdict v = OptionComparison.verdict(side(5000, 50), side(2000, 50));
        assertEquals(OptionComparison.COSTS, v.word());
        assertEquals(List.of("2.5× the time"), v.reasons());
    }

    @Test
    void withinTheErrorIsNoMeasurableEffect() {
        Verdict v = OptionComparison.verdict(side(1900, 500), side(2000, 500));
        assertEquals(OptionComparison.NO_EFFECT, v.word());
        assertEquals("**no measurable effect**", v.text());
    }

    @Test
    void lessAllocationAloneIsPays() {
        Verdict v = OptionComparison.verdict(new Side(1900, 500, "ns/op", 2400.0, 10.0, Map.of()),
                new Side(2000, 500, "ns/op", 2800.0, 10.0, Map.of()));
        assertEquals(OptionComparison.PAYS, v.word());
        assertEquals(List.of("14% less allocation"), v.reasons());
    }

    @Test
    void fewerAgentCallsInTheSameTimeIsPays() {
        Verdict v = OptionComparison.verdict(side(1_800_000, 300_000, Map.of(AGENT_CALLS, 1.0)),
                side(1_810_000, 300_000, Map.of(AGENT_CALLS, 4.0)));
        assertEquals(OptionComparison.PAYS, v.word());
        assertEquals(List.of("agent calls/op 4.00 → 1.00"), v.reasons());
    }

    @Test
    void slowerButRetainingLessIsTradeOff() {
        Verdict v = OptionComparison.verdict(side(30_000, 1000, Map.of(RETAINED, 3500.0, AGENT_CALLS, 0.0)),
                side(3000, 100, Map.of(RETAINED, 16_500.0, AGENT_CALLS, 0.0)));
        assertEquals(OptionComparison.TRADE_OFF, v.word());
        // what is better first, then what is worse; equal metrics are not reasons
        assertEquals(List.of("retained B/cache entry 16,500 → 3,500", "10.0× the time"), v.reasons());
    }

    @Test
    void defaultsAreReadFromTheEndpointConfiguration() {
        assertEquals(Boolean.TRUE, OptionComparison.defaultOn("enableStepOptimization"));
        assertEquals(Boolean.FALSE, OptionComparison.defaultOn("enableAlgorithmOptimization"));
        assertEquals(Boolean.FALSE, OptionComparison.defaultOn("maxConcurrentExecutions"));
        assertNull(OptionComparison.defaultOn("noSuchOption"));
    }

    @Test
    void reportHasOneRowPerMeasuredOptionAndFlagsDefaultsThatDoNotPay() {
        List<Result> results = new ArrayList<>();
        // on by default and pays
        results.add(result("enableStepOptimization", "on", 2000, 100));
        results.add(result("enableStepOptimization", "off", 3000, 100));
        // on by default without paying
        results.add(result("enableContextOptimization", "on", 200_000, 90_000));
        results.add(result("enableContextOptimization", "off", 210_000, 90_000));
        // off by default and pays
        results.add(result("enableAlgorithmOptimization", "on", 20_000, 1000));
        results.add(result("enableAlgorithmOptimization", "off", 40_000, 1000));
        // one state only
        results.add(result("enableCircuitBreaker", "on", 2000, 100));
        String md = new BenchmarkReport(results, Map.of()).render("quick", "jvm", "command");

        String section = md.substring(md.indexOf("## 9. Optimization options, on vs off"));
        assertTrue(section.contains("| `enableStepOptimization` | `BARE_STEP` | on | 2,000 ± 100 ns/op"
                                    + " | 3,000 ± 100 ns/op | 0.67× |"),
                section);
        assertTrue(section.contains("| **pays**: 33% less time |"), section);
        assertTrue(section.contains("| `enableCircuitBreaker` | `BARE_STEP` | off | 2,000 ± 100 ns/op | - |"),
                section);
        assertTrue(section.contains("| not measured |"), section);
        assertFalse(section.contains("`enableCacheOptimization` |"), "options not measured have no row");
        assertTrue(section.contains("on by default without paying: `enableContextOptimization` (no measurable"
                                    + " effect) | **missed** |"),
                section);
        assertTrue(section.contains("| `enableAlgorithmOptimization` | reported |"), section);
    }

    @Test
    void sectionSaysSoWhenNothingWasMeasured() {
        String md = new BenchmarkReport(List.of(), Map.of()).render("quick", "jvm", "command");
        String section = md.substring(md.indexOf("## 9. Optimization options, on vs off"));
        assertTrue(section.contains("_Not measured in this run._"), section);
    }

    private static Side side(double score, double error) {
        return side(score, error, Map.of());
    }

    private static Side side(double score, double error, Map<String, Double> extras) {
        return new Side(score, error, "ns/op", null, null, extras);
    }

    private static Result result(String option, String state, double score, double error) {
        Map<String, String> params = new TreeMap<>(Map.of("option", option, "state", state));
        return new Result(
                "dev.flujo.benchmarks.OptimizationBenchmark.run", params, score, error, "ns/op", 2000.0,
                10.0);
    }
}
