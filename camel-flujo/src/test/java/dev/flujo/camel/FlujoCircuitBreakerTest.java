package dev.flujo.camel;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.resilience.CircuitOpenException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.resilience4j.micrometer.DefaultResilience4jMicrometerFactory;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Breakers through Camel's own Resilience4j: the same registry as the circuitBreaker() EIP, metered by
 * camel-resilience4j-micrometer, a user's own breaker by reference, and the fallback taken when a breaker is open.
 */
class FlujoCircuitBreakerTest extends CamelTestSupport {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CircuitBreaker own = CircuitBreaker.ofDefaults("mine");
    private int failingCalls;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getRegistry().bind("metricsRegistry", MeterRegistry.class, meters);
        context.getRegistry().bind("mine", own);
        // what camel-main does for camel.resilience4j.micrometerEnabled=true
        context.addService(new DefaultResilience4jMicrometerFactory());
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:failing").process(e -> {
                    failingCalls++;
                    throw new IllegalStateException("model unavailable");
                });
                from("direct:cheap").setBody(constant("cheap answer"));
                from("direct:guarded").to("flujo:step:guarded?agent=direct:failing&maxRetries=0"
                                          + "&enableCircuitBreaker=true&circuitBreakerFailureThreshold=2");
                from("direct:withFallback").to("flujo:step:fb?agent=direct:failing&maxRetries=0&fallback=direct:cheap"
                                               + "&enableCircuitBreaker=true&circuitBreakerFailureThreshold=2");
                from("direct:own").to("flujo:step:own?agent=direct:cheap&circuitBreakerRef=#mine");
                from("direct:eip").circuitBreaker().id("eipBreaker").to("direct:cheap").end();
            }
        };
    }

    private Exchange send(String uri) {
        return template.request(uri, e -> e.getMessage().setBody("q"));
    }

    @Test
    void anOpenBreakerFailsFastWithoutCallingTheAgent() {
        send("direct:guarded");
        send("direct:guarded");

        Exchange refused = send("direct:guarded");

        assertEquals(2, failingCalls);
        FlujoStepFailedException failure = assertInstanceOf(FlujoStepFailedException.class, refused.getException());
        assertInstanceOf(CircuitOpenException.class, failure.getCause());
    }

    @Test
    void anOpenBreakerGoesToTheFallback() {
        send("direct:withFallback");
        send("direct:withFallback");
        failingCalls = 0;

        Exchange out = send("direct:withFallback");

        assertEquals("cheap answer", out.getMessage().getBody());
        assertEquals(0, failingCalls);
    }

    @Test
    void breakersShareTheEipsRegistryAndItsMicrometerMeters() {
        send("direct:eip");
        send("direct:guarded");

        CircuitBreakerRegistry registry = context.getCamelContextExtension().getContextPlugin(CircuitBreakerRegistry.class);
        assertNotNull(registry.find("flujo-direct:failing").orElse(null), () -> "flujo's breaker in the EIP's registry: "
                                                                                + registry.getAllCircuitBreakers().stream()
                                                                                        .map(CircuitBreaker::getName).toList());
        assertNotNull(registry.find("eipBreaker").orElse(null), "the EIP's breaker in the same registry");
        assertNotNull(meters.find("resilience4j.circuitbreaker.state").tag("name", "flujo-direct:failing").meter(),
                "camel-resilience4j-micrometer meters flujo's breaker");
        assertNotNull(meters.find("resilience4j.circuitbreaker.state").tag("name", "eipBreaker").meter());
    }

    @Test
    void aBreakerBeanGuardsTheStepsAgent() {
        own.transitionToOpenState();

        Exchange refused = send("direct:own");

        FlujoStepFailedException failure = assertInstanceOf(FlujoStepFailedException.class, refused.getException());
        CircuitOpenException cause = assertInstanceOf(CircuitOpenException.class, failure.getCause());
        assertEquals("mine", cause.getBreakerName());
        own.transitionToClosedState();
        assertEquals("cheap answer", send("direct:own").getMessage().getBody());
        assertSame(CircuitBreaker.State.CLOSED, own.getState());
    }
}
