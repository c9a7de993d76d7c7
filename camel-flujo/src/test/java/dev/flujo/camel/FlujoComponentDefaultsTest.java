package dev.flujo.camel;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Component defaults given as {@code camel.component.flujo.*} properties are checked as strictly as URI options:
 * Camel itself would turn {@code maxRetries=abc} into 0.
 */
class FlujoComponentDefaultsTest {

    private static CamelContext contextWith(String key, String value) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties props = new Properties();
        props.setProperty(key, value);
        context.getPropertiesComponent().setInitialProperties(props);
        context.getRegistry().bind("agent", (FlujoAgent) r -> CompletableFuture.completedFuture(AgentResponse.of("ok")));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("flujo:step:s?agent=#agent");
            }
        });
        return context;
    }

    @Test
    void nonNumericComponentDefaultFailsTheStartNamingTheOption() throws Exception {
        try (CamelContext context = contextWith("camel.component.flujo.maxRetries", "abc")) {
            Exception e = assertThrows(Exception.class, context::start);
            String messages = FlujoAssertions.messages(e);
            assertTrue(messages.contains("camel.component.flujo.maxRetries must be a whole number, was 'abc'"), messages);
        }
    }

    @Test
    void dashedNegativeDurationDefaultFailsTheStart() throws Exception {
        try (CamelContext context = contextWith("camel.component.flujo.cache-ttl", "-5s")) {
            Exception e = assertThrows(Exception.class, context::start);
            String messages = FlujoAssertions.messages(e);
            assertTrue(messages.contains("camel.component.flujo.cache-ttl must not be negative"), messages);
        }
    }

    @Test
    void validComponentDefaultsStart() throws Exception {
        try (CamelContext context = contextWith("camel.component.flujo.timeout", "30s")) {
            context.start();
            assertEquals("ok", context.createProducerTemplate().requestBody("direct:in", "q"));
        }
    }
}
