package dev.flujo.camel.agent;

import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;

/**
 * A Camel {@link Predicate} (the {@code validate} Simple expression, or a Predicate bean in {@code validators}) as a
 * validator: the output is the body of a scratch copy of the exchange.
 */
public final class PredicateValidator implements FlujoValidator {

    private final CamelContext camelContext;
    private final Predicate predicate;
    private final String name;
    private final String description;
    private final Expression message;

    /**
     * @param name        how feedback names this validator (the option, or the bean reference)
     * @param description what the output must satisfy, e.g. the Simple expression
     */
    public PredicateValidator(CamelContext camelContext, Predicate predicate, String name, String description) {
        this(camelContext, predicate, name, description, null);
    }

    /**
     * @param message the feedback of a failure ({@code validateMessage}, a Simple template over the output and the
     *                context), written for the model rather than in Simple syntax; {@code null} to say what the output
     *                does not satisfy
     */
    public PredicateValidator(CamelContext camelContext, Predicate predicate, String name, String description,
                              Expression message) {
        this.camelContext = camelContext;
        this.predicate = predicate;
        this.name = name;
        this.description = description;
        this.message = message;
    }

    @Override
    public ValidationResult validate(Object output, FlujoContext context) {
        Exchange scratch = ExchangeContext.scratchExchange(context, camelContext);
        scratch.getMessage().setBody(output);
        if (predicate.matches(scratch)) {
            return ValidationResult.ok();
        }
        return ValidationResult.fail(message != null
                ? message.evaluate(scratch, String.class)
                : "output does not satisfy " + description);
    }

    @Override
    public String name() {
        return name;
    }
}
