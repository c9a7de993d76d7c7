package dev.flujo.core.usage;

import java.math.BigDecimal;

import dev.flujo.core.result.Usage;

/**
 * Prices usage whose cost the agent did not report, from per-token prices. Usage that carries a cost keeps it.
 */
public record UsagePricing(BigDecimal costPerInputToken, BigDecimal costPerOutputToken) {

    public static final UsagePricing NONE = new UsagePricing(BigDecimal.ZERO, BigDecimal.ZERO);

    public UsagePricing {
        costPerInputToken = costPerInputToken == null ? BigDecimal.ZERO : costPerInputToken;
        costPerOutputToken = costPerOutputToken == null ? BigDecimal.ZERO : costPerOutputToken;
    }

    /** @return usage with a non-null cost */
    public Usage price(Usage usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        if (usage.hasCost()) {
            return usage;
        }
        BigDecimal cost = costPerInputToken.multiply(BigDecimal.valueOf(usage.inputTokens()))
                .add(costPerOutputToken.multiply(BigDecimal.valueOf(usage.outputTokens())));
        return new Usage(usage.inputTokens(), usage.outputTokens(), cost);
    }
}
