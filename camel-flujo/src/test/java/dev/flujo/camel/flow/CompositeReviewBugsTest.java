package dev.flujo.camel.flow;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.flow.FlujoBranch;
import dev.flujo.core.flow.MergeConflictException;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.InMemoryStateStore;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.ResumeRejectedException;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.state.StateCodec;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.ProcessorEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of the composite kinds: regression tests for the defects a review proved (each failed before its fix), and
 * pins for tricky behaviour that is correct.
 */
class CompositeReviewBugsTest extends CamelTestSupport {

    @TempDir
    Path dir;

    private final TestAgents.CountingAgent routerAgent = TestAgents.answering("a", Usage.tokens(7, 3));
    private final TestAgents.CountingAgent worker = TestAgents.answering(r -> "did " + r.input(), Usage.tokens(4, 1));
    private final InMemoryStateStore memoryStore = new InMemoryStateStore();

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("flujo-state.db");
    }

    /** A component that takes any option, secrets included, and answers by setting a header: a stand-in for http. */
    static final class VaultComponent extends DefaultComponent {
        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            parameters.clear();
            return new ProcessorEndpoint(uri, this, exchange -> exchange.getMessage().setHeader("vault", remaining));
        }
    }

    /**
     * A component whose producers are not thread-safe and say so ({@code isSingletonProducer() == false}, as e.g. ftp
     * does): Camel's own EIPs then use a producer per exchange. Each producer records how many exchanges it was
     * processing at once; two calls wait for each other, so they are in flight together.
     */
    static final class SingleUseComponent extends DefaultComponent {
        final List<SingleUseProducer> producers = new CopyOnWriteArrayList<>();
        final CountDownLatch together = new CountDownLatch(2);

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            SingleUseComponent component = this;
            return new DefaultEndpoint(uri, this) {
                @Override
                public boolean isSingletonProducer() {
                    return false;
                }

                @Override
                public Producer createProducer() {
                    SingleUseProducer producer = new SingleUseProducer(this, component.together);
                    component.producers.add(producer);
                    return producer;
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    static final class SingleUseProducer extends DefaultProducer {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        private final CountDownLatch together;

        SingleUseProducer(Endpoint endpoint, CountDownLatch together) {
            super(endpoint);
            this.together = together;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                together.countDown();
                together.await(5, TimeUnit.SECONDS);
                exchange.getMessage().setBody("done " + exchange.getMessage().getBody());
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private final SingleUseComponent singleUse = new SingleUseComponent();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("singleuse", singleUse);
        registry.bind("routerAgent", routerAgent);
        registry.bind("worker", worker);
        registry.bind("memoryStore", memoryStore);
        // a Java branch that copies the properties of some other exchange it worked with into its context, as a
        // branch calling a ProducerTemplate might: that exchange's CamelFlujoRun comes with them
        registry.bind("copier", (FlujoBranch) call -> {
            call.context().put("note", "copied");
            call.context().put(FlujoConstants.RUN, FlujoRun.create());
            return CompletableFuture.completedFuture("copied");
        });
        // an agent whose reply body is a stream, as an http endpoint's is
        registry.bind("streamingAgent", (FlujoAgent) request -> CompletableFuture.completedFuture(
                AgentResponse.of(new ByteArrayInputStream("a draft".getBytes(StandardCharsets.UTF_8)))));
        registry.bind("vault", new VaultComponent());
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String state = "stateUrl=" + stateUrl();
        return new RouteBuilder() {
            @Override
            public void configure() {
                // a router nested in a branch of a parallel step
                from("direct:a").to("flujo:step:work?agent=#worker");
                from("direct:b").setBody(constant("b"));
                from("direct:triage").to("flujo:router:triage?agent=#routerAgent&branches=a=direct:a,b=direct:b");
                from("direct:other").setBody(constant("other"));
                from("direct:outer-router").to("flujo:parallel:outer?branches=triage=direct:triage,other=direct:other");

                // a branch that sets a property back to the value it already had
                from("direct:set-closed").setProperty("status", constant("closed"));
                from("direct:set-open").setProperty("status", constant("open"));
                from("direct:same-value").setProperty("status", constant("open"))
                        .to("flujo:parallel:sameValue?branches=closer=direct:set-closed,opener=direct:set-open"
                                + "&mergeStrategy=ERROR_ON_CONFLICT");

                // a Java branch writing a Camel-reserved property
                from("direct:copier").to("flujo:step:before?agent=#worker")
                        .to("flujo:parallel:copy?branches=c=#copier")
                        .to("flujo:step:after?agent=#worker");

                // a stream output earlier in the run, then a pause
                from("direct:stream-then-pause").to("flujo:step:streamDraft?agent=#streamingAgent")
                        .convertBodyTo(String.class)
                        .to("flujo:human:streamApprove?resumeUri=direct:after-pause&" + state);
                from("direct:after-pause").to("mock:after-pause");
                from("direct:resume").to("flujo:resume?" + state);

                // two people in turn
                from("direct:two-stage").to("flujo:human:legal?resumeUri=direct:after-legal&" + state);
                from("direct:after-legal").setProperty("legal", simple("${body}"))
                        .to("flujo:human:finance?resumeUri=direct:after-finance&" + state);
                from("direct:after-finance").to("mock:after-finance");

                // a pause whose answer has a schema
                from("direct:schema-pause").to("flujo:human:schemaPause?resumeUri=direct:after-pause&" + state
                        + "&answerSchema=RAW({\"type\":\"object\",\"required\":[\"approved\"]})");

                // concurrent map items on an endpoint whose producers are not thread-safe
                from("direct:map-single-use").to("flujo:map:perItem?body=singleuse:work&maxConcurrency=2");

                // a resumeUri with a secret that resolves
                from("direct:secret-pause").to("flujo:human:secretPause?stateStore=#memoryStore"
                        + "&resumeUri=RAW(vault:after?password=TOPSECRET42)");
            }
        };
    }

    // --- usage -------------------------------------------------------------------------------------------------------

    @Test
    void aRouterInsideAParallelBranchCountsItsRoutingCallOnce() {
        Exchange out = template.request("direct:outer-router", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(15, runOf(out).usage().totalTokens(), "router 10 + worker 5, booked once each");
        StepResult outer = lastResult(out, "outer");
        assertEquals(runOf(out).usage().totalTokens(), outer.usage().totalTokens(),
                "the parallel step's usage is what its branches spent: " + outer.children());
        assertEquals(11L, out.getMessage().getHeader(FlujoConstants.INPUT_TOKENS), "header of the parallel step");
        assertEquals(4L, out.getMessage().getHeader(FlujoConstants.OUTPUT_TOKENS));
    }

    // --- context writes ----------------------------------------------------------------------------------------------

    @Test
    void aBranchSettingAPropertyToThePreviousValueChangedNothingSoTheOtherBranchsChangeIsKept() {
        // the review's finding, decided: writes are changes. status starts "open"; one branch sets it to "open" (no
        // change), the other to "closed": ERROR_ON_CONFLICT sees one change and keeps it, as CONTEXT_UPDATE does
        Exchange out = template.request("direct:same-value", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals("closed", out.getProperty("status"));
    }

    @Test
    void aBranchCannotReplaceTheRunThroughAReservedProperty() {
        Exchange out = template.request("direct:copier", e -> e.getMessage().setBody("q"));

        // refused with a clear error rather than applied (or silently dropped); the run is left as it was
        FlujoConfigurationException refused = exceptionOf(out, FlujoConfigurationException.class);
        assertContains(refused.getMessage(), "CamelFlujoRun");
        assertEquals(List.of("before", "copy"), names(runOf(out).history()));
    }

    // --- human / resume ----------------------------------------------------------------------------------------------

    @Test
    void aStreamOutputEarlierInTheRunDoesNotKeepTheRunFromPausing() {
        Exchange out = template.request("direct:stream-then-pause", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(FlujoConstants.STATUS_PAUSED, out.getMessage().getHeader(FlujoConstants.STATUS));
    }

    @Test
    void aResumeWhoseDirectRouteIsGoneLeavesTheRunPaused() {
        String runId = "paused-by-another-version";
        new JdbcStateStore(stateUrl()).save(new PausedRun(runId, RunStatus.PAUSED, "approve", "ok?", null,
                "direct:route-of-an-older-version?block=false", "q", Map.of(), List.of(), Usage.ZERO, null, List.of(),
                Instant.now()));

        Exchange failed = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("\"ok\"");
        });

        assertNotNull(failed.getException(), "nothing consumes direct:route-of-an-older-version");
        assertEquals(RunStatus.PAUSED, new JdbcStateStore(stateUrl()).load(runId).orElseThrow().status(),
                "a resume that continued nothing must not use the run up");
    }

    @Test
    void aDuplicateOfTheFirstAnswerDoesNotResumeTheSecondPause() throws Exception {
        getMockEndpoint("mock:after-finance").expectedBodiesReceived("finance says yes");
        Exchange first = template.request("direct:two-stage", e -> e.getMessage().setBody("contract"));
        String firstKey = first.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        Exchange second = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, firstKey);
            e.getMessage().setBody("\"legal says yes\"");
        });
        assertEquals(FlujoConstants.STATUS_PAUSED, second.getMessage().getHeader(FlujoConstants.STATUS));
        String secondKey = second.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange duplicate = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, firstKey);
            e.getMessage().setBody("\"legal says yes\"");
        });

        assertNotNull(duplicate.getException(), "the legal answer was taken as finance's");
        assertInstanceOf(ResumeRejectedException.class, duplicate.getException());
        Exchange finance = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, secondKey);
            e.getMessage().setBody("\"finance says yes\"");
        });
        assertNull(finance.getException(), () -> messages(finance.getException()));
        getMockEndpoint("mock:after-finance").assertIsSatisfied();
    }

    // --- secrets -----------------------------------------------------------------------------------------------------

    @Test
    void aSecretInAnUnresolvableResumeUriDoesNotLeakIntoTheStartFailure() {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:leaky").to("flujo:human:leaky?stateStore=memory"
                        + "&resumeUri=RAW(direct:after?apiKey=TOPSECRET42)");
            }
        }));
        String all = messages(e);
        assertContains(all, "resumeUri");
        assertFalse(all.contains("TOPSECRET42"), all);
    }

    @Test
    void aSecretInTheResumeUriIsNotWrittenToTheStateStore() {
        Exchange paused = template.request("direct:secret-pause", e -> e.getMessage().setBody("q"));
        assertNull(paused.getException(), () -> messages(paused.getException()));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        String stored = StateCodec.write(memoryStore.load(runId).orElseThrow());

        assertFalse(stored.contains("TOPSECRET42"), stored);
    }

    @Test
    void aSecretInAStoredResumeUriDoesNotLeakIntoTheResumeFailure() {
        String runId = "paused-with-a-key";
        new JdbcStateStore(stateUrl()).save(new PausedRun(runId, RunStatus.PAUSED, "approve", "ok?", null,
                "direct:after?apiKey=TOPSECRET42", "q", Map.of(), List.of(), Usage.ZERO, null, List.of(),
                Instant.now()));

        Exchange failed = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("\"ok\"");
        });

        assertNotNull(failed.getException());
        assertEquals(RunStatus.PAUSED, new JdbcStateStore(stateUrl()).load(runId).orElseThrow().status());
        String all = messages(failed.getException());
        assertFalse(all.contains("TOPSECRET42"), all);
    }

    // --- concurrency -------------------------------------------------------------------------------------------------

    @Test
    void concurrentItemsNeverShareAProducerThatIsNotThreadSafe() {
        Exchange out = template.request("direct:map-single-use", e -> e.getMessage().setBody(List.of("x", "y")));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(List.of("done x", "done y"), out.getMessage().getBody());
        singleUse.producers.forEach(p -> assertEquals(1, p.mostAtOnce.get(),
                "a producer that is not a singleton processed exchanges concurrently"));
    }

    // --- option checks -----------------------------------------------------------------------------------------------

    @Test
    void aNegativeMaxConcurrencyFailsTheRouterStartAsItFailsParallelAndMap() {
        FlowAssertions.assertRouteStartFails(context, "flujo:parallel:p?branches=a=direct:a&maxConcurrency=-1",
                "maxConcurrency");
        FlowAssertions.assertRouteStartFails(context, "flujo:map:m?body=direct:a&maxConcurrency=-1",
                "maxConcurrency");
        FlowAssertions.assertRouteStartFails(context,
                "flujo:router:r?agent=#routerAgent&branches=a=direct:a&maxConcurrency=-1", "maxConcurrency");
    }

    // --- pinned behaviour that is correct ----------------------------------------------------------------------------

    @Test
    void anInputStreamAnswerIsReadAsJsonCheckedAndABadOneLeavesTheRunPaused() throws Exception {
        getMockEndpoint("mock:after-pause").expectedMessageCount(1);
        Exchange paused = template.request("direct:schema-pause", e -> e.getMessage().setBody("q"));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange bad = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody(new ByteArrayInputStream("{\"note\":1}".getBytes(StandardCharsets.UTF_8)));
        });
        assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER,
                exceptionOf(bad, ResumeRejectedException.class).getReason());
        assertEquals(RunStatus.PAUSED, new JdbcStateStore(stateUrl()).load(runId).orElseThrow().status());

        Exchange good = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody(new ByteArrayInputStream("{\"approved\":true}".getBytes(StandardCharsets.UTF_8)));
        });
        assertNull(good.getException(), () -> messages(good.getException()));
        getMockEndpoint("mock:after-pause").assertIsSatisfied();
        assertEquals(Map.of("approved", true),
                getMockEndpoint("mock:after-pause").getReceivedExchanges().get(0).getMessage().getBody());
    }

    @Test
    void aRouterAtTopLevelReportsItsUsageOnceInItsHeaders() {
        Exchange out = template.request("direct:triage", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(15, runOf(out).usage().totalTokens());
        assertEquals(11L, out.getMessage().getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(4L, out.getMessage().getHeader(FlujoConstants.OUTPUT_TOKENS));
        assertNotEquals(0, routerAgent.calls());
    }

}
