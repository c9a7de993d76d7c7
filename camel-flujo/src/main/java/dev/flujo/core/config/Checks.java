package dev.flujo.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** The checks the option records share, each adding a problem that names its option. */
final class Checks {

    private Checks() {
    }

    static void positive(List<String> problems, String option, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            problems.add(option + " must be a positive duration, was " + value);
        }
    }

    static void notNegative(List<String> problems, String option, BigDecimal value) {
        if (value != null && value.signum() < 0) {
            problems.add(option + " must not be negative, was " + value.toPlainString());
        }
    }

    static void atLeastOne(List<String> problems, String option, long value) {
        if (value < 1) {
            problems.add(option + " must be at least 1, was " + value);
        }
    }
}
