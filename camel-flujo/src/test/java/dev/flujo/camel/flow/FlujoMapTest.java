package dev.flujo.camel.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** flujo:map: the body route once per item; outputs in item order; failures per item. */
class FlujoMapTest extends CamelTestSupport {

    /** The slow item waits until both fast items are done, so the items finish in reverse order. */
    private final CountDownLatch fastItemsDone = new CountDownLatch(2);
    private final List<String> finished = new CopyOnWriteArrayList<>();

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
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:item").process(e -> {
                    String item = e.getMessage().getBody(String.class);
                    if (item.startsWith("slow")) {
                        if (!fastItemsDone.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the fast items never finished");
                        }
                    }
                    finished.add(item);
                    if (item.startsWith("fast")) {
                        fastItemsDone.countDown();
                    }
                }).transform(simple("${body}!"));
                from("direct:map-order").to("flujo:map:order?body=direct:item");

                // concurrent map items on an endpoint whose producers are not thread-safe
                from("direct:map-single-use").to("flujo:map:perItem?body=singleuse:work&maxConcurrency=2");

                from("direct:picky").to("mock:picky").choice()
                        .when(simple("${body} == 'bad'")).throwException(IllegalArgumentException.class, "cannot take ${body}")
                        .otherwise().transform(simple("ok:${body}"));
                from("direct:map-propagate").to("flujo:map:strictItems?body=direct:picky&maxConcurrency=1");
                from("direct:map-ignore").to("flujo:map:lenientItems?body=direct:picky&onBranchFailure=IGNORE");

                from("direct:map-property").to("flujo:map:fromProperty?body=direct:picky&items=todo");
            }
        };
    }

    @Test
    void outputsKeepItemOrderWhenLaterItemsFinishFirst() {
        Exchange out = template.request("direct:map-order", e -> e.getMessage().setBody(List.of("slow", "fast1", "fast2")));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(List.of("slow!", "fast1!", "fast2!"), out.getMessage().getBody());
        assertEquals("slow", finished.get(2), "the first item finished last: " + finished);
        StepResult result = lastResult(out, "order");
        assertEquals("map", result.metadata().get(StepResult.META_KIND));
        assertEquals(List.of("[0]", "[1]", "[2]"), names(result.children()));
    }

    @Test
    void aFailedItemFailsTheStepNamingTheItem() throws Exception {
        MockEndpoint picky = getMockEndpoint("mock:picky");
        picky.expectedBodiesReceived("good", "bad"); // one at a time: the item after the failure never starts
        picky.message(0).header(FlujoConstants.BRANCH).isEqualTo("[0]");
        picky.message(1).header(FlujoConstants.BRANCH).isEqualTo("[1]");

        Exchange out = template.request("direct:map-propagate", e -> e.getMessage().setBody(List.of("good", "bad", "never")));

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("strictItems", failure.getStepName());
        assertContains(failure.getMessage(), "branch [1] failed", "cannot take bad");
        assertEquals(List.of("[1]", "[2]"), failure.getResult().metadata().get(StepResult.META_FAILED_BRANCHES));
        assertEquals(true, failure.getResult().children().get(2).metadata().get(StepResult.META_CANCELLED));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void ignoreReportsTheFailedItemAndLeavesANullInItsPlace() {
        Exchange out = template.request("direct:map-ignore", e -> e.getMessage().setBody(Arrays.asList("good", "bad", "fine")));

        assertNull(out.getException(), () -> messages(out.getException()));
        List<Object> expected = new ArrayList<>(Arrays.asList("ok:good", null, "ok:fine"));
        assertEquals(expected, out.getMessage().getBody());
        StepResult result = lastResult(out, "lenientItems");
        assertEquals(List.of("[1]"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
        assertContains(String.join("\n", result.children().get(1).feedback()), "cannot take bad");
    }

    @Test
    void itemsFromAProperty() throws Exception {
        MockEndpoint picky = getMockEndpoint("mock:picky");
        picky.expectedMessageCount(2);
        picky.expectedBodiesReceivedInAnyOrder("p", "q");

        Exchange out = template.request("direct:map-property", e -> {
            e.setProperty("todo", List.of("p", "q"));
            e.getMessage().setBody("the body is not the list");
        });

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(List.of("ok:p", "ok:q"), out.getMessage().getBody());
        MockEndpoint.assertIsSatisfied(context);
    }

    // from the review of the composite kinds
    @Test
    void concurrentItemsNeverShareAProducerThatIsNotThreadSafe() {
        Exchange out = template.request("direct:map-single-use", e -> e.getMessage().setBody(List.of("x", "y")));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(List.of("done x", "done y"), out.getMessage().getBody());
        singleUse.producers.forEach(p -> assertEquals(1, p.mostAtOnce.get(),
                "a producer that is not a singleton processed exchanges concurrently"));
    }
}
