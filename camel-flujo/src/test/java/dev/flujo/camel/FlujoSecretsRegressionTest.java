package dev.flujo.camel;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/** an API key in an agent URI must not appear in any message of a start failure. */
class FlujoSecretsRegressionTest extends CamelTestSupport {

    @Test
    void agentUriWithAnUnknownParameterDoesNotLeakTheKey() {
        String uri = "flujo:step:leak?agent=RAW(direct:llm?apiKey=TOPSECRET42)";
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:in").to(uri);
                    }
                }));
        String all = FlujoAssertions.messages(e);
        assertFalse(all.contains("TOPSECRET42"), all);
    }
}
