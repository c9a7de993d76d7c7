package dev.flujo.core.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * The run's token and cost budget, what each agent call reserves against it, and the token prices.
 *
 * @param costLimitUsd       the run's cost budget in USD; {@code null} = none
 * @param tokenLimit         the run's token budget; {@code null} = none
 * @param expectedCostUsd    cost reserved against the budget before each agent call
 * @param expectedTokens     tokens reserved against the budget before each agent call
 * @param costPerInputToken  price of an input token, used when an agent reports tokens but no cost
 * @param costPerOutputToken price of an output token, likewise
 */
public record BudgetOptions(BigDecimal costLimitUsd, Long tokenLimit, BigDecimal expectedCostUsd, long expectedTokens,
        BigDecimal costPerInputToken, BigDecimal costPerOutputToken) {

    public static final BudgetOptions DEFAULTS = new BudgetOptions(
            null, null, BigDecimal.ZERO, 0, BigDecimal.ZERO,
            BigDecimal.ZERO);

    public BudgetOptions {
        expectedCostUsd = expectedCostUsd == null ? BigDecimal.ZERO : expectedCostUsd;
        costPerInputToken = costPerInputToken == null ? BigDecimal.ZERO : costPerInputToken;
        costPerOutputToken = costPerOutputToken == null ? BigDecimal.ZERO : costPerOutputToken;
    }

    void validate(List<String> problems) {
        Checks.notNegative(problems, "costLimitUsd", costLimitUsd);
        if (tokenLimit != null && tokenLimit < 0) {
            problems.add("tokenLimit must not be negative, was " + tokenLimit);
        }
        Checks.notNegative(problems, "expectedCostUsd", expectedCostUsd);
        if (expectedTokens < 0) {
            problems.add("expectedTokens must not be negative, was " + expectedTokens);
        }
        Checks.notNegative(problems, "costPerInputToken", costPerInputToken);
        Checks.notNegative(problems, "costPerOutputToken", costPerOutputToken);
    }
}
