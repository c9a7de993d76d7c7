package dev.flujo.core.usage;

import java.math.BigDecimal;

import dev.flujo.core.result.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageTest {

    @Test
    void negativeTokensOrCostAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 0, BigDecimal.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Usage(0, -1, BigDecimal.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Usage(0, 0, new BigDecimal("-0.01")));
        assertThrows(NullPointerException.class, () -> Usage.of(1, 1, null));
    }

    @Test
    void tokensOnlyUsageHasNoCost() {
        Usage u = Usage.tokens(3, 4);
        assertFalse(u.hasCost());
        assertNull(u.costUsd());
        assertEquals(BigDecimal.ZERO, u.costOrZero());
        assertEquals(7, u.totalTokens());
    }

    @Test
    void plusAddsTokensAndCostExactly() {
        Usage sum = Usage.ZERO;
        for (int i = 0; i < 10; i++) {
            sum = sum.plus(Usage.of(1, 2, new BigDecimal("0.1")));
        }
        assertEquals(10, sum.inputTokens());
        assertEquals(20, sum.outputTokens());
        assertEquals(0, BigDecimal.ONE.compareTo(sum.costUsd()));

        Usage withTokensOnly = Usage.of(1, 1, new BigDecimal("0.5")).plus(Usage.tokens(2, 2));
        assertEquals(6, withTokensOnly.totalTokens());
        assertEquals(0, new BigDecimal("0.5").compareTo(withTokensOnly.costUsd()));
        assertTrue(withTokensOnly.hasCost());
    }

    @Test
    void plusWithZeroOrNullIsIdentity() {
        Usage u = Usage.of(1, 2, BigDecimal.ONE);
        assertSame(u, u.plus(null));
        assertSame(u, u.plus(Usage.ZERO));
    }

    @Test
    void pricingComputesCostFromTokens() {
        UsagePricing pricing = new UsagePricing(new BigDecimal("0.000003"), new BigDecimal("0.000015"));
        Usage priced = pricing.price(Usage.tokens(1000, 100));
        assertEquals(1000, priced.inputTokens());
        assertEquals(100, priced.outputTokens());
        assertEquals(0, new BigDecimal("0.0045").compareTo(priced.costUsd()));
    }

    @Test
    void pricingKeepsAReportedCost() {
        UsagePricing pricing = new UsagePricing(BigDecimal.ONE, BigDecimal.ONE);
        Usage reported = Usage.of(1000, 100, new BigDecimal("0.01"));
        assertSame(reported, pricing.price(reported));
        assertEquals(Usage.ZERO, pricing.price(null));
    }

    @Test
    void pricingWithoutPricesCostsZero() {
        Usage priced = UsagePricing.NONE.price(Usage.tokens(10, 10));
        assertTrue(priced.hasCost());
        assertEquals(0, BigDecimal.ZERO.compareTo(priced.costUsd()));
        Usage nullPrices = new UsagePricing(null, null).price(Usage.tokens(10, 10));
        assertEquals(0, BigDecimal.ZERO.compareTo(nullPrices.costUsd()));
    }

    @Test
    void limitBreachDescribesItself() {
        LimitBreach refused = new LimitBreach("tokens", new BigDecimal("100"), new BigDecimal("150"), true);
        LimitBreach exceeded = new LimitBreach("cost", new BigDecimal("0.25"), new BigDecimal("0.30"), false);
        assertEquals("refused: would exceed tokens limit 100 (150)", refused.describe());
        assertEquals("exceeded cost limit 0.25 (0.30)", exceeded.describe());
    }
}
