package dev.flujo.camel;

import java.io.StringReader;

import org.apache.camel.Exchange;
import org.apache.camel.converter.stream.ReaderCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * flujo:resume reads an answer that is text (a Reader, or the ReaderCache Camel's stream caching makes of one) as text.
 * Found reviewing the answer reading of the bad-input work (issue 7): flujo:resume read every StreamCache body as
 * bytes, to check them as UTF-8, and Camel turns a ReaderCache into bytes with {@code String.getBytes()}, in the JVM's
 * default charset, which on Java 17 in a container without a UTF-8 locale is US-ASCII, so {@code café} became
 * {@code caf?}, a valid but other answer.
 */
class FlujoResumeAnswerTextTest {

    private static final String ANSWER = "{\"approved\": true, \"note\": \"caf\u00e9 \u2713\"}";

    private static Exchange exchangeWith(Object body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @Test
    void aReaderCacheIsReadAsTextNotThroughTheDefaultCharset() throws Exception {
        assertEquals(ANSWER, FlujoResumeProducer.answer(exchangeWith(new ReaderCache(ANSWER))));
    }

    @Test
    void aReaderIsReadAsText() {
        assertEquals(ANSWER, FlujoResumeProducer.answer(exchangeWith(new StringReader(ANSWER))));
    }
}
