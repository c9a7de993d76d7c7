package dev.flujo.camel;

import dev.flujo.camel.option.OptionValues;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * whole-number text that passes OptionValues' COUNT pattern but does not fit an int. Camel 4.18's
 * PropertyConfigurerSupport converts int options via TimeUtils.toMilliSeconds (a long) and then casts with (int), so
 * maxRetries=4294967296 silently becomes 0 retries. docs/configuration.md: bad numeric text "fails at route start,
 * naming the option". Either the start fails, or the step keeps the retry count it was given (impossible here: > 100).
 */
class FlujoOptionOverflowTest extends CamelTestSupport {

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("agent", TestAgents.answering("ok"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "4294967296", "4294967298" })
    void maxRetriesThatOverflowAnIntFailsTheStartInsteadOfWrapping(String text) throws Exception {
        String id = "o" + text;
        String uri = "flujo:step:" + id + "?agent=#agent&maxRetries=" + text;
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:" + id).to(uri);
                }
            });
        } catch (Exception rejected) {
            return; // failing the start, naming the option, is the contract
        }
        FlujoEndpoint endpoint = context.getEndpoint(uri, FlujoEndpoint.class);
        fail("maxRetries=" + text + " passed the option check but the step runs with maxRetries="
             + (((dev.flujo.core.exec.StepPlan) endpoint.getPlan()).maxAttempts() - 1) + " (int overflow wrapped silently)");
    }
}
