package dev.flujo.camel.agent;

import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    /** A real HTTP model server, its stubs and journal reset before each test. */
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance().options(options().dynamicPort()).build();

    @BeforeEach
    void stubServer() {
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(503)));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:llm").to("http://localhost:" + server.getPort() + "/v1/chat/completions?httpMethod=POST");
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
