package dev.flujo.camel.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.camel.option.BeanReferences;
import dev.flujo.core.FlujoConfigurationException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ProducerCache;
import org.apache.camel.support.cache.DefaultProducerCache;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;

/**
 * The started producers of one flujo endpoint's agents and branches, stopped with it. Endpoint URIs may carry secrets
 * (API keys), so errors name them sanitized and chain a sanitized copy of Camel's cause.
 *
 * <p>
 * An endpoint whose producer is a singleton gets one, shared by every concurrent call; any other endpoint's producers
 * are taken from a producer cache per call, as Camel's own {@code to()} does, so concurrent branches never share a
 * producer that is not thread-safe.
 */
public final class EndpointProducers extends ServiceSupport {

    private final CamelContext camelContext;
    private final String step;
    private final List<AsyncProducer> producers = new CopyOnWriteArrayList<>();
    private ProducerCache producerCache;

    public EndpointProducers(CamelContext camelContext, String step) {
        this.camelContext = camelContext;
        this.step = step;
    }

    /** Sends one exchange to the endpoint, asynchronously; the callback is called once it is done. */
    @FunctionalInterface
    public interface Call {
        void send(Exchange exchange, AsyncCallback callback);
    }

    /** @throws FlujoConfigurationException naming the step, the option and the sanitized URI */
    public Call start(String option, String uri, String what) {
        String name = URISupport.sanitizeUri(uri);
        try {
            Endpoint endpoint = camelContext.getEndpoint(uri);
            if (endpoint == null) {
                throw BeanReferences.problem(step, option, name, "no such endpoint");
            }
            if (!endpoint.isSingletonProducer()) {
                ProducerCache cache = perCall();
                return (exchange, callback) -> cache.doInAsyncProducer(endpoint, exchange, callback,
                        (producer, ex, done) -> producer.process(ex, done));
            }
            AsyncProducer producer = endpoint.createAsyncProducer();
            ServiceHelper.startService(producer);
            producers.add(producer);
            return producer::process;
        } catch (FlujoConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option " + option + ": cannot use " + what
                                                  + " endpoint '" + name + "': "
                                                  + URISupport.sanitizeUri(String.valueOf(e.getMessage())),
                    sanitized(e));
        }
    }

    private synchronized ProducerCache perCall() {
        if (producerCache == null) {
            producerCache = new DefaultProducerCache(this, camelContext, 100);
            ServiceHelper.startService(producerCache);
        }
        return producerCache;
    }

    /**
     * Camel's own exceptions quote the endpoint URI, secrets included: what is chained instead is a copy of the error
     * with every message in its chain sanitized and the stack traces kept.
     */
    public static Throwable sanitized(Throwable error) {
        if (error == null) {
            return null;
        }
        RuntimeException copy = new RuntimeException(
                error.getClass().getName() + ": "
                                                     + URISupport.sanitizeUri(String.valueOf(error.getMessage())),
                sanitized(error.getCause()));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(producers);
        producers.clear();
        ServiceHelper.stopService(producerCache);
        producerCache = null;
    }
}
