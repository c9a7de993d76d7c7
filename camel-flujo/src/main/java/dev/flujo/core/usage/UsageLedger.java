package dev.flujo.core.usage;

import java.math.BigDecimal;

import dev.flujo.core.result.Usage;

/**
 * The usage account of one run: committed usage, outstanding reservations and the limits.
 *
 * <p>
 * A step reserves its expected usage before calling an agent and reconciles the real usage afterwards, so that
 * concurrent branches of one run cannot together overshoot the budget by starting calls the budget cannot pay for. All
 * methods are atomic; a plain monitor is enough because the critical sections are a few additions.
 */
public final class UsageLedger {

    private UsageLimits limits = UsageLimits.NONE;
    private Usage committed = Usage.ZERO;
    private long reservedTokens;
    private BigDecimal reservedCost = BigDecimal.ZERO;

    public UsageLedger() {
    }

    /** A ledger that continues a run: what it already spent and the limits it had (a resumed human-paused run). */
    public UsageLedger(Usage committed, UsageLimits limits) {
        this.committed = committed == null ? Usage.ZERO : committed;
        this.limits = limits == null ? UsageLimits.NONE : limits;
    }

    /** Narrows the limits to the tighter of the current and the given ones. */
    public synchronized void applyLimits(UsageLimits stepLimits) {
        limits = limits.tighter(stepLimits);
    }

    public synchronized UsageLimits limits() {
        return limits;
    }

    public synchronized Usage totals() {
        return committed;
    }

    /**
     * Reserves the expected usage of one agent call.
     *
     * @return a breach when the committed usage plus all reservations plus this one would exceed a limit (nothing is
     *         reserved then), else {@code null}
     */
    public synchronized LimitBreach reserve(long expectedTokens, BigDecimal expectedCost) {
        if (limits.tokenLimit() != null) {
            long wanted = committed.totalTokens() + reservedTokens + expectedTokens;
            if (wanted > limits.tokenLimit()) {
                return new LimitBreach("tokens", BigDecimal.valueOf(limits.tokenLimit()), BigDecimal.valueOf(wanted), true);
            }
        }
        if (limits.costLimitUsd() != null) {
            BigDecimal wanted = committed.costOrZero().add(reservedCost).add(expectedCost);
            if (wanted.compareTo(limits.costLimitUsd()) > 0) {
                return new LimitBreach("cost", limits.costLimitUsd(), wanted, true);
            }
        }
        if (expectedTokens != 0 || expectedCost.signum() != 0) {
            reservedTokens += expectedTokens;
            reservedCost = reservedCost.add(expectedCost);
        }
        return null;
    }

    /**
     * Releases a reservation made by {@link #reserve} and commits the actual usage of the call.
     *
     * @return a breach when the committed usage is now over a limit, else {@code null}
     */
    public synchronized LimitBreach reconcile(long expectedTokens, BigDecimal expectedCost, Usage actual) {
        if (expectedTokens != 0 || expectedCost.signum() != 0) {
            reservedTokens -= expectedTokens;
            reservedCost = reservedCost.subtract(expectedCost);
        }
        committed = committed.plus(actual);
        return overLimit();
    }

    private LimitBreach overLimit() {
        if (limits.tokenLimit() != null && committed.totalTokens() > limits.tokenLimit()) {
            return new LimitBreach(
                    "tokens", BigDecimal.valueOf(limits.tokenLimit()),
                    BigDecimal.valueOf(committed.totalTokens()), false);
        }
        if (limits.costLimitUsd() != null && committed.costOrZero().compareTo(limits.costLimitUsd()) > 0) {
            return new LimitBreach("cost", limits.costLimitUsd(), committed.costOrZero(), false);
        }
        return null;
    }
}
