package dev.flujo.reliability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoConstants;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Runs paused by a human step in one context (or JVM), resumed by a fresh context on the same SQLite store. */
final class PausedRuns {

    /** Where a resumed run continues: it answers {@code approved <ok>} from the answer {@code {"ok": ...}}. */
    static final String RESUME_URI = "direct:approved";

    private PausedRuns() {
    }

    /** The human step of the runs: pauses at {@code approve}, continues at {@link #RESUME_URI}. */
    static String humanStep(String stateUrl) {
        return "flujo:human:approve?message=Approve ${body}?&resumeUri=" + RESUME_URI + "&stateUrl=" + stateUrl;
    }

    /**
     * The route a resumed run continues in; a context that pauses runs needs it too (resumeUri is checked at start).
     */
    static RouteBuilder continuation() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(RESUME_URI).routeId("approved").setBody(simple("approved ${body[ok]}"));
            }
        };
    }

    /**
     * Resumes every paused run in a new context on the store, all at once, and checks that each continued at
     * {@link #RESUME_URI}; returns the resumed exchanges (in the order of {@code pauseIds}).
     */
    static List<Exchange> resumeAll(String stateUrl, Collection<String> pauseIds) throws Exception {
        try (DefaultCamelContext next = new DefaultCamelContext()) {
            next.addRoutes(continuation());
            next.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:resume").to("flujo:resume?stateUrl=" + stateUrl);
                }
            });
            next.start();
            ProducerTemplate template = next.createProducerTemplate();
            List<CompletableFuture<Exchange>> replies = new ArrayList<>();
            for (String id : pauseIds) {
                replies.add(template.asyncSend("direct:resume", e -> {
                    e.getMessage().setHeader(FlujoConstants.RUN_ID, id);
                    e.getMessage().setBody("{\"ok\": true}");
                }));
            }
            List<Exchange> resumed = new ArrayList<>();
            for (CompletableFuture<Exchange> reply : replies) {
                Exchange e = reply.get(FaultAgent.SAFETY_SECONDS, TimeUnit.SECONDS);
                assertNull(e.getException(), () -> String.valueOf(e.getException()));
                assertEquals("approved true", e.getMessage().getBody());
                resumed.add(e);
            }
            return resumed;
        }
    }
}
