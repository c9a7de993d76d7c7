package dev.flujo.benchmarks;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** A started CamelContext with the given beans and routes, and a template to send into it. */
public final class CamelFixture implements AutoCloseable {

    private final CamelContext context;
    private final ProducerTemplate template;

    public CamelFixture(Map<String, Object> beans, RoutesBuilder routes) throws Exception {
        context = new DefaultCamelContext();
        beans.forEach(context.getRegistry()::bind);
        context.addRoutes(routes);
        context.start();
        template = context.createProducerTemplate();
    }

    public Endpoint endpoint(String uri) {
        return context.getEndpoint(uri);
    }

    /** Sends a body in-out and returns the reply body; fails loudly if the exchange failed. */
    public Object request(Endpoint endpoint, Object body) {
        return template.requestBody(endpoint, body);
    }

    /**
     * Sends a body with the given exchange properties in-out and returns the reply exchange, for scenarios that read
     * more than the body; fails loudly if the exchange failed.
     */
    public Exchange request(Endpoint endpoint, Object body, Map<String, Object> properties) {
        Exchange reply = template.request(endpoint, exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getProperties().putAll(properties);
        });
        if (reply.getException() != null) {
            throw new IllegalStateException("exchange to " + endpoint.getEndpointUri() + " failed", reply.getException());
        }
        return reply;
    }

    public CamelContext context() {
        return context;
    }

    @Override
    public void close() {
        context.stop();
    }
}
