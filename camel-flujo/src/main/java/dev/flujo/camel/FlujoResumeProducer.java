package dev.flujo.camel;

import java.io.InputStream;
import java.io.Reader;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;

import dev.flujo.camel.agent.EndpointProducers;
import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.ResumeRejectedException;
import dev.flujo.core.state.ResumeService;
import dev.flujo.core.state.Resumption;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.spi.ProducerCache;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.cache.DefaultProducerCache;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.URISupport;

/**
 * {@code flujo:resume}: continues a run a human step paused. The pause id is the {@code CamelFlujoRunId} header (the
 * run id and an unguessable token, see {@link PausedRun#newPauseId}: the run id alone resumes nothing), the person's
 * answer the body. The answer is checked against the run's schema, the run claimed (once: a second resume fails) and
 * restored on this exchange - context as exchange properties, the run (history, usage, limits, human interactions) as
 * {@code CamelFlujoRun} - and the exchange continues at the run's {@code resumeUri} with the answer as body. A refused
 * resume sets a {@link dev.flujo.core.state.ResumeRejectedException} and leaves the stored run as it was.
 */
final class FlujoResumeProducer extends DefaultAsyncProducer {

    /** Endpoints that hand an exchange to a route in this JVM: without a consuming route, nothing continues. */
    private static final Set<String> IN_JVM = Set.of("direct", "seda", "vm", "disruptor", "disruptor-vm");

    private final FlujoEndpoint endpoint;
    private ResumeService resumes;
    private ProducerCache producers;

    FlujoResumeProducer(FlujoEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(endpoint);
        resumes = new ResumeService(endpoint.getStateStore(), Clock.systemUTC());
        producers = new DefaultProducerCache(this, getEndpoint().getCamelContext(), 100);
        ServiceHelper.startService(producers);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(producers);
        super.doStop();
    }

    /**
     * Where the run continues, checked before the run is claimed so that a run nothing can continue stays paused: the
     * endpoint must resolve, and an in-JVM endpoint ({@code direct:}, {@code seda:}) must have a route consuming it.
     */
    private Endpoint continuation(CamelContext camel, PausedRun paused) {
        String uri = endpoint.getComponent().stateStores().resumeUriFor(paused.stepName(), paused.resumeUri());
        Endpoint target;
        try {
            target = CamelContextHelper.getMandatoryEndpoint(camel, uri);
        } catch (RuntimeException e) {
            throw new FlujoConfigurationException(
                    "Cannot continue run " + paused.runId() + " at "
                                                  + URISupport.sanitizeUri(uri) + ": "
                                                  + URISupport.sanitizeUri(String.valueOf(e.getMessage())),
                    EndpointProducers.sanitized(e));
        }
        String scheme = StringHelper.before(target.getEndpointUri(), ":");
        if (IN_JVM.contains(scheme) && camel.getRoutes().stream().noneMatch(r -> r.getEndpoint() == target)) {
            throw new FlujoConfigurationException(
                    "Cannot continue run " + paused.runId() + " at "
                                                  + URISupport.sanitizeUri(uri)
                                                  + ": no route consumes it in this Camel context");
        }
        return target;
    }

    /**
     * The answer: the body, with a stream (an HTTP request's) read as bytes, which the resume checks are UTF-8, as JSON
     * text must be - read as text, a byte that is not UTF-8 would become U+FFFD and the answer another one. Only when
     * the exchange names another charset is the stream read as text in it. A Reader (and Camel's ReaderCache of one) is
     * text already and read as such: turned into bytes, it would be encoded in the JVM's default charset.
     */
    static Object answer(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body instanceof Reader) {
            return message.getBody(String.class);
        }
        if (!(body instanceof InputStream || body instanceof StreamCache)) {
            return body;
        }
        String charset = exchange.getProperty(Exchange.CHARSET_NAME, String.class);
        if (charset == null || charset.isBlank() || UTF_8.contains(charset.trim().toUpperCase(Locale.ROOT))) {
            return message.getBody(byte[].class);
        }
        return message.getBody(String.class);
    }

    private static final Set<String> UTF_8 = Set.of("UTF-8", "UTF8");

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Endpoint[] target = new Endpoint[1];
        try {
            Message message = exchange.getMessage();
            String runId = message.getHeader(FlujoConstants.RUN_ID, String.class);
            // the stored run replaces a run the exchange carries; a forged one (text, a map) is refused, as by steps
            ExchangeContext.existingRun(exchange, "resume run " + ResumeRejectedException.quoted(runId));
            // the target is resolved before the run is claimed: a run nothing can continue stays paused
            Resumption resumed = resumes.resume(runId, answer(exchange),
                    paused -> target[0] = continuation(exchange.getContext(), paused));
            resumed.paused().context().forEach(exchange::setProperty);
            ExchangeContext.bindRun(exchange, resumed.run());
            exchange.removeProperty(FlujoConstants.FALLBACK_CHAIN);
            message.setBody(resumed.answer());
            message.setHeader(FlujoConstants.STATUS, FlujoConstants.STATUS_RESUMED);
            message.setHeader(FlujoConstants.RUN_ID, resumed.run().runId());
            message.setHeader(FlujoConstants.STEP_NAME, resumed.paused().stepName());
        } catch (Throwable t) {
            exchange.setException(t);
            callback.done(true);
            return true;
        }
        return producers.doInAsyncProducer(target[0], exchange, callback,
                (producer, ex, done) -> producer.process(ex, done));
    }
}
