package dev.flujo.camel.flow;

import java.util.List;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertion helpers of the composite-kind tests. */
final class FlowAssertions {

    private FlowAssertions() {
    }

    /** The messages of a throwable and all its causes, one line each, so a wrapped message can be checked. */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** The exception the exchange failed with, which must be of the given type (not merely wrap it). */
    static <T extends Throwable> T exceptionOf(Exchange exchange, Class<T> type) {
        Exception e = exchange.getException();
        assertNotNull(e, "the exchange should have failed");
        return assertInstanceOf(type, e, () -> "unexpected exception:\n" + messages(e));
    }

    static void assertContains(String text, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(text != null && text.contains(fragment), () -> "expected '" + fragment + "' in:\n" + text);
        }
    }

    static FlujoRun runOf(Exchange exchange) {
        return assertInstanceOf(FlujoRun.class, exchange.getProperty(FlujoConstants.RUN),
                "exchange property " + FlujoConstants.RUN);
    }

    /** The result the run of the exchange recorded last for the step. */
    static StepResult lastResult(Exchange exchange, String step) {
        StepResult result = runOf(exchange).lastResult(step);
        assertNotNull(result, () -> "no result of step '" + step + "' in " + runOf(exchange).history());
        return result;
    }

    static List<String> names(List<StepResult> results) {
        return results.stream().map(StepResult::name).toList();
    }

    /**
     * Adds a route with one flujo endpoint to the started context and asserts that this fails with a message (of the
     * exception or a cause) containing every fragment.
     */
    static Exception assertRouteStartFails(CamelContext context, String flujoUri, String... fragments) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad-" + Integer.toHexString(flujoUri.hashCode())).to(flujoUri);
            }
        }), () -> "a route with " + flujoUri + " should not start");
        assertContains(messages(e), fragments);
        return e;
    }
}
