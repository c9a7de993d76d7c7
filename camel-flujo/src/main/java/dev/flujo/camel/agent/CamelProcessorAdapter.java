package dev.flujo.camel.agent;

import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.step.FlujoProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Runs a Camel {@link Processor} as a prompt or output processor: on a scratch copy of the exchange whose body is the
 * value, so the processor sees headers and properties but cannot change the step's exchange.
 */
public final class CamelProcessorAdapter implements FlujoProcessor {

    private final CamelContext camelContext;
    private final Processor processor;

    public CamelProcessorAdapter(CamelContext camelContext, Processor processor) {
        this.camelContext = camelContext;
        this.processor = processor;
    }

    @Override
    public Object process(Object value, FlujoContext context) throws Exception {
        Exchange scratch = ExchangeContext.scratchExchange(context, camelContext);
        scratch.getMessage().setBody(value);
        processor.process(scratch);
        if (scratch.getException() != null) {
            throw scratch.getException();
        }
        return scratch.getMessage().getBody();
    }
}
