package dev.flujo.core.result;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Tokens and cost of one agent call, a step, or a whole run.
 *
 * <p>
 * Cost is a {@link BigDecimal} so that totals over many parallel calls add up exactly. A {@code null} cost means "the
 * agent did not report one"; {@link UsagePricing} prices such usage from its tokens.
 */
public record Usage(long inputTokens, long outputTokens, BigDecimal costUsd) {

    public static final Usage ZERO = new Usage(0, 0, BigDecimal.ZERO);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: in=" + inputTokens + " out=" + outputTokens);
        }
        if (costUsd != null && costUsd.signum() < 0) {
            throw new IllegalArgumentException("cost must not be negative: " + costUsd);
        }
    }

    /** Usage with tokens only; the cost is left for {@link UsagePricing} to compute. */
    public static Usage tokens(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, null);
    }

    public static Usage of(long inputTokens, long outputTokens, BigDecimal costUsd) {
        return new Usage(inputTokens, outputTokens, Objects.requireNonNull(costUsd, "costUsd"));
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public boolean hasCost() {
        return costUsd != null;
    }

    public BigDecimal costOrZero() {
        return costUsd == null ? BigDecimal.ZERO : costUsd;
    }

    public Usage plus(Usage other) {
        if (other == null || other == ZERO) {
            return this;
        }
        return new Usage(
                inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                costOrZero().add(other.costOrZero()));
    }
}
