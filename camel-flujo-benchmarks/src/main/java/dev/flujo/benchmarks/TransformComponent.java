package dev.flujo.benchmarks;

import java.util.Map;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A minimal Camel component ({@code transform:x}) whose asynchronous producer does {@link Work#transform} on the body:
 * what calling <em>any</em> endpoint with {@code to()} costs, with the same work as the other contenders. The
 * difference between it and a {@code flujo:step} is what flujo itself adds.
 */
public final class TransformComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                return new DefaultAsyncProducer(this) {
                    @Override
                    public boolean process(Exchange exchange, AsyncCallback callback) {
                        exchange.getMessage().setBody(Work.transform(exchange.getMessage().getBody()));
                        callback.done(true);
                        return true;
                    }
                };
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                throw new UnsupportedOperationException("producer only");
            }
        };
    }
}
