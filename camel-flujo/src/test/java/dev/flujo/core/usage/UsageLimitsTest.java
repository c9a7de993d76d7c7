package dev.flujo.core.usage;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageLimitsTest {

    private static UsageLimits limits(String cost, Long tokens) {
        return new UsageLimits(cost == null ? null : new BigDecimal(cost), tokens);
    }

    @Test
    void noneHasNoLimits() {
        assertTrue(UsageLimits.NONE.isNone());
        assertFalse(limits("1", null).isNone());
        assertFalse(limits(null, 1L).isNone());
    }

    @Test
    void tighterTakesTheSmallerOfEachKind() {
        assertEquals(limits("0.5", 100L), limits("1.0", 100L).tighter(limits("0.5", 500L)));
        assertEquals(limits("0.5", 100L), limits("0.5", 500L).tighter(limits("1.0", 100L)));
    }

    @Test
    void tighterKeepsALimitTheOtherDoesNotHave() {
        assertEquals(limits("1.0", 100L), limits("1.0", null).tighter(limits(null, 100L)));
        assertEquals(limits("1.0", 100L), limits(null, 100L).tighter(limits("1.0", null)));
    }

    @Test
    void tighterWithNoneOrNullIsUnchanged() {
        UsageLimits l = limits("1.0", 100L);
        assertSame(l, l.tighter(UsageLimits.NONE));
        assertSame(l, l.tighter(null));
        assertSame(l, UsageLimits.NONE.tighter(l));
    }

    @Test
    void tighterNeverWidens() {
        UsageLimits l = limits("0.10", 10L);
        UsageLimits widened = l.tighter(limits("100", 1_000_000L));
        assertEquals(0, new BigDecimal("0.10").compareTo(widened.costLimitUsd()));
        assertEquals(10L, widened.tokenLimit());
    }
}
