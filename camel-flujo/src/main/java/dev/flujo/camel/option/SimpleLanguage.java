package dev.flujo.camel.option;

import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.context.FlujoContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;

/**
 * Simple predicates and expressions of composite options ({@code until}, {@code condition}, {@code message}), compiled
 * when the endpoint starts and evaluated on a scratch exchange whose body is the value and whose properties are the
 * context.
 */
public final class SimpleLanguage {

    private SimpleLanguage() {
    }

    public static Predicate predicate(CamelContext camelContext, String step, String option, String text) {
        require(step, option, text);
        try {
            Predicate predicate = camelContext.resolveLanguage("simple").createPredicate(text);
            predicate.init(camelContext);
            return predicate;
        } catch (RuntimeException e) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option " + option + ": invalid Simple predicate '"
                                                  + text + "': " + e.getMessage(),
                    e);
        }
    }

    public static Expression expression(CamelContext camelContext, String step, String option, String text) {
        require(step, option, text);
        try {
            Expression expression = camelContext.resolveLanguage("simple").createExpression(text);
            expression.init(camelContext);
            return expression;
        } catch (RuntimeException e) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option " + option + ": invalid Simple expression '"
                                                  + text + "': " + e.getMessage(),
                    e);
        }
    }

    private static void require(String step, String option, String text) {
        if (text == null || text.isBlank()) {
            throw new FlujoConfigurationException("Step '" + step + "' needs option " + option);
        }
    }

    /**
     * A scratch exchange to evaluate on: a copy of the context's exchange when it is one (headers visible), else a new
     * exchange with the context as properties; in both cases the body is the value.
     */
    static Exchange exchangeFor(CamelContext camelContext, FlujoContext context, Object body) {
        Exchange scratch = ExchangeContext.scratchExchange(context, camelContext);
        if (ExchangeContext.exchangeOf(context) == null) {
            context.asMap().forEach(scratch::setProperty);
        }
        scratch.getMessage().setBody(body);
        return scratch;
    }

    public static boolean matches(CamelContext camelContext, Predicate predicate, Object body, FlujoContext context) {
        Exchange scratch = exchangeFor(camelContext, context, body);
        boolean result = predicate.matches(scratch);
        rethrow(scratch);
        return result;
    }

    public static <T> T evaluate(
            CamelContext camelContext, Expression expression, Object body, FlujoContext context,
            Class<T> type) {
        Exchange scratch = exchangeFor(camelContext, context, body);
        T result = expression.evaluate(scratch, type);
        rethrow(scratch);
        return result;
    }

    private static void rethrow(Exchange scratch) {
        if (scratch.getException() != null) {
            throw org.apache.camel.RuntimeCamelException.wrapRuntimeException(scratch.getException());
        }
    }
}
