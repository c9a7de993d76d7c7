package dev.flujo.camel;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/** cache, cacheTtl, cacheMaxSize, cacheKeyContext. */
class FlujoStepCacheTest extends CamelTestSupport {

    private final TestAgents.CountingAgent paid = TestAgents.answering(r -> "answer(" + r.input() + ")",
            Usage.of(10, 5, new BigDecimal("0.01")));
    private final TestAgents.CountingAgent tokens15 = TestAgents.answering("answer", Usage.tokens(10, 5));
    private final TestAgents.ScriptedAgent failsThenOk = TestAgents.scripted(new IllegalStateException("down"), "ok");
    private final TestAgents.CountingAgent mapAgent = TestAgents.answering(Map.of("summary", "short"));
    private final AtomicInteger routeCalls = new AtomicInteger();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("paid", paid);
        registry.bind("tokens15", tokens15);
        registry.bind("failsThenOk", failsThenOk);
        registry.bind("mapAgent", mapAgent);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:cached").to("flujo:step:cached?agent=#paid&cache=true&cacheTtl=1h&cacheMaxSize=100");
                from("direct:otherStep").to("flujo:step:otherStep?agent=#paid&cache=true");
                from("direct:tenant").to("flujo:step:tenant?agent=#paid&cache=true&cacheKeyContext=tenant");
                from("direct:tenantRegion")
                        .to("flujo:step:tenantRegion?agent=#paid&cache=true&cacheKeyContext=tenant, region");
                from("direct:noKeyContext").to("flujo:step:noKeyContext?agent=#paid&cache=true");
                from("direct:failing").to("flujo:step:failing?agent=#failsThenOk&cache=true&maxRetries=0");
                from("direct:twiceCached")
                        .to("flujo:step:twice?agent=#tokens15&cache=true&tokenLimit=20&expectedTokens=10")
                        .setBody(constant("q"))
                        .to("flujo:step:twice?agent=#tokens15&cache=true&tokenLimit=20&expectedTokens=10");
                from("direct:twiceUncached")
                        .to("flujo:step:twiceUncached?agent=#tokens15&tokenLimit=20&expectedTokens=10")
                        .setBody(constant("q"))
                        .to("flujo:step:twiceUncached?agent=#tokens15&tokenLimit=20&expectedTokens=10");
                from("direct:map").to("flujo:step:map?agent=#mapAgent&cache=true&updatesContext=true");
                from("direct:endpoint").to("flujo:step:endpoint?agent=direct:llm&cache=true");
                from("direct:llm").process(e -> {
                    routeCalls.incrementAndGet();
                    e.getMessage().setBody("route answer");
                });
            }
        };
    }

    private Exchange run(String uri, Object body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
    }

    private Exchange runAs(String uri, String tenant) {
        return template.request(uri, e -> {
            e.getMessage().setBody("same question");
            e.setProperty("tenant", tenant);
        });
    }

    @Test
    void identicalInputIsServedFromTheCacheWithoutAnAgentCall() {
        Exchange first = run("direct:cached", "q");
        Exchange second = run("direct:cached", "q");

        assertEquals(1, paid.calls());
        assertEquals("answer(q)", first.getMessage().getBody());
        assertEquals(false, first.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        assertEquals(10L, first.getMessage().getHeader(FlujoConstants.INPUT_TOKENS));

        Message hit = second.getMessage();
        assertNull(second.getException());
        assertEquals("answer(q)", hit.getBody());
        assertEquals(true, hit.getHeader(FlujoConstants.CACHE_HIT));
        assertEquals(true, hit.getHeader(FlujoConstants.SUCCESS));
        assertEquals(0, hit.getHeader(FlujoConstants.ATTEMPTS));
        assertEquals(0L, hit.getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(0L, hit.getHeader(FlujoConstants.OUTPUT_TOKENS));
        assertEquals(0, BigDecimal.ZERO.compareTo(hit.getHeader(FlujoConstants.COST_USD, BigDecimal.class)));
        FlujoRun run = runOf(second);
        assertEquals(0, run.usage().totalTokens());
        assertEquals(0, BigDecimal.ZERO.compareTo(run.usage().costOrZero()));
        assertEquals(true, run.lastResult("cached").cacheHit());
    }

    @Test
    void differentInputMisses() {
        run("direct:cached", "q1");
        Exchange second = run("direct:cached", "q2");

        assertEquals(2, paid.calls());
        assertEquals(false, second.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        assertEquals("answer(q2)", second.getMessage().getBody());
    }

    @Test
    void stepsDoNotShareEntries() {
        run("direct:cached", "q");
        Exchange other = run("direct:otherStep", "q");

        assertEquals(2, paid.calls());
        assertEquals(false, other.getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }

    @Test
    void cacheKeyContextSeparatesTenants() {
        Exchange a = runAs("direct:tenant", "A");
        Exchange b = runAs("direct:tenant", "B");
        assertEquals(2, paid.calls(), "tenant B must not get tenant A's entry");
        assertEquals(false, a.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        assertEquals(false, b.getMessage().getHeader(FlujoConstants.CACHE_HIT));

        Exchange aAgain = runAs("direct:tenant", "A");
        assertEquals(2, paid.calls());
        assertEquals(true, aAgain.getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }

    @Test
    void cacheKeyContextWithSeveralKeys() {
        template.request("direct:tenantRegion", e -> {
            e.getMessage().setBody("q");
            e.setProperty("tenant", "A");
            e.setProperty("region", "eu");
        });
        Exchange otherRegion = template.request("direct:tenantRegion", e -> {
            e.getMessage().setBody("q");
            e.setProperty("tenant", "A");
            e.setProperty("region", "us");
        });

        assertEquals(2, paid.calls());
        assertEquals(false, otherRegion.getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }

    @Test
    void withoutCacheKeyContextTenantsShareEntries() {
        runAs("direct:noKeyContext", "A");
        Exchange b = runAs("direct:noKeyContext", "B");

        assertEquals(1, paid.calls());
        assertEquals(true, b.getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }

    @Test
    void failuresAreNotCached() {
        Exchange failed = run("direct:failing", "q");
        assertInstanceOf(FlujoStepFailedException.class, failed.getException());

        Exchange ok = run("direct:failing", "q");
        assertEquals("ok", ok.getMessage().getBody());
        assertEquals(false, ok.getMessage().getHeader(FlujoConstants.CACHE_HIT));

        Exchange hit = run("direct:failing", "q");
        assertEquals(true, hit.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        assertEquals(2, failsThenOk.calls());
    }

    @Test
    void cacheHitIsNotCountedAgainstTheRunLimits() {
        // 15 tokens + a hit: the hit neither reserves expectedTokens=10 nor adds tokens, so tokenLimit=20 holds
        Exchange result = run("direct:twiceCached", "q");

        assertNull(result.getException());
        assertEquals(1, tokens15.calls());
        assertEquals(true, result.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        assertEquals(15, runOf(result).usage().totalTokens());
        assertEquals(2, runOf(result).history().size());
    }

    @Test
    void sameRunWithoutCacheBreachesTheLimit() {
        // the control case of cacheHitIsNotCountedAgainstTheRunLimits
        Exchange result = run("direct:twiceUncached", "q");

        exceptionOf(result, UsageLimitExceededException.class);
        assertEquals(1, tokens15.calls(), "the second call is refused before it runs");
    }

    @Test
    void cachedMapOutputUpdatesTheContextOfTheHit() {
        run("direct:map", "q");
        Exchange hit = run("direct:map", "q");

        assertEquals(1, mapAgent.calls());
        assertEquals(true, hit.getMessage().getHeader(FlujoConstants.CACHE_HIT));
        assertEquals("short", hit.getProperty("summary"));
    }

    @Test
    void endpointAgentOutputIsCached() {
        run("direct:endpoint", "q");
        Exchange hit = run("direct:endpoint", "q");

        assertEquals(1, routeCalls.get());
        assertEquals("route answer", hit.getMessage().getBody());
        assertEquals(true, hit.getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }

    @Test
    void cacheAsComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setCache(true);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:componentCache").to("flujo:step:componentCache?agent=#paid");
            }
        });

        run("direct:componentCache", "q");
        Exchange hit = run("direct:componentCache", "q");

        assertEquals(1, paid.calls());
        assertEquals(true, hit.getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }
}
