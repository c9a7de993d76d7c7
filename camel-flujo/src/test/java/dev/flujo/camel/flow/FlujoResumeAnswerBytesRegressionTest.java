package dev.flujo.camel.flow;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.state.ResumeRejectedException;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * An answer arriving as bytes that are not UTF-8 - a byte[] body, or a stream such as an HTTP request's, which
 * flujo:resume read as text - resumed the run with U+FFFD in place of what was sent (found by the resume payload
 * stress test, issue 7). It is refused now, the run stays paused; a stream in a charset the exchange names is read in
 * that charset.
 */
class FlujoResumeAnswerBytesRegressionTest extends CamelTestSupport {

    private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\"],"
            + "\"properties\":{\"approved\":{\"type\":\"boolean\"},\"note\":{\"type\":\"string\"}}}";
    private static final String ANSWER = "{\"approved\": true, \"note\": \"caf\u00e9\"}";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to("flujo:human:ask?resumeUri=direct:answered&stateStore=memory&answerSchema=RAW("
                        + SCHEMA + ")");
                from("direct:answered").to("mock:answered");
                from("direct:resume").to("flujo:resume?stateStore=memory");
            }
        };
    }

    private String pause() {
        return template.request("direct:ask", e -> e.getMessage().setBody("ship it?")).getMessage()
                .getHeader(FlujoConstants.RUN_ID, String.class);
    }

    private Exchange resume(String pauseId, Object body, String charset) {
        return template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, pauseId);
            e.getMessage().setBody(body);
            if (charset != null) {
                e.setProperty(Exchange.CHARSET_NAME, charset);
            }
        });
    }

    private static void assertNotUtf8(Exchange resumed) {
        ResumeRejectedException e = exceptionOf(resumed, ResumeRejectedException.class);
        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, e.getReason());
        assertContains(e.getMessage(), "not UTF-8");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAndTheRunStaysPaused() throws Exception {
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.expectedMessageCount(1);
        String pauseId = pause();
        byte[] latin1 = ANSWER.getBytes(StandardCharsets.ISO_8859_1);

        assertNotUtf8(resume(pauseId, latin1, null));
        assertNotUtf8(resume(pauseId, new ByteArrayInputStream(latin1), null));
        assertNotUtf8(resume(pauseId, new ByteArrayInputStream(latin1), "UTF-8"));

        Exchange resumed = resume(pauseId, new ByteArrayInputStream(ANSWER.getBytes(StandardCharsets.UTF_8)), null);
        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        answered.assertIsSatisfied();
        assertEquals(Map.of("approved", true, "note", "caf\u00e9"), answered.getExchanges().get(0).getMessage().getBody());
    }

    @Test
    void aStreamInTheCharsetTheExchangeNamesIsReadInIt() throws Exception {
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.expectedMessageCount(1);

        Exchange resumed = resume(pause(), new ByteArrayInputStream(ANSWER.getBytes(StandardCharsets.ISO_8859_1)),
                "ISO-8859-1");

        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        answered.assertIsSatisfied();
        assertEquals(Map.of("approved", true, "note", "caf\u00e9"), answered.getExchanges().get(0).getMessage().getBody());
    }
}
