package dev.flujo.camel;

import dev.flujo.core.run.FlujoRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertion helpers shared by the flujo tests. */
final class FlujoAssertions {

    private FlujoAssertions() {
    }

    /** The messages of a throwable and all its causes, joined, so that a wrapped message can be checked. */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** The first throwable in the cause chain of {@code t} of the given type; fails when there is none. */
    static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        fail("no " + type.getSimpleName() + " in the cause chain of:\n" + messages(t));
        return null;
    }

    /** The exception the exchange failed with, which must be of the given type (not merely wrapping it). */
    static <T extends Throwable> T exceptionOf(Exchange exchange, Class<T> type) {
        Exception e = exchange.getException();
        assertNotNull(e, "the exchange should have failed");
        return assertInstanceOf(type, e, () -> "unexpected exception:\n" + messages(e));
    }

    static FlujoRun runOf(Exchange exchange) {
        return assertInstanceOf(FlujoRun.class, exchange.getProperty(FlujoConstants.RUN),
                "exchange property " + FlujoConstants.RUN);
    }

    /**
     * Adds a route with one flujo endpoint to a started context and asserts that this fails, with a message (of the
     * exception or one of its causes) containing every given fragment.
     */
    static Exception assertRouteStartFails(CamelContext context, String flujoUri, String... fragments) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad-" + Integer.toHexString(flujoUri.hashCode())).to(flujoUri);
            }
        }), () -> "route with " + flujoUri + " should not start");
        String all = messages(e);
        for (String fragment : fragments) {
            assertTrue(all.contains(fragment), () -> "expected '" + fragment + "' in:\n" + all);
        }
        return e;
    }
}
