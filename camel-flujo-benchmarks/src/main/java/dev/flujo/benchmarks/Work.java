package dev.flujo.benchmarks;

import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.Usage;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;
import org.apache.camel.Processor;

/**
 * The work every contender does, so that only the machinery around it differs: the "no-op agent" returns its input
 * transformed, with fixed usage.
 */
public final class Work {

    public static final Usage FIXED_USAGE = Usage.of(12, 3, new BigDecimal("0.00005"));

    private Work() {
    }

    /** The transformation itself: cheap, allocation-light, not optimized away. */
    public static String transform(Object input) {
        String s = String.valueOf(input);
        return s.length() > 64 ? s.substring(0, 64) : s + '.';
    }

    /** A flujo agent around {@link #transform}: completes at once, with fixed usage. */
    public static FlujoAgent noopAgent() {
        return request -> CompletableFuture.completedFuture(
                AgentResponse.of(transform(request.input()), FIXED_USAGE));
    }

    /** The plain Camel equivalent: a processor doing the same transformation on the body. */
    public static Processor plainProcessor() {
        return exchange -> exchange.getMessage().setBody(transform(exchange.getMessage().getBody()));
    }

    /** A validator of the full-featured scenario: the output must not be empty. */
    public static FlujoValidator notEmpty() {
        return new FlujoValidator() {
            @Override
            public ValidationResult validate(Object output, FlujoContext context) {
                return output != null && !output.toString().isEmpty()
                        ? ValidationResult.ok()
                        : ValidationResult.fail("empty output");
            }

            @Override
            public String name() {
                return "notEmpty";
            }
        };
    }

    /** An output processor of the full-featured scenario. */
    public static FlujoProcessor trim() {
        return (value, context) -> value.toString().trim();
    }
}
