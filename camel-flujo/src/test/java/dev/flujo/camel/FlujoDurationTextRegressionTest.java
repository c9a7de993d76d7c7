package dev.flujo.camel;

import static dev.flujo.camel.FlujoAssertions.assertRouteStartFails;
import static dev.flujo.camel.FlujoAssertions.causeOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import dev.flujo.core.FlujoConfigurationException;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Duration and number text found by the bad-input fuzzing (issue 7) that the option check let through: Camel then
 * wrapped it silently ({@code timeout=18446744073709552s} ran with a 384 ms time-out), read a repeated unit once
 * ({@code 1h1h} = 1h), failed with its own NumberFormatException or ArithmeticException instead of naming the
 * option with the others, or the check itself overflowed the stack (a few thousand duration parts) or took minutes
 * (many {@code {{}).
 */
class FlujoDurationTextRegressionTest extends CamelTestSupport {

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("agent", TestAgents.answering("ok"));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:started").to("flujo:step:started?agent=#agent");
            }
        };
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timeout=18446744073709552s | timeout is out of range",
        "timeout=307445734561826m | timeout is out of range",
        "cacheTtl=99999999999999999999 | cacheTtl is out of range",
        "maxConcurrentExecutionsWait=P999999999999D | maxConcurrentExecutionsWait is out of range",
        "timeout=PT9999999999999999H | timeout is out of range",
        "timeout=1h1h | timeout must not repeat the unit h",
    })
    void durationTextCamelWouldMisreadFailsTheStartNamingTheOption(String option, String problem) {
        Exception e = assertRouteStartFails(context, "flujo:step:d" + Integer.toHexString(option.hashCode())
                + "?agent=#agent&" + option, problem);
        causeOf(e, FlujoConfigurationException.class);
    }

    @Test
    void aDurationOfThousandsOfPartsFailsWithoutOverflowingTheStack() {
        Exception e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertRouteStartFails(context,
                "flujo:step:parts?agent=#agent&timeout=" + "1s".repeat(5_000), "timeout must not repeat the unit s"));
        causeOf(e, FlujoConfigurationException.class);
    }

    @Test
    void manyPlaceholderBracesAreCheckedInLinearTime() {
        FlujoEndpoint endpoint = context.getEndpoint("flujo:step:started?agent=#agent", FlujoEndpoint.class);
        FlujoConfigurationException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(FlujoConfigurationException.class,
                        () -> endpoint.reconfigure(Map.of("maxRetries", "{{".repeat(500_000)))));
        assertTrue(e.getProblems().get(0).startsWith("maxRetries must be a whole number"), e.getMessage());
    }
}
