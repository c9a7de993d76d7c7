package dev.flujo.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;

/** A started CamelContext with the given beans and routes, and a template to send into it. */
public final class CamelFixture implements AutoCloseable {

    private final CamelContext context;
    private final ProducerTemplate template;
    private final List<AsyncProducer> asyncProducers = new ArrayList<>();

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

    /** The endpoint's asynchronous producer, started; stopped with the fixture. */
    public AsyncProducer asyncProducer(Endpoint endpoint) throws Exception {
        AsyncProducer producer = endpoint.createAsyncProducer();
        producer.start();
        asyncProducers.add(producer);
        return producer;
    }

    /**
     * Sends every body in-out through an asynchronous producer without waiting in between, so that all are in flight
     * together, then waits for the last reply; returns the reply bodies in order, and fails loudly if any exchange
     * failed.
     */
    public List<Object> requestAllAtOnce(AsyncProducer producer, List<?> bodies) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(bodies.size());
        List<Exchange> exchanges = new ArrayList<>(bodies.size());
        for (Object body : bodies) {
            Exchange exchange = new DefaultExchange(context, ExchangePattern.InOut);
            exchange.getMessage().setBody(body);
            exchanges.add(exchange);
            producer.process(exchange, doneSync -> done.countDown());
        }
        done.await();
        List<Object> replies = new ArrayList<>(exchanges.size());
        for (Exchange exchange : exchanges) {
            if (exchange.getException() != null) {
                throw new IllegalStateException(
                        "exchange to " + producer.getEndpoint().getEndpointUri() + " failed",
                        exchange.getException());
            }
            replies.add(exchange.getMessage().getBody());
        }
        return replies;
    }

    public CamelContext context() {
        return context;
    }

    @Override
    public void close() {
        ServiceHelper.stopService(asyncProducers);
        context.stop();
    }
}
