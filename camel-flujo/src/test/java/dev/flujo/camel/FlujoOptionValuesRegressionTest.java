package dev.flujo.camel;

import dev.flujo.camel.option.OptionValues;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * duration text that OptionValues accepts but Camel's TimeUtils turns into 0, i.e. "no time-out". The
 * contract: a bad option fails the route start; a good one means what it says. Either outcome passes here, a
 * route that starts with the time-out silently switched off does not.
 */
class FlujoOptionValuesRegressionTest extends CamelTestSupport {

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("agent", TestAgents.answering("ok"));
    }

    @ParameterizedTest
    @CsvSource({"5S, 5000", "10MS, 10"})
    void acceptedDurationTextIsNotSilentlyZero(String text, long expectedMillis) throws java.lang.Exception {
        String uri = "flujo:step:t" + Integer.toHexString(text.hashCode()) + "?agent=#agent&timeout=" + text;
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:t" + Integer.toHexString(text.hashCode())).to(uri);
                }
            });
        } catch (java.lang.Exception rejected) {
            return; // failing the start is fine
        }
        FlujoEndpoint endpoint = context.getEndpoint(uri, FlujoEndpoint.class);
        assertEquals(Duration.ofMillis(expectedMillis), ((dev.flujo.core.exec.StepPlan) endpoint.getPlan()).timeout(),
                "timeout=" + text + " passed the option check but the step runs with time-out "
                        + ((dev.flujo.core.exec.StepPlan) endpoint.getPlan()).timeout());
    }
}
