package dev.flujo.camel.context;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.context.CopyOnWriteContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/**
 * The step context of an exchange: a live, read-only view of its user properties. Properties whose name starts with
 * {@code Camel} (Camel's own and the component's {@code CamelFlujo*}) are not part of it.
 *
 * <p>
 * Creating the view copies nothing. Steps never write through it; the producer applies a successful step's context
 * updates to the exchange afterwards.
 */
public final class ExchangeContext implements FlujoContext {

    private final Exchange exchange;

    public ExchangeContext(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Whether a property name is reserved for Camel and the component, hence never part of the context. */
    public static boolean isReserved(String key) {
        return key.startsWith("Camel");
    }

    /** The exchange behind a context, or {@code null} when the context is not an exchange's. */
    public static Exchange exchangeOf(FlujoContext context) {
        return context instanceof ExchangeContext ec ? ec.exchange : null;
    }

    /**
     * A scratch exchange for running a Camel processor or predicate on a value: a copy of the context's exchange (so
     * headers and properties are visible, but changes to them are not kept), or an empty exchange.
     */
    public static Exchange scratchExchange(FlujoContext context, CamelContext camelContext) {
        Exchange source = exchangeOf(context);
        Exchange scratch = source != null ? source.copy() : new DefaultExchange(camelContext);
        scratch.setException(null);
        return scratch;
    }

    /**
     * The run of an exchange, created on the first step.
     *
     * @throws FlujoConfigurationException when the {@code CamelFlujoRun} property holds something else, e.g. a value an
     *                                     untrusted caller set: it is never converted or trusted
     */
    public static FlujoRun runOf(Exchange exchange) {
        FlujoRun run = existingRun(exchange, "run a step");
        if (run == null) {
            // the exchange id is unique, already generated and correlates the run with Camel's own logs and traces
            run = new FlujoRun(exchange.getExchangeId());
            bindRun(exchange, run);
        }
        return run;
    }

    /**
     * The run an exchange carries, or {@code null}.
     *
     * @param  refusing                    what is refused when the property holds something else, for the message
     * @throws FlujoConfigurationException when the {@code CamelFlujoRun} property holds something else than a run
     */
    public static FlujoRun existingRun(Exchange exchange, String refusing) {
        Object value = exchange.getProperty(FlujoConstants.RUN);
        if (value == null || value instanceof FlujoRun) {
            return (FlujoRun) value;
        }
        throw new FlujoConfigurationException(
                "Exchange property " + FlujoConstants.RUN + " holds a "
                                              + value.getClass().getName() + ", not a FlujoRun; refusing to " + refusing
                                              + " with it");
    }

    /**
     * Makes the exchange the run's own: the one exchange that may pause it (see {@link #checkOwnsRun}). The owner is
     * kept in the run, not in another property: copies of the exchange share the run object but not the exchange id.
     */
    public static void bindRun(Exchange exchange, FlujoRun run) {
        exchange.setProperty(FlujoConstants.RUN, run.ownedBy(exchange.getExchangeId()));
    }

    /**
     * A human step pauses a whole run, so only the exchange that owns it may pause it - not a copy that shares the run:
     * a split part, an agent route's exchange, a wire tap, a branch of a composite step.
     *
     * @throws FlujoConfigurationException naming the step and saying how to give the copy a run of its own
     */
    public static void checkOwnsRun(Exchange exchange, String step) {
        if (!(exchange.getProperty(FlujoConstants.RUN) instanceof FlujoRun run) || run.isBranch()) {
            return; // no run yet (this step creates it), or a branch: the human step itself refuses, naming that
        }
        String owner = run.owner();
        if (owner != null && !owner.equals(exchange.getExchangeId())) {
            throw new FlujoConfigurationException(
                    "Human step '" + step + "' cannot pause the run of exchange " + owner
                                                  + " from a copy of it (a split part, an agent route, a wire tap, a branch): the other copies would"
                                                  + " go on. Pause in the exchange that owns the run, or give the copy a run of its own by removing"
                                                  + " the " + FlujoConstants.RUN + " property first");
        }
    }

    /**
     * The fallback chain an exchange sent to an endpoint agent carries (see {@link FlujoConstants#FALLBACK_CHAIN}).
     *
     * @throws FlujoConfigurationException when the property holds anything but a list of step names
     */
    public static List<String> fallbackChainOf(Exchange exchange) {
        Object value = exchange.getProperty(FlujoConstants.FALLBACK_CHAIN);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new FlujoConfigurationException(
                "Exchange property " + FlujoConstants.FALLBACK_CHAIN + " holds a "
                                              + value.getClass().getName() + ", not a list of step names");
    }

    @Override
    public Object get(String key) {
        return isReserved(key) ? null : exchange.getProperty(key);
    }

    @Override
    public Set<String> keys() {
        return asMap().keySet();
    }

    @Override
    public Map<String, Object> asMap() {
        Map<String, Object> view = new LinkedHashMap<>();
        exchange.getProperties().forEach((k, v) -> {
            if (!isReserved(k) && v != null) {
                view.put(k, v);
            }
        });
        return Collections.unmodifiableMap(view);
    }

    @Override
    public CopyOnWriteContext copy() {
        return CopyOnWriteContext.of(asMap());
    }

    @Override
    public String toString() {
        return "ExchangeContext[" + exchange.getExchangeId() + "]";
    }
}
