package dev.flujo.camel;

import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.PluginOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * a plugin redirect to an endpoint agent whose route runs the same step again. The user guide: "redirect to another
 * agent; a redirect cycle is an error, not a loop" and "A fallback chain that comes back to a step is an error". The
 * fallback path carries the step name in CamelFlujoFallbackChain, so a fallback route that comes back is refused; a
 * redirect passes the attempt's chain without the step, so the nested step runs again, redirects again, and so on: the
 * recursion only ends here because the plugin gives up after a few rounds (without that, it would go on until the stack
 * or the budget is exhausted).
 */
class FlujoRedirectLoopTest extends CamelTestSupport {

    private static final int GIVE_UP_AFTER = 5;
    private final AtomicInteger redirects = new AtomicInteger();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("draft", TestAgents.answering("draft"));
        registry.bind("escalate", (FlujoPlugin) input -> redirects.incrementAndGet() < GIVE_UP_AFTER
                && "#draft".equals(input.agent()) ? PluginOutcome.redirect("direct:escalation") : PluginOutcome.success());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:loop").to("flujo:step:loop?agent=#draft&plugins=#escalate&maxRetries=0");
                // the redirect target's route runs the same step: a cycle through a route
                from("direct:escalation").to("flujo:step:loop?agent=#draft&plugins=#escalate&maxRetries=0");
            }
        };
    }

    @Test
    void redirectThatComesBackToTheStepThroughARouteIsACycleNotARecursion() {
        Exchange done = template.request("direct:loop", e -> e.getMessage().setBody("q"));
        assertTrue(redirects.get() <= 2,
                "the escalate plugin ran " + redirects.get() + " times: each nested run of step 'loop' redirected again");
        assertNotNull(done.getException(), "the redirect cycle through direct:escalation was not reported");
        assertNotNull(FlujoAssertions.causeOf(done.getException(), FlujoConfigurationException.class));
    }
}
