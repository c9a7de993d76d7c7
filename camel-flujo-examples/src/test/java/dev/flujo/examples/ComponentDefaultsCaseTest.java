package dev.flujo.examples;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * camel-main binds camel.component.flujo.* ignoring case, but OptionValues.checkComponentDefaults only looks up the
 * camelCase and the dashed spelling. camel.component.flujo.maxretries=abc is therefore never checked and Camel's
 * TimeUtils turns it into 0: docs/configuration.md promises such text "fails at route start, naming the option ... in
 * camel.component.flujo.* defaults".
 */
class ComponentDefaultsCaseTest {

    @ParameterizedTest
    @ValueSource(strings = { "camel.component.flujo.maxretries", "camel.component.flujo.MaxRetries" })
    void nonNumericDefaultInAnotherCaseFailsTheStart(String key) throws Exception {
        Main main = new Main();
        Properties props = new Properties();
        props.setProperty(key, "abc");
        main.setOverrideProperties(props);
        main.bind("agent", (FlujoAgent) r -> CompletableFuture.completedFuture(AgentResponse.of("ok")));
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("flujo:step:s?agent=#agent");
            }
        });
        try {
            main.start();
        } catch (Exception rejected) {
            return; // failing the start is the contract
        }
        try {
            FlujoEndpoint endpoint = main.getCamelContext().getEndpoint("flujo:step:s?agent=#agent", FlujoEndpoint.class);
            fail(key + "=abc was accepted; the step runs with maxRetries="
                 + (((dev.flujo.core.exec.StepPlan) endpoint.getPlan()).maxAttempts() - 1));
        } finally {
            main.stop();
        }
    }
}
