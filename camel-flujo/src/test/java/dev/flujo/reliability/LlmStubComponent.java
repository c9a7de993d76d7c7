package dev.flujo.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.URISupport;

/**
 * A stand-in for an http model endpoint ({@code http://llm.local/v1?apiKey=...}): it takes any option (API keys
 * included), records every request it gets (body and headers: what an http endpoint would send over the wire), and
 * answers by what the body asks of its host: {@code fail@<host>} fails the call the way camel-http does (the URI in the
 * message sanitized), {@code hang@<host>} never answers until {@link #releaseHanging()}, anything else is answered with
 * usage headers.
 */
final class LlmStubComponent extends DefaultComponent {

    /** What the endpoints received, one line per request: host, body and headers. */
    final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Runnable> hanging = new ArrayList<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        parameters.clear(); // an http endpoint takes its query as the request's query: any name, any value
        String host = remaining.replaceFirst("^/*", "").replaceFirst("/.*$", "");
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                return new DefaultAsyncProducer(this) {
                    @Override
                    public boolean process(Exchange exchange, AsyncCallback callback) {
                        return answer(host, uri, exchange, callback);
                    }
                };
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                throw new UnsupportedOperationException("producer only");
            }
        };
    }

    private boolean answer(String host, String uri, Exchange exchange, AsyncCallback callback) {
        String body = String.valueOf(exchange.getMessage().getBody());
        received.add(host + " <- " + body + " " + exchange.getMessage().getHeaders());
        if (body.contains("hang@" + host)) {
            synchronized (hanging) {
                hanging.add(() -> {
                    exchange.getMessage().setBody("late answer from " + host);
                    callback.done(false);
                });
            }
            return false;
        }
        if (body.contains("fail@" + host)) {
            exchange.setException(new IllegalStateException(
                    "HTTP operation failed invoking "
                                                            + URISupport.sanitizeUri(uri) + " with statusCode: 503"));
        } else {
            exchange.getMessage().setBody("answer from " + host + " to " + body);
            exchange.getMessage().setHeader("CamelFlujoInputTokens", 12);
            exchange.getMessage().setHeader("CamelFlujoOutputTokens", 7);
        }
        callback.done(true);
        return true;
    }

    /** Answers every call still hanging (late: their steps timed out long ago). */
    void releaseHanging() {
        List<Runnable> late;
        synchronized (hanging) {
            late = new ArrayList<>(hanging);
            hanging.clear();
        }
        late.forEach(Runnable::run);
    }

    int hangingCalls() {
        synchronized (hanging) {
            return hanging.size();
        }
    }
}
