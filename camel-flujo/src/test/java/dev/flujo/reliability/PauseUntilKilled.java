package dev.flujo.reliability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Run in a forked JVM by {@link KilledJvmStressTest}: pauses runs on the SQLite file given as argument, from
 * {@link #WRITERS} threads without end, printing {@code PAUSED <pauseId>} once each pause has returned, until it is
 * killed ({@code kill -9}): so the kill lands while runs are being paused. Nothing is stopped or closed on purpose.
 */
public final class PauseUntilKilled {

    static final int WRITERS = 4;
    /** What each run's draft spends. */
    static final Usage DRAFT_USAGE = Usage.tokens(7, 5);

    private PauseUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        String stateUrl = args[0];
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("drafter", (FlujoAgent) request -> CompletableFuture.completedFuture(
                AgentResponse.of("draft for " + request.input(), DRAFT_USAGE)));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:review").setProperty("customer", body())
                        .to("flujo:step:draft?agent=#drafter")
                        .to(PausedRuns.humanStep(stateUrl));
            }
        });
        camel.addRoutes(PausedRuns.continuation());
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.execute(() -> {
                for (int i = 0;; i++) {
                    String customer = "customer-" + writer + "-" + i;
                    Exchange paused = template.request("direct:review", e -> e.getMessage().setBody(customer));
                    String line = paused.getException() == null
                            ? "PAUSED " + paused.getMessage().getHeader(FlujoConstants.RUN_ID)
                            : "NOT PAUSED " + paused.getException();
                    synchronized (System.out) {
                        System.out.println(line);
                        System.out.flush();
                    }
                }
            });
        }
        Thread.currentThread().join(); // until killed
    }
}
