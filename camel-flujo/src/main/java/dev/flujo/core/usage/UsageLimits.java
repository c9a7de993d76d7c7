package dev.flujo.core.usage;

import java.math.BigDecimal;

/**
 * The budget of a run. A {@code null} field means "no limit of that kind".
 */
public record UsageLimits(BigDecimal costLimitUsd, Long tokenLimit) {

    public static final UsageLimits NONE = new UsageLimits(null, null);

    public boolean isNone() {
        return costLimitUsd == null && tokenLimit == null;
    }

    /**
     * The tighter of two budgets, field by field. Several steps of one run may each declare limits; the run keeps the
     * smallest of each kind, so a later step can narrow the budget but never widen it.
     */
    public UsageLimits tighter(UsageLimits other) {
        if (other == null || other.isNone()) {
            return this;
        }
        if (isNone()) {
            return other;
        }
        BigDecimal cost = costLimitUsd == null ? other.costLimitUsd
                : other.costLimitUsd == null ? costLimitUsd : costLimitUsd.min(other.costLimitUsd);
        Long tokens = tokenLimit == null ? other.tokenLimit
                : other.tokenLimit == null ? tokenLimit : Long.valueOf(Math.min(tokenLimit, other.tokenLimit));
        return new UsageLimits(cost, tokens);
    }
}
