package dev.flujo.camel.flow;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A blank {@code sinkTo} is no sink, for every kind that takes it (found by the bad-input fuzzing, issue 7): an agent
 * step ignored it, but parallel, loop, conditional, router and map steps wrote their output to an exchange property
 * named "" or " ".
 */
class FlujoBlankSinkToTest extends CamelTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String sink : List.of("", "RAW( )")) {
                    String id = sink.isEmpty() ? "empty" : "blank";
                    String options = "&sinkTo=" + sink;
                    from("direct:parallel-" + id).to("flujo:parallel:p" + id + "?branches=direct:branch" + options);
                    from("direct:loop-" + id).to("flujo:loop:l" + id + "?body=direct:branch&until=RAW(${body} == 'B')"
                                                 + options);
                    from("direct:conditional-" + id).to("flujo:conditional:c" + id + "?condition=b&branches=b=direct:branch"
                                                        + options);
                    from("direct:router-" + id).to("flujo:router:r" + id + "?agent=direct:router&branches=b=direct:branch"
                                                   + options);
                    from("direct:map-" + id).to("flujo:map:m" + id + "?body=direct:branch" + options);
                    from("direct:step-" + id).to("flujo:step:s" + id + "?agent=direct:branch" + options);
                }
                from("direct:branch").setBody(constant("B"));
                from("direct:router").setBody(constant("b"));
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = { "parallel", "loop", "conditional", "router", "map", "step" })
    void aBlankSinkToWritesNoProperty(String kind) {
        for (String id : List.of("empty", "blank")) {
            Exchange result = template.request("direct:" + kind + "-" + id, e -> {
                e.getMessage().setBody(List.of("item"));
                e.setProperty("kept", "yes");
            });

            assertNull(result.getException(), () -> kind + ": " + result.getException());
            Set<String> properties = new TreeSet<>(result.getProperties().keySet());
            properties.removeIf(p -> p.startsWith("Camel"));
            assertEquals(Set.of("kept"), properties, kind + " with sinkTo '" + id + "'");
        }
    }
}
