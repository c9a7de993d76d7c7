package dev.flujo.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.flujo.benchmarks.OptimizationBenchmark;
import dev.flujo.benchmarks.OptimizationBenchmark.Case;
import dev.flujo.benchmarks.OptimizationBenchmark.Workload;
import dev.flujo.benchmarks.report.BenchmarkReport.Result;
import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.core.config.OptimizationConfig;

/**
 * Scenario 9: each option of {@link OptimizationBenchmark} on vs off, one row per option with both states' figures and
 * a verdict computed from them, never typed in:
 *
 * <ul>
 * <li>Two figures differ only when their ± error intervals do not overlap and they are at least
 * {@value #MIN_SHARE_PERCENT}% apart. A time without an error estimate (a single iteration) cannot be judged.</li>
 * <li>The figures compared are the time and the allocation per operation, and the benchmark's extra metrics (agent
 * calls per op, heap retained per cache entry), lower being better in each. The extra metrics have no error estimate:
 * they differ when at least {@value #MIN_EXTRA_SHARE_PERCENT}% apart. An allocation without an error estimate is taken
 * as exact.</li>
 * <li>The verdict is <b>pays</b> when on is better in something and worse in nothing, <b>costs</b> when it is worse in
 * something and better in nothing, <b>trade-off</b> when both, <b>no measurable effect</b> when neither.</li>
 * </ul>
 */
final class OptionComparison {

    static final String CLASS = "OptimizationBenchmark";
    static final String METHOD = "run";
    static final int MIN_SHARE_PERCENT = 2;
    static final int MIN_EXTRA_SHARE_PERCENT = 10;

    static final String PAYS = "pays";
    static final String COSTS = "costs";
    static final String TRADE_OFF = "trade-off";
    static final String NO_EFFECT = "no measurable effect";
    static final String UNDETERMINED = "undetermined";

    /** How the extra metrics are called in the report. */
    private static final Map<String, String> EXTRA_LABELS = Map.of(
            OptimizationBenchmark.AGENT_CALLS_PER_OP, "agent calls/op",
            OptimizationBenchmark.RETAINED_BYTES_PER_ENTRY, "retained B/cache entry");

    private OptionComparison() {
    }

    /** How a figure with the option on compares with the figure with it off. */
    enum Change {
        LOWER,
        HIGHER,
        SAME,
        UNKNOWN
    }

    /**
     * One state's figures.
     *
     * @param error      the score's error; NaN when JMH gave none
     * @param alloc      {@code gc.alloc.rate.norm}, null when not profiled
     * @param allocError its error; NaN or null when JMH gave none (the allocation is then taken as exact)
     * @param extras     the extra metrics, lower is better
     */
    record Side(double score, double error, String unit, Double alloc, Double allocError, Map<String, Double> extras) {

        static Side of(Result r, Map<String, Double> extras) {
            return new Side(r.score(), r.error(), r.unit(), r.allocBytes(), r.allocError(), extras);
        }
    }

    /** @param reasons what differs, on vs off, each with its figures */
    record Verdict(String word, List<String> reasons) {

        String text() {
            return reasons.isEmpty() ? "**" + word + "**" : "**" + word + "**: " + String.join("; ", reasons);
        }

        boolean pays() {
            return PAYS.equals(word);
        }
    }

    /** Whether {@code on} is lower, higher or the same as {@code off}, given their errors (NaN: no estimate). */
    static Change compare(double on, double onError, double off, double offError) {
        if (Double.isNaN(on) || Double.isNaN(off) || Double.isNaN(onError) || Double.isNaN(offError)) {
            return Change.UNKNOWN;
        }
        if (Math.abs(on - off) <= MIN_SHARE_PERCENT / 100.0 * Math.max(Math.abs(on), Math.abs(off))) {
            return Change.SAME;
        }
        if (on + onError < off - offError) {
            return Change.LOWER;
        }
        return on - onError > off + offError ? Change.HIGHER : Change.SAME;
    }

    /** An extra metric, which has no error estimate: lower or higher when at least 10% apart. */
    static Change compareExtra(double on, double off) {
        if (Double.isNaN(on) || Double.isNaN(off)) {
            return Change.UNKNOWN;
        }
        if (Math.abs(on - off) <= MIN_EXTRA_SHARE_PERCENT / 100.0 * Math.max(Math.abs(on), Math.abs(off))) {
            return Change.SAME;
        }
        return on < off ? Change.LOWER : Change.HIGHER;
    }

    static Verdict verdict(Side on, Side off) {
        Change time = compare(on.score(), on.error(), off.score(), off.error());
        if (time == Change.UNKNOWN) {
            return new Verdict(UNDETERMINED, List.of("no error estimate for the time (too few iterations)"));
        }
        List<String> better = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        sort(time, share("time", on.score(), off.score()), better, worse);
        if (on.alloc() != null && off.alloc() != null) {
            Change alloc = compare(on.alloc(), exact(on.allocError()), off.alloc(), exact(off.allocError()));
            sort(alloc, share("allocation", on.alloc(), off.alloc()), better, worse);
        }
        on.extras().forEach((metric, onValue) -> {
            Double offValue = off.extras().get(metric);
            if (offValue != null) {
                sort(compareExtra(onValue, offValue), EXTRA_LABELS.getOrDefault(metric, metric) + " "
                                                      + BenchmarkReport.format(offValue) + " → "
                                                      + BenchmarkReport.format(onValue),
                        better, worse);
            }
        });
        String word = !better.isEmpty() && worse.isEmpty() ? PAYS
                : better.isEmpty() && !worse.isEmpty() ? COSTS
                : !better.isEmpty() ? TRADE_OFF : NO_EFFECT;
        List<String> reasons = new ArrayList<>(better);
        reasons.addAll(worse);
        return new Verdict(word, reasons);
    }

    private static void sort(Change change, String reason, List<String> better, List<String> worse) {
        if (change == Change.LOWER) {
            better.add(reason);
        } else if (change == Change.HIGHER) {
            worse.add(reason);
        }
    }

    /** "30% less time", "2.5× the allocation": on relative to off. */
    private static String share(String what, double on, double off) {
        double ratio = on / off;
        if (ratio >= 2) {
            return String.format(Locale.ROOT, "%.1f× the %s", ratio, what);
        }
        return String.format(Locale.ROOT, "%.0f%% %s %s", Math.abs(1 - ratio) * 100, ratio < 1 ? "less" : "more",
                what);
    }

    private static double exact(Double error) {
        return error == null || Double.isNaN(error) ? 0 : error;
    }

    /** The figures of an option in a state ({@code on} / {@code off}); null when not measured. */
    static Side side(BenchmarkReport r, String option, String state) {
        Result result = r.result(CLASS, METHOD, "option=" + option + ", state=" + state);
        return result == null
                ? null
                : Side.of(result, r.extras(OptimizationBenchmark.extraMetricsName(option, state)));
    }

    /** The verdict of an option, null unless both states were measured. */
    static Verdict verdict(BenchmarkReport r, String option) {
        Side on = side(r, option, "on");
        Side off = side(r, option, "off");
        return on == null || off == null ? null : verdict(on, off);
    }

    /** Whether the Camel endpoint has the option on by default (a non-zero number counts as on); null if unknown. */
    static Boolean defaultOn(String option) {
        OptimizationConfig defaults = new FlujoConfiguration().toOptimizationConfig("defaults");
        // an option that is not one of the core configuration is unknown: null
        Object value = defaults.values().get(option);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof java.time.Duration d) {
            return !d.isZero();
        }
        return null;
    }

    /** The workloads, then one row per option. */
    static String table(BenchmarkReport r) {
        StringBuilder md = new StringBuilder();
        List<Case> measured = OptimizationBenchmark.CASES.stream()
                .filter(c -> side(r, c.option(), "on") != null || side(r, c.option(), "off") != null).toList();
        if (measured.isEmpty()) {
            return "_Not measured in this run._\n\n";
        }
        md.append("Workloads:\n\n");
        for (Workload w : Workload.values()) {
            md.append("- `").append(w.name()).append("`: ").append(w.description()).append('\n');
        }
        md.append("\n| option | workload | default | time/op on | time/op off | on/off | alloc B/op on | alloc B/op off"
                  + " | other figures, off → on | verdict |\n|---|---|---|---:|---:|---:|---:|---:|---|---|\n");
        for (Case c : measured) {
            Side on = side(r, c.option(), "on");
            Side off = side(r, c.option(), "off");
            Boolean defaultOn = defaultOn(c.option());
            md.append("| `").append(c.option()).append('`')
                    .append(c.on().equals("true") ? "" : " (on = " + c.on() + ", off = " + c.off() + ")")
                    .append(" | `").append(c.workload().name()).append('`')
                    .append(c.with().isEmpty() ? "" : ", with `" + c.with() + "`")
                    .append(" | ").append(defaultOn == null ? "?" : defaultOn ? "on" : "off")
                    .append(" | ").append(time(on)).append(" | ").append(time(off))
                    .append(" | ").append(on == null || off == null
                            ? "" : String.format(Locale.ROOT, "%.2f×",
                                    on.score() / off.score()))
                    .append(" | ").append(alloc(on)).append(" | ").append(alloc(off))
                    .append(" | ").append(others(on, off))
                    .append(" | ").append(on == null || off == null ? "not measured" : verdict(on, off).text())
                    .append(" |\n");
        }
        return md.append('\n').toString();
    }

    private static String time(Side s) {
        return s == null
                ? "-" : BenchmarkReport.format(s.score()) + " ± " + BenchmarkReport.format(s.error()) + " "
                        + s.unit();
    }

    private static String alloc(Side s) {
        return s == null || s.alloc() == null ? "" : BenchmarkReport.format(s.alloc());
    }

    private static String others(Side on, Side off) {
        if (on == null || off == null) {
            return "";
        }
        Map<String, String> figures = new LinkedHashMap<>();
        off.extras().forEach((metric, offValue) -> {
            Double onValue = on.extras().get(metric);
            if (onValue != null) {
                figures.put(metric, EXTRA_LABELS.getOrDefault(metric, metric) + " " + BenchmarkReport.format(offValue)
                                    + " → " + BenchmarkReport.format(onValue));
            }
        });
        return String.join("; ", figures.values());
    }

    /** Options on by default must pay; each one that does not in this run is named. */
    static Target defaultsTarget() {
        return new Target(
                "every optimization on by default pays in this run (otherwise it should default to off;"
                          + " guards - breakers, limits, error classes, backoff - are judged by what they prevent)",
                r -> {
                    List<String> offenders = new ArrayList<>();
                    int judged = 0;
                    for (Case c : OptimizationBenchmark.CASES) {
                        Verdict v = verdict(r, c.option());
                        if (v == null || c.guard() || !Boolean.TRUE.equals(defaultOn(c.option()))) {
                            continue;
                        }
                        judged++;
                        if (!v.pays()) {
                            offenders.add("`" + c.option() + "` (" + v.word() + ")");
                        }
                    }
                    if (judged == 0) {
                        return Target.Verdict.NOT_MEASURED;
                    }
                    return new Target.Verdict(
                            offenders.isEmpty()
                                    ? "all " + judged + " pay"
                                    : "on by default without paying: " + String.join(", ", offenders),
                            offenders.isEmpty());
                });
    }

    /** The options that pay but are off by default: candidates to turn on, for a person to weigh. */
    static Target candidatesTarget() {
        return new Target("options that pay in this run but are off by default (no target; reported)", r -> {
            List<String> candidates = new ArrayList<>();
            boolean any = false;
            for (Case c : OptimizationBenchmark.CASES) {
                Verdict v = verdict(r, c.option());
                any |= v != null;
                if (v != null && v.pays() && Boolean.FALSE.equals(defaultOn(c.option()))) {
                    candidates.add("`" + c.option() + "`");
                }
            }
            return !any
                    ? Target.Verdict.NOT_MEASURED
                    : Target.Verdict.reported(candidates.isEmpty() ? "none" : String.join(", ", candidates));
        });
    }
}
