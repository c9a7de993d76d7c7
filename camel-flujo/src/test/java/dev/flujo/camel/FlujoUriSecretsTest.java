package dev.flujo.camel;

import java.util.Map;

import dev.flujo.camel.option.FlujoUris;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.ProcessorEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A secret in an agent URI never shows: not in a start failure, not in the component's statistics keys, not in the dev
 * console. An agent URI written without RAW(...) ({@code agent=http://llm.local/v1?apiKey=...}) is percent-encoded in
 * the flujo endpoint's normalized URI ({@code agent=http%3A%2F%2Fllm.local%2Fv1%3FapiKey%3D...}), where Camel's
 * URISupport.sanitizeUri does not see the key: the component's statistics keys, the dev console and the "option ...
 * does not take" start error showed the API key (fixed since).
 */
class FlujoUriSecretsTest extends FlujoRouteTestSupport {

    private static final String KEY = "ENCODEDSECRET42";

    // kept: the stand-in component is added to the context itself, and this class wants the dev console without JMX
    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.setDevConsole(true);
        // a stand-in for http: takes any option, answers with a constant
        context.addComponent("llm", new DefaultComponent() {
            @Override
            protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
                parameters.clear();
                return new ProcessorEndpoint(uri, this, exchange -> exchange.getMessage().setBody("answer"));
            }
        });
        return context;
    }

    @Override
    protected void routes(RouteBuilder r) {
        // not in Camel's sorted order: Camel then rebuilds the query, percent-encoding the agent URI
        r.from("direct:ask").to("flujo:step:ask?enablePerformanceMonitoring=true&agent=llm://host/v1?apiKey=" + KEY);
    }

    @Test
    void statisticsAndTheDevConsoleMaskAnEncodedAgentKey() {
        assertEquals("answer", template.requestBody("direct:ask", "q"));

        FlujoComponent flujo = context.getComponent("flujo", FlujoComponent.class);
        String keys = flujo.getPerformanceStatistics().keySet().toString();
        assertTrue(keys.contains("flujo://step:ask?agent=llm%3A%2F%2Fhost%2Fv1%3FapiKey%3Dxxxxxx"), keys);
        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class)
                .resolveById("flujo");
        String text = console.call(DevConsole.MediaType.TEXT) + " " + console.call(DevConsole.MediaType.JSON);
        assertFalse(text.contains(KEY), text);
        assertTrue(text.contains("flujo://step:ask"), text);
    }

    @Test
    void anOptionTheKindDoesNotTakeIsReportedWithTheKeyMasked() {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to("flujo:parallel:bad?branches=direct:a&agent=llm://host/v1?apiKey=" + KEY);
            }
        }));
        dev.flujo.core.FlujoConfigurationException flujoError = FlujoAssertions.causeOf(e,
                dev.flujo.core.FlujoConfigurationException.class);
        String all = FlujoAssertions.messages(flujoError);
        assertTrue(all.contains("option agent"), all);
        assertFalse(all.contains(KEY), all);
    }

    @Test
    void encodedSecretsAreMaskedAndEverythingElseIsKept() {
        assertEquals("flujo://step:a?agent=x%3A%2F%2Fh%3Fmodel%3Dsmall%26token%3Dxxxxxx&cache=true",
                FlujoUris.sanitize("flujo://step:a?agent=x%3A%2F%2Fh%3Fmodel%3Dsmall%26token%3Dabc%2Bdef&cache=true"));
        assertEquals("flujo://step:a?agent=x%3A%2F%2Fbob%3Axxxxxx%40h%2Fv1",
                FlujoUris.sanitize("flujo://step:a?agent=x%3A%2F%2Fbob%3Ahunter2%40h%2Fv1"));
        assertEquals("flujo://step:a?agent=http://h/v1?apiKey=xxxxxx",
                FlujoUris.sanitize("flujo://step:a?agent=http://h/v1?apiKey=plain"));
        String noSecret = "flujo://step:watched?agent=%23echo&cache=true&validate=%24%7Bbody%7D";
        assertEquals(noSecret, FlujoUris.sanitize(noSecret));
    }

    /** From the second review: an API key in an agent URI must not appear in any message of a start failure. */
    @Test
    void agentUriWithAnUnknownParameterDoesNotLeakTheKey() {
        String uri = "flujo:step:leak?agent=RAW(direct:llm?apiKey=TOPSECRET42)";
        Exception e = assertThrows(Exception.class,
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
