package dev.flujo.reliability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step cache never serves one tenant's output to another ({@code cacheKeyContext=tenant}): two tenants asking the
 * same prompt get separate entries, in every cache configuration - plain, sharing misses in flight
 * ({@code enableCacheOptimization}), wide 128-bit keys ({@code enableAlgorithmOptimization}) and both - and under
 * concurrency, where the misses of one round wait for a call in flight of their own tenant. The tenant ids' hash codes
 * are equal ({@code "tenant-Aa".hashCode() == "tenant-BB".hashCode()}), so keys that differ only by tenant land in the
 * same hash bucket and only a full comparison tells them apart.
 */
@Tag("stress")
class TenantCacheIsolationStressTest extends CamelTestSupport {

    private static final String A = "tenant-Aa";
    private static final String B = "tenant-BB";

    /** Route (and step) name -> the options of its cache. */
    private static final Map<String, String> CONFIGURATIONS = Map.of(
            "plain", "enableCacheOptimization=false",
            "sharedMisses", "enableCacheOptimization=true",
            "wideKeys", "enableCacheOptimization=false&enableAlgorithmOptimization=true",
            "sharedMissesWideKeys", "enableCacheOptimization=true&enableAlgorithmOptimization=true");

    private static final int ROUNDS = 400;
    private static final int PER_TENANT = 8;

    private final TenantAgent agent = new TenantAgent();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("tenantAgent", agent);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                CONFIGURATIONS.forEach((name, options) -> from("direct:" + name)
                        .process(e -> agent.arrived())
                        .to("flujo:step:" + name + "?agent=#tenantAgent&cache=true&cacheKeyContext=tenant&" + options));
            }
        };
    }

    /**
     * An agent that answers with the tenant it was asked for (read from the step context) and a call number, and, while
     * a round is open, holds its answers until every request of the round has reached the step's route: the other
     * requests of the round then find the call in flight (or its cached output).
     */
    static final class TenantAgent implements FlujoAgent {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private int waitingFor;
        private final List<Runnable> held = new ArrayList<>();

        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            int n = calls.computeIfAbsent(request.stepName(), s -> new AtomicInteger()).incrementAndGet();
            String answer = "answer for " + request.context().get("tenant") + " #" + n;
            CompletableFuture<AgentResponse> reply = new CompletableFuture<>();
            synchronized (this) {
                if (waitingFor > 0) {
                    held.add(() -> reply.complete(AgentResponse.of(answer)));
                    return reply;
                }
            }
            reply.complete(AgentResponse.of(answer));
            return reply;
        }

        synchronized void openRound(int requests) {
            waitingFor = requests;
        }

        void arrived() {
            List<Runnable> release;
            synchronized (this) {
                if (waitingFor == 0 || --waitingFor > 0) {
                    return;
                }
                release = new ArrayList<>(held);
                held.clear();
            }
            release.forEach(Runnable::run);
        }

        int calls(String step) {
            AtomicInteger n = calls.get(step);
            return n == null ? 0 : n.get();
        }
    }

    private Exchange ask(String route, String tenant, String prompt) {
        Exchange e = template.send("direct:" + route, ex -> {
            ex.setProperty("tenant", tenant);
            ex.getMessage().setBody(prompt);
        });
        assertNull(e.getException(), () -> route + ": " + e.getException());
        return e;
    }

    private static boolean hit(Exchange e) {
        return Boolean.TRUE.equals(e.getMessage().getHeader(FlujoConstants.CACHE_HIT));
    }

    @Test
    void twoTenantsWithTheSamePromptGetSeparateEntriesInEveryConfiguration() {
        assertEquals(A.hashCode(), B.hashCode(), "the tenant ids collide on purpose");
        for (String route : CONFIGURATIONS.keySet()) {
            Exchange a1 = ask(route, A, "the same prompt");
            Exchange b1 = ask(route, B, "the same prompt");
            Exchange a2 = ask(route, A, "the same prompt");
            Exchange b2 = ask(route, B, "the same prompt");

            assertEquals(2, agent.calls(route), route + ": one call per tenant");
            assertEquals("answer for " + A + " #1", a1.getMessage().getBody(), route);
            assertEquals("answer for " + B + " #2", b1.getMessage().getBody(), route);
            assertTrue(!hit(a1) && !hit(b1), route + ": the second tenant is a miss of its own");
            assertEquals(a1.getMessage().getBody(), a2.getMessage().getBody(), route);
            assertEquals(b1.getMessage().getBody(), b2.getMessage().getBody(), route);
            assertTrue(hit(a2) && hit(b2), route + ": each repeat is a hit of its own");
        }
        ReliabilityFigures.record(ReliabilityFigures.Section.SECURITY,
                "cacheKeyContext=tenant: two tenants (ids with equal hash codes), the same prompt, in "
                                                                       + CONFIGURATIONS.size()
                                                                       + " cache configurations (plain, enableCacheOptimization,"
                                                                       + " enableAlgorithmOptimization, both)",
                "separate entries in each: the agent called twice, each tenant its own answer, each repeat a hit of"
                                                                                                                + " its own",
                getClass());
    }

    @Test
    void concurrentMissesOfTwoTenantsNeverShareOneCall() throws Exception {
        int threads = 2 * PER_TENANT;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long responses = 0;
        long shared = 0;
        long hits = 0;
        long calls = 0;
        try {
            for (String route : List.of("sharedMisses", "sharedMissesWideKeys")) {
                for (int round = 0; round < ROUNDS; round++) {
                    String prompt = "prompt " + round;
                    int callsBefore = agent.calls(route);
                    agent.openRound(threads);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Exchange>> sent = new ArrayList<>();
                    for (int i = 0; i < threads; i++) {
                        String tenant = i % 2 == 0 ? A : B;
                        sent.add(pool.submit(() -> {
                            start.await();
                            return ask(route, tenant, prompt);
                        }));
                    }
                    start.countDown();
                    Map<String, Set<Object>> answersOf = Map.of(A, new HashSet<>(), B, new HashSet<>());
                    for (int i = 0; i < threads; i++) {
                        Exchange e = sent.get(i).get(30, TimeUnit.SECONDS);
                        String tenant = e.getProperty("tenant", String.class);
                        Object body = e.getMessage().getBody();
                        assertTrue(String.valueOf(body).startsWith("answer for " + tenant + " #"),
                                () -> route + ": " + tenant + " was answered " + body);
                        answersOf.get(tenant).add(body);
                        StepResult result = e.getProperty(FlujoConstants.RUN, FlujoRun.class).lastResult(route);
                        shared += Boolean.TRUE.equals(result.metadata().get(StepResult.META_CACHE_SHARED)) ? 1 : 0;
                        hits += hit(e) ? 1 : 0;
                        responses++;
                    }
                    // a miss that checked the cache just before a call ended, and looked for it in flight just after,
                    // calls again: for its own tenant, as the answers above show
                    int roundCalls = agent.calls(route) - callsBefore;
                    assertTrue(roundCalls >= 2, route + ": a call per tenant");
                    calls += roundCalls;
                    for (String tenant : List.of(A, B)) {
                        Exchange repeat = ask(route, tenant, prompt);
                        assertTrue(hit(repeat), route + ": a repeat is a hit");
                        assertTrue(answersOf.get(tenant).contains(repeat.getMessage().getBody()),
                                () -> route + ": " + tenant + "'s repeat: " + repeat.getMessage().getBody());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(shared > 0, "some misses waited for the call in flight");
        ReliabilityFigures.record(ReliabilityFigures.Section.SECURITY,
                "cacheKeyContext=tenant under concurrency: " + ROUNDS + " rounds x " + threads + " threads (two tenants"
                                                                       + " with equal-hash ids, the same prompt per round), enableCacheOptimization without and"
                                                                       + " with enableAlgorithmOptimization",
                "0 cross-tenant answers in " + responses + " responses and " + 4 * ROUNDS + " repeats (each a hit of"
                                                                                                              + " its own tenant); "
                                                                                                              + shared
                                                                                                              + " responses shared a call in flight, "
                                                                                                              + (hits - shared)
                                                                                                              + " were cache hits; "
                                                                                                              + calls
                                                                                                              + " agent calls for "
                                                                                                              + 4 * ROUNDS
                                                                                                              + " tenant-prompt pairs",
                getClass());
    }
}
