package dev.flujo.camel;

import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.assertRouteStartFails;

/** The backoff and rate-limit options refuse values that cannot work when the route starts, naming the option. */
class RetryAndRateLimitOptionsTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent agent = bind("agent", TestAgents.answering("ok"));

    @Test
    void aMultiplierBelowOneIsRefused() {
        assertRouteStartFails(context, "flujo:step:a?agent=#agent&retryBackoffMultiplier=0.5", "retryBackoffMultiplier",
                "at least 1");
    }

    @Test
    void aFirstDelayLongerThanTheLongestIsRefused() {
        assertRouteStartFails(context, "flujo:step:b?agent=#agent&retryDelay=10s&retryMaxDelay=5s", "retryDelay",
                "retryMaxDelay");
    }

    @Test
    void negativeLimitsAreRefused() {
        assertRouteStartFails(context, "flujo:step:c?agent=#agent&requestsPerMinute=-1", "requestsPerMinute");
        assertRouteStartFails(context, "flujo:step:d?agent=#agent&tokensPerMinute=-5", "tokensPerMinute");
    }

    @Test
    void aRateLimitWaitWithoutALimitIsReportedAsIneffective() throws Exception {
        addRoute("direct:idle", "flujo:step:idle?agent=#agent&rateLimitWait=5s");

        Object ineffective = context.getEndpoints().stream()
                .filter(e -> e.getEndpointUri().startsWith("flujo://step:idle")).map(FlujoEndpoint.class::cast)
                .findFirst().orElseThrow().getOptimizationStats().get("ineffectiveOptions");

        org.junit.jupiter.api.Assertions.assertEquals(
                java.util.List.of("rateLimitWait has no effect without requestsPerMinute > 0 or tokensPerMinute > 0"),
                ineffective);
    }
}
