package dev.flujo.camel.flow;

import java.util.List;
import java.util.Map;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlujoKindsSmokeTest extends CamelTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").setProperty("fromA", constant("A")).transform(simple("a:${body}"));
                from("direct:b").setProperty("fromB", constant("B")).transform(simple("b:${body}"));
                from("direct:par").to("flujo:parallel:p?branches=first=direct:a,second=direct:b");
                from("direct:refine").transform(simple("${body}+"));
                from("direct:loop").to("flujo:loop:l?body=direct:refine&until=${body.length} >= 4&maxLoops=5");
                from("direct:cond")
                        .to("flujo:conditional:c?condition=${body}&branches=x=direct:a,y=direct:b&default=direct:refine");
                from("direct:router-agent").setBody(constant("second"));
                from("direct:router").to("flujo:router:r?agent=direct:router-agent&branches=first=direct:a,second=direct:b");
                from("direct:map").to("flujo:map:m?body=direct:refine&maxConcurrency=2");
                from("direct:human").setProperty("draft", simple("${body}"))
                        .to("flujo:human:h?message=Approve ${body}?&resumeUri=direct:after&stateStore=memory")
                        .setBody(constant("not reached"));
                from("direct:schema").to("flujo:human:s?message=Send this reply? ${body}&resumeUri=direct:after"
                                         + "&stateStore=memory&answerSchema=RAW({\"type\":\"object\",\"required\":[\"ok\"]})");
                from("direct:after").setBody(simple("${exchangeProperty.draft} approved=${body[ok]}"));
                from("direct:resume").to("flujo:resume?stateStore=memory");
            }
        };
    }

    @Test
    void parallel() {
        Exchange out = template.request("direct:par", e -> e.getMessage().setBody("x"));
        assertEquals(null, out.getException());
        assertEquals(Map.of("first", "a:x", "second", "b:x"), out.getMessage().getBody());
        assertEquals("A", out.getProperty("fromA"));
        assertEquals("B", out.getProperty("fromB"));
        StepResult r = out.getProperty(FlujoConstants.RUN, FlujoRun.class).lastResult("p");
        assertEquals(2, r.children().size());
    }

    @Test
    void loop() {
        Exchange out = template.request("direct:loop", e -> e.getMessage().setBody("x"));
        assertEquals(null, out.getException());
        assertEquals("x+++", out.getMessage().getBody());
        assertEquals("condition", out.getMessage().getHeader(FlujoConstants.EXIT_REASON));
    }

    @Test
    void conditional() {
        assertEquals("b:y", template.requestBody("direct:cond", "y"));
        assertEquals("z+", template.requestBody("direct:cond", "z"));
    }

    @Test
    void router() {
        assertEquals(Map.of("second", "b:q"), template.requestBody("direct:router", "q"));
    }

    @Test
    void map() {
        assertEquals(List.of("1+", "2+", "3+"), template.requestBody("direct:map", List.of("1", "2", "3")));
    }

    @Test
    void answerSchemaInRawUriOption() {
        Exchange paused = template.request("direct:schema", e -> e.getMessage().setBody("hi"));
        assertEquals("Send this reply? hi", paused.getMessage().getBody());
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        Exchange bad = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("{\"nope\": 1}");
        });
        org.junit.jupiter.api.Assertions.assertInstanceOf(dev.flujo.core.state.ResumeRejectedException.class,
                bad.getException());
        org.junit.jupiter.api.Assertions.assertTrue(bad.getException().getMessage().contains("ok"),
                bad.getException().getMessage());
    }

    @Test
    void humanPauseAndResume() {
        Exchange paused = template.request("direct:human", e -> e.getMessage().setBody("reply"));
        assertEquals(null, paused.getException());
        assertEquals("PAUSED", paused.getMessage().getHeader(FlujoConstants.STATUS));
        assertEquals("Approve reply?", paused.getMessage().getBody());
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        Exchange resumed = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("{\"ok\": true}");
        });
        assertEquals(null, resumed.getException());
        assertEquals("reply approved=true", resumed.getMessage().getBody());
    }
}
