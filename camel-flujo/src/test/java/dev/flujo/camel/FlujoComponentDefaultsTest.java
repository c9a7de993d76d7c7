package dev.flujo.camel;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import dev.flujo.camel.option.OptionValues;
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
 * Component defaults given as {@code camel.component.flujo.*} properties are checked as strictly as URI options: Camel
 * itself would turn {@code maxRetries=abc} into 0.
 */
class FlujoComponentDefaultsTest {

    private static CamelContext contextWith(String... keysAndValues) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties props = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
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

    /**
     * Found reviewing the placeholder detection of OptionValues: a component default holding a placeholder was skipped
     * as "resolved later by Camel, checked then", but component defaults are checked only here, so
     * {@code maxRetries={{retries}}} with {@code retries=abc} started with no retries and {@code timeout={{wait}}} with
     * {@code wait=5S} without a time-out (camel-main binds the resolved text leniently).
     */
    @Test
    void aPlaceholderInAComponentDefaultIsCheckedResolved() throws Exception {
        try (CamelContext context = contextWith("camel.component.flujo.maxRetries", "{{retries}}", "retries", "abc",
                "camel.component.flujo.timeout", "{{wait:5S}}")) {
            Exception e = assertThrows(Exception.class, context::start);
            String messages = FlujoAssertions.messages(e);
            assertTrue(messages.contains("camel.component.flujo.maxRetries must be a whole number, was 'abc'"),
                    messages);
            assertTrue(messages.contains("camel.component.flujo.timeout must be a duration"), messages);
        }
        try (CamelContext context = contextWith("camel.component.flujo.maxRetries", "{{retries}}", "retries", "3",
                "camel.component.flujo.timeout", "{{wait:30s}}", "camel.component.flujo.cache", "{{nowhere}}")) {
            context.start(); // a placeholder that does not resolve is left to camel-main, which names it
            assertEquals("ok", context.createProducerTemplate().requestBody("direct:in", "q"));
        }
    }

    /** blockingAgentPoolSize is an option of the component alone, not of the endpoints: checked all the same. */
    @Test
    void nonNumericBlockingAgentPoolSizeFailsTheStartNamingIt() throws Exception {
        try (CamelContext context = contextWith("camel.component.flujo.blockingAgentPoolSize", "abc")) {
            Exception e = assertThrows(Exception.class, context::start);
            String messages = FlujoAssertions.messages(e);
            assertTrue(messages.contains("camel.component.flujo.blockingAgentPoolSize must be a whole number, was 'abc'"),
                    messages);
        }
    }

    @Test
    void blockingAgentPoolOfNoThreadFailsTheStartNamingTheOption() throws Exception {
        try (CamelContext context = contextWith()) {
            context.getComponent("flujo", FlujoComponent.class).setBlockingAgentPoolSize(0);
            Exception e = assertThrows(Exception.class, context::start);
            String messages = FlujoAssertions.messages(e);
            assertTrue(messages.contains("blockingAgentPoolSize must be at least 1, was 0"), messages);
        }
    }
}
