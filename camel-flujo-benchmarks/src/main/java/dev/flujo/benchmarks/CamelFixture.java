package dev.flujo.benchmarks;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
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

    public CamelContext context() {
        return context;
    }

    @Override
    public void close() {
        context.stop();
    }
}
