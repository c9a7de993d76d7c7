package dev.flujo.camel;

import java.math.BigDecimal;

import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.result.Usage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * cacheKeyContext naming a property that starts with "Camel". The step context hides such properties
 * (ExchangeContext.get returns null for them), so StepCache.keyFor reads null for every exchange and the key no longer
 * separates tenants: tenant B is served tenant A's cached answer. sinkTo rejects a Camel name at route start;
 * cacheKeyContext accepts it and silently drops it from the key. Either the start fails naming the option, or the two
 * tenants get separate entries.
 */
class FlujoCacheKeyContextTest extends CamelTestSupport {

    private final TestAgents.CountingAgent paid = TestAgents.answering(r -> "answer #" + System.nanoTime(),
            Usage.of(10, 5, new BigDecimal("0.01")));

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("paid", paid);
    }

    @Test
    void reservedCacheKeyContextNeverMergesTwoTenantsIntoOneEntry() throws Exception {
        String uri = "flujo:step:tenantCamel?agent=#paid&cache=true&cacheKeyContext=CamelTenantId";
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:tenantCamel").to(uri);
                }
            });
        } catch (Exception rejected) {
            return; // failing the start, naming cacheKeyContext, is fine
        }
        Exchange a = template.request("direct:tenantCamel", e -> {
            e.setProperty("CamelTenantId", "tenant-a");
            e.getMessage().setBody("same question");
        });
        Exchange b = template.request("direct:tenantCamel", e -> {
            e.setProperty("CamelTenantId", "tenant-b");
            e.getMessage().setBody("same question");
        });
        assertNull(a.getException());
        assertNull(b.getException());
        assertEquals(Boolean.FALSE, b.getMessage().getHeader(FlujoConstants.CACHE_HIT),
                "tenant-b was served tenant-a's cached output: the key context value was read as null for both");
        assertEquals(2, paid.calls());
    }
}
