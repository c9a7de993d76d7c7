package dev.flujo.core.usage;

import java.math.BigDecimal;

/**
 * Which limit a run hit: the limit's kind and value, and the amount that went (or would have gone) past it.
 *
 * @param kind      {@code "cost"} or {@code "tokens"}
 * @param limit     the configured limit
 * @param attempted the committed total, plus the reservation when a call was refused before it ran
 * @param refused   true when a call was refused before it ran; false when an actual usage went past the limit
 */
public record LimitBreach(String kind, BigDecimal limit, BigDecimal attempted, boolean refused) {

    public String describe() {
        return (refused ? "refused: would exceed " : "exceeded ") + kind + " limit " + limit.toPlainString()
               + " (" + attempted.toPlainString() + ")";
    }
}
