package dev.flujo.camel.agent;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * camel-http retries a 503 by itself unless automaticRetriesDisabled is set: one flujo attempt (maxRetries=0) makes two
 * requests to a WireMock model server. That is why a step with an endpoint agent warns at start while the option is
 * off, and says how to turn it off.
 */
class AgentOwnRetriesTest extends CamelTestSupport {

    private static WireMockServer server;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(503)));
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:llm").to("http://localhost:" + server.port() + "/v1/chat/completions?httpMethod=POST");
                from("direct:step").to("flujo:step:s?agent=direct:llm&maxRetries=0");
            }
        };
    }

    @Test
    void camelHttpRetriesAServiceUnavailableByItselfAndTheStepWarnsOfIt() {
        server.resetRequests();

        Exchange done = template.request("direct:step", e -> e.getMessage().setBody("q"));

        assertNotNull(done.getException());
        assertEquals(2, server.getAllServeEvents().size(), "one flujo attempt, two HTTP requests");
        List<String> warnings = AgentOwnRetries.check(context);
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("camel.component.http.automaticRetriesDisabled=true"), warnings.get(0));
    }

    @Test
    void withTheOptionSetNothingIsSaid() {
        context.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);

        assertEquals(List.of(), AgentOwnRetries.check(context));
    }
}
