package dev.flujo.benchmarks.report;

import java.util.Locale;
import java.util.function.Function;

/** A target from issue 3 and how to check it against a run's figures. */
record Target(String text, Function<BenchmarkReport, Verdict> check) {

    /**
     * {@code met} is null when the figures needed were not measured in this run, or when the row only reports a figure
     * ({@code reportOnly}) and has no bound to meet.
     */
    record Verdict(String figure, Boolean met, boolean reportOnly) {
        static final Verdict NOT_MEASURED = new Verdict("-", null, false);

        Verdict(String figure, boolean met) {
            this(figure, met, false);
        }

        static Verdict reported(String figure) {
            return new Verdict(figure, null, true);
        }

        String label() {
            return reportOnly ? "reported" : met == null ? "not measured" : met ? "**met**" : "**missed**";
        }
    }

    /** {@code subject} costs at most {@code max} times {@code reference} (both time per operation). */
    static Target ratioAtMost(String text, String cls, String subject, String reference, String params, double max) {
        return new Target(text, r -> {
            Double s = r.score(cls, subject, params);
            Double ref = r.score(cls, reference, params);
            if (s == null || ref == null) {
                return Verdict.NOT_MEASURED;
            }
            double ratio = s / ref;
            return new Verdict(
                    String.format(Locale.ROOT, "%.2f× (%s vs %s ns/op)", ratio, BenchmarkReport.format(s),
                            BenchmarkReport.format(ref)),
                    ratio <= max);
        });
    }

    /** {@code reference} costs at least {@code min} times {@code subject}: the subject is that much faster. */
    static Target speedupAtLeast(String text, String cls, String subject, String reference, String params, double min) {
        return new Target(text, r -> {
            Double s = r.score(cls, subject, params);
            Double ref = r.score(cls, reference, params);
            if (s == null || ref == null) {
                return Verdict.NOT_MEASURED;
            }
            double speedup = ref / s;
            return new Verdict(String.format(Locale.ROOT, "%.1f× faster", speedup), speedup >= min);
        });
    }

    /** An extra metric is at most (or, with {@code atLeast}, at least) a bound. */
    static Target extraBound(String text, String file, String metric, double bound, boolean atLeast, String unit) {
        return new Target(text, r -> {
            Double v = r.extra(file, metric);
            if (v == null) {
                return Verdict.NOT_MEASURED;
            }
            return new Verdict(BenchmarkReport.format(v) + unit, atLeast ? v >= bound : v <= bound);
        });
    }
}
