package dev.flujo.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.camel.telemetry.FlujoMeters;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * enablePerformanceMonitoring: Micrometer meters in camel-micrometer's registry, one set per step, recorded per
 * execution with bounded tags (never the input).
 */
class FlujoMetricsTest extends CamelTestSupport {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getRegistry().bind("metricsRegistry", MeterRegistry.class, meters);
        // answers with usage; fails every other first attempt, so retries are counted
        context.getRegistry().bind("llm", (FlujoAgent) request -> {
            if (request.input().toString().startsWith("flaky") && request.attempt() == 1) {
                return CompletableFuture.failedFuture(new IllegalStateException("hiccup"));
            }
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(AgentResponse.of("ok:" + request.input(),
                    Usage.of(10, 4, new java.math.BigDecimal("0.002"))));
        });
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:watched").to("flujo:step:watched?agent=#llm&cache=true&enablePerformanceMonitoring=true");
                from("direct:unwatched").to("flujo:step:unwatched?agent=#llm");
            }
        };
    }

    private double outcome(String outcome) {
        return meters.get("flujo.step.outcomes").tag("flujo.step", "watched").tag("outcome", outcome).counter().count();
    }

    @Test
    void everyExecutionIsRecordedByOutcomeWithTokensAndCost() {
        template.requestBody("direct:watched", "a");
        template.requestBody("direct:watched", "a"); // cache hit
        template.requestBody("direct:watched", "flaky"); // one retry

        Timer ok = meters.get("gen_ai.client.operation.duration").tag("flujo.step", "watched").tag("outcome", "success")
                .timer();
        assertEquals(3, ok.count());
        assertEquals(3, outcome("success"));
        assertEquals(1, outcome("cache_hit"));
        assertEquals(2, outcome("cache_miss"));
        assertEquals(1, outcome("retry"));
        assertEquals(2, meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary().count());
        assertEquals(20, meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary()
                .totalAmount());
        assertEquals(0.004, meters.get("flujo.step.cost").counter().count(), 1e-9);
        assertEquals("CamelFlujo", ok.getId().getTag("kind"));
        assertEquals(context.getName(), ok.getId().getTag("camelContext"));
    }

    @Test
    void theNumberOfMetersDoesNotGrowWithDistinctInputs() {
        template.requestBody("direct:watched", "first");
        int before = meters.getMeters().size();

        for (int i = 0; i < 50; i++) {
            template.requestBody("direct:watched", "input-" + i);
        }

        assertEquals(before, meters.getMeters().size());
        assertEquals(51, outcome("success"));
    }

    @Test
    void theRegistryIsFoundAsCamelMicrometerFindsIt() throws Exception {
        assertEquals(meters, FlujoMeters.registryOf(context), "the metricsRegistry bean");
        try (var other = new org.apache.camel.impl.DefaultCamelContext()) {
            MeterRegistry onlyOne = new SimpleMeterRegistry();
            other.getRegistry().bind("someName", MeterRegistry.class, onlyOne);
            assertEquals(onlyOne, FlujoMeters.registryOf(other), "else the only MeterRegistry bean");
        }
        try (var bare = new org.apache.camel.impl.DefaultCamelContext()) {
            MeterRegistry created = FlujoMeters.registryOf(bare);
            assertEquals(created, bare.getRegistry().lookupByName("metricsRegistry"),
                    "else a new one, bound as metricsRegistry so the next lookup finds it");
        }
    }

    @Test
    void withoutTheOptionNothingIsRecorded() {
        template.requestBody("direct:unwatched", "a");

        assertNull(meters.find("flujo.step.outcomes").tag("flujo.step", "unwatched").counter());
        assertNotNull(meters.find("flujo.step.outcomes").tag("flujo.step", "watched").counter(),
                "meters are registered when the endpoint starts");
    }
}
