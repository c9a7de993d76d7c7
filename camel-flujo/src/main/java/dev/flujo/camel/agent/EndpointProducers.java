package dev.flujo.camel.agent;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flujo.camel.option.BeanReferences;
import dev.flujo.core.FlujoConfigurationException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateProcessor;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ProducerCache;
import org.apache.camel.support.LazyStartProducer;
import org.apache.camel.support.cache.DefaultProducerCache;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.URISupport;

/**
 * The started producers of one flujo endpoint's agents and branches, stopped with it. Endpoint URIs may carry secrets
 * (API keys), so errors name them sanitized and chain a sanitized copy of Camel's cause.
 *
 * <p>
 * An endpoint whose producer is a singleton gets one, shared by every concurrent call; any other endpoint's producers
 * are taken from a producer cache per call, as Camel's own {@code to()} does, so concurrent branches never share a
 * producer that is not thread-safe.
 *
 * <p>
 * Each call says whether it blocks its caller ({@link Call#blocksCaller()}): the producer is synchronous (Camel wraps a
 * producer that is not an {@link AsyncProducer} in a bridge that processes it on the calling thread, such as
 * camel-http's or langchain4j's), or the endpoint runs a route on the caller's thread ({@code direct:}, which blocks
 * whenever its route does; it counts as blocking since that cannot be known in advance), or waits for the reply on the
 * caller's thread ({@code seda:} with the InOut exchange of an agent call). An asynchronous producer (vertx-http) does
 * not.
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

    /**
     * Endpoints whose producer is an {@link AsyncProducer} and yet holds the caller: {@code direct:} runs the route
     * behind it on the caller's thread (a call blocks whenever that route does, which cannot be known in advance), and
     * {@code seda:} waits on a latch for the reply of an InOut exchange, which an agent call always is. Their legacy
     * namesakes ({@code direct-vm:}, {@code vm:}) behave alike.
     */
    private static final Set<String> CALLER_THREAD_SCHEMES = Set.of("direct", "direct-vm", "seda", "vm");

    /** Sends one exchange to the endpoint, asynchronously; the callback is called once it is done. */
    @FunctionalInterface
    public interface Call {
        void send(Exchange exchange, AsyncCallback callback);

        /** Whether {@link #send} may hold the calling thread until the endpoint answers (a synchronous producer). */
        default boolean blocksCaller() {
            return false;
        }
    }

    /** A call whose {@link #send} holds the calling thread while the endpoint works. */
    private record BlockingCall(Call call) implements Call {
        @Override
        public void send(Exchange exchange, AsyncCallback callback) {
            call.send(exchange, callback);
        }

        @Override
        public boolean blocksCaller() {
            return true;
        }
    }

    /** @throws FlujoConfigurationException naming the step, the option and the sanitized URI */
    public Call start(String option, String uri, String what) {
        String name = URISupport.sanitizeUri(uri);
        try {
            Endpoint endpoint = camelContext.getEndpoint(uri);
            if (endpoint == null) {
                throw BeanReferences.problem(step, option, name, "no such endpoint");
            }
            boolean callerThread = runsOnTheCaller(endpoint);
            if (!endpoint.isSingletonProducer()) {
                ObservedCall call = new ObservedCall(endpoint, perCall(), null);
                return callerThread ? new BlockingCall(call) : call;
            }
            AsyncProducer producer = endpoint.createAsyncProducer();
            ServiceHelper.startService(producer);
            producers.add(producer);
            Boolean synchronous = callerThread ? Boolean.TRUE : synchronous(producer);
            if (synchronous == null) {
                return new ObservedCall(endpoint, null, producer); // started lazily: known once it is used
            }
            Call call = producer::process;
            return synchronous ? new BlockingCall(call) : call;
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

    /** Whether the endpoint is one of {@link #CALLER_THREAD_SCHEMES}. */
    private static boolean runsOnTheCaller(Endpoint endpoint) {
        String scheme = StringHelper.before(endpoint.getEndpointUri(), ":");
        return scheme != null && CALLER_THREAD_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the producer is synchronous: behind Camel's bridge (a {@link DelegateProcessor} of a processor that is
     * not an {@link AsyncProcessor}) there is a producer that works on the calling thread. {@code null} when it cannot
     * tell yet: a lazily started producer has no delegate until it is first used.
     */
    static Boolean synchronous(Processor producer) {
        Processor processor = producer;
        while (processor instanceof DelegateProcessor delegate && delegate.getProcessor() != null) {
            processor = delegate.getProcessor();
        }
        if (processor instanceof LazyStartProducer) {
            return null;
        }
        return !(processor instanceof AsyncProcessor);
    }

    /**
     * A call whose producer shows whether it is synchronous only once it is used: one taken from the producer cache per
     * call, or one started lazily. Until then it counts as blocking - at worst a thread hop too many, never a caller
     * held - and no producer is created just to be looked at (a producer that is not thread-safe may count its
     * instances).
     */
    private static final class ObservedCall implements Call {
        private final Endpoint endpoint;
        private final ProducerCache cache;
        private final AsyncProducer producer;
        private volatile Boolean synchronous;

        ObservedCall(Endpoint endpoint, ProducerCache cache, AsyncProducer producer) {
            this.endpoint = endpoint;
            this.cache = cache;
            this.producer = producer;
        }

        @Override
        public void send(Exchange exchange, AsyncCallback callback) {
            if (cache != null) {
                cache.doInAsyncProducer(endpoint, exchange, callback, (taken, ex, done) -> {
                    observe(taken);
                    return taken.process(ex, done);
                });
                return;
            }
            try {
                producer.process(exchange, callback);
            } finally {
                observe(producer); // a lazy producer has created its delegate by now
            }
        }

        private void observe(Processor used) {
            if (synchronous == null) {
                synchronous = EndpointProducers.synchronous(used);
            }
        }

        @Override
        public boolean blocksCaller() {
            Boolean known = synchronous;
            return known == null || known;
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
