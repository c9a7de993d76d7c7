package dev.flujo.camel;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.apache.camel.builder.Builder.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** cache, cacheTtl, cacheMaxSize, cacheKeyContext. */
class FlujoStepCacheTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent paid = bind("paid", TestAgents.answering(r -> "answer(" + r.input() + ")",
            Usage.of(10, 5, new BigDecimal("0.01"))));
    private final TestAgents.CountingAgent tokens15 = bind("tokens15",
            TestAgents.answering("answer", Usage.tokens(10, 5)));
    private final TestAgents.ScriptedAgent failsThenOk = bind("failsThenOk",
            TestAgents.scripted(new IllegalStateException("down"), "ok"));
    private final TestAgents.CountingAgent mapAgent = bind("mapAgent",
            TestAgents.answering(Map.of("summary", "short")));
    private final AtomicInteger routeCalls = new AtomicInteger();

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:cached").to("flujo:step:cached?agent=#paid&cache=true&cacheTtl=1h&cacheMaxSize=100");
        r.from("direct:otherStep").to("flujo:step:otherStep?agent=#paid&cache=true");
        r.from("direct:tenant").to("flujo:step:tenant?agent=#paid&cache=true&cacheKeyContext=tenant");
        r.from("direct:tenantRegion")
                .to("flujo:step:tenantRegion?agent=#paid&cache=true&cacheKeyContext=tenant, region");
        r.from("direct:noKeyContext").to("flujo:step:noKeyContext?agent=#paid&cache=true");
        r.from("direct:failing").to("flujo:step:failing?agent=#failsThenOk&cache=true&maxRetries=0");
        r.from("direct:twiceCached")
                .to("flujo:step:twice?agent=#tokens15&cache=true&tokenLimit=20&expectedTokens=10")
                .setBody(constant("q"))
                .to("flujo:step:twice?agent=#tokens15&cache=true&tokenLimit=20&expectedTokens=10");
        r.from("direct:twiceUncached")
                .to("flujo:step:twiceUncached?agent=#tokens15&tokenLimit=20&expectedTokens=10")
                .setBody(constant("q"))
                .to("flujo:step:twiceUncached?agent=#tokens15&tokenLimit=20&expectedTokens=10");
        r.from("direct:map").to("flujo:step:map?agent=#mapAgent&cache=true&updatesContext=true");
        r.from("direct:endpoint").to("flujo:step:endpoint?agent=direct:llm&cache=true");
        r.from("direct:llm").process(e -> {
            routeCalls.incrementAndGet();
            e.getMessage().setBody("route answer");
        });
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
        assertEquals(false, resultHeader(first, FlujoConstants.CACHE_HIT));
        assertEquals(10L, resultHeader(first, FlujoConstants.INPUT_TOKENS));

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
        assertEquals(false, resultHeader(second, FlujoConstants.CACHE_HIT));
        assertEquals("answer(q2)", second.getMessage().getBody());
    }

    @Test
    void stepsDoNotShareEntries() {
        run("direct:cached", "q");
        Exchange other = run("direct:otherStep", "q");

        assertEquals(2, paid.calls());
        assertEquals(false, resultHeader(other, FlujoConstants.CACHE_HIT));
    }

    @Test
    void cacheKeyContextSeparatesTenants() {
        Exchange a = runAs("direct:tenant", "A");
        Exchange b = runAs("direct:tenant", "B");
        assertEquals(2, paid.calls(), "tenant B must not get tenant A's entry");
        assertEquals(false, resultHeader(a, FlujoConstants.CACHE_HIT));
        assertEquals(false, resultHeader(b, FlujoConstants.CACHE_HIT));

        Exchange aAgain = runAs("direct:tenant", "A");
        assertEquals(2, paid.calls());
        assertEquals(true, resultHeader(aAgain, FlujoConstants.CACHE_HIT));
    }

    @Test
    void cacheKeyContextWithSeveralKeys() {
        runWith("direct:tenantRegion", Map.of("tenant", "A", "region", "eu"));
        Exchange otherRegion = runWith("direct:tenantRegion", Map.of("tenant", "A", "region", "us"));

        assertEquals(2, paid.calls());
        assertEquals(false, resultHeader(otherRegion, FlujoConstants.CACHE_HIT));
    }

    @Test
    void withoutCacheKeyContextTenantsShareEntries() {
        runAs("direct:noKeyContext", "A");
        Exchange b = runAs("direct:noKeyContext", "B");

        assertEquals(1, paid.calls());
        assertEquals(true, resultHeader(b, FlujoConstants.CACHE_HIT));
    }

    @Test
    void failuresAreNotCached() {
        Exchange failed = run("direct:failing", "q");
        assertInstanceOf(FlujoStepFailedException.class, failed.getException());

        Exchange ok = run("direct:failing", "q");
        assertEquals("ok", ok.getMessage().getBody());
        assertEquals(false, resultHeader(ok, FlujoConstants.CACHE_HIT));

        Exchange hit = run("direct:failing", "q");
        assertEquals(true, resultHeader(hit, FlujoConstants.CACHE_HIT));
        assertEquals(2, failsThenOk.calls());
    }

    @Test
    void cacheHitIsNotCountedAgainstTheRunLimits() {
        // 15 tokens + a hit: the hit neither reserves expectedTokens=10 nor adds tokens, so tokenLimit=20 holds
        Exchange result = run("direct:twiceCached", "q");

        assertNull(result.getException());
        assertEquals(1, tokens15.calls());
        assertEquals(true, resultHeader(result, FlujoConstants.CACHE_HIT));
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
        assertEquals(true, resultHeader(hit, FlujoConstants.CACHE_HIT));
        assertEquals("short", hit.getProperty("summary"));
    }

    @Test
    void endpointAgentOutputIsCached() {
        run("direct:endpoint", "q");
        Exchange hit = run("direct:endpoint", "q");

        assertEquals(1, routeCalls.get());
        assertEquals("route answer", hit.getMessage().getBody());
        assertEquals(true, resultHeader(hit, FlujoConstants.CACHE_HIT));
    }

    @Test
    void cacheAsComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setCache(true);
        addRoute("direct:componentCache", "flujo:step:componentCache?agent=#paid");

        run("direct:componentCache", "q");
        Exchange hit = run("direct:componentCache", "q");

        assertEquals(1, paid.calls());
        assertEquals(true, resultHeader(hit, FlujoConstants.CACHE_HIT));
    }
}
