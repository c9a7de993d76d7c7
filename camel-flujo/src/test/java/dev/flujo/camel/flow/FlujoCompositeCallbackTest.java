package dev.flujo.camel.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.flow.FlujoBranch;
import dev.flujo.core.flow.MergeStrategy;
import dev.flujo.core.step.FlujoProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exchange callback of a composite step is called exactly once on odd paths: a reduce or merge bean that throws (or
 * returns null), a Simple expression that throws, a Java branch that throws, returns no stage or fails with an
 * {@link Error}. Each route counts how often it continued after the step and how often its error handler ran; a
 * callback called twice would count two. Pins from the review of the composite kinds.
 */
class FlujoCompositeCallbackTest extends CamelTestSupport {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private int count(String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("throwingReduce", (FlujoProcessor) (value, ctx) -> {
            throw new IllegalStateException("reduce broke");
        });
        registry.bind("errorReduce", (FlujoProcessor) (value, ctx) -> {
            throw new AssertionError("reduce broke badly");
        });
        registry.bind("nullMerge", (MergeStrategy) (parent, branches) -> null);
        registry.bind("throwingMerge", (MergeStrategy) (parent, branches) -> {
            throw new IllegalStateException("merge broke");
        });
        registry.bind("throwingBranch", (FlujoBranch) call -> {
            throw new IllegalStateException("branch threw");
        });
        registry.bind("nullBranch", (FlujoBranch) call -> null);
        registry.bind("errorBranch", (FlujoBranch) call -> CompletableFuture.supplyAsync(() -> {
            throw new AssertionError("branch failed badly");
        }));
        registry.bind("lateBranch", (FlujoBranch) call -> CompletableFuture.supplyAsync(() -> "late " + call.input(),
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ok").setProperty("fromOk", constant("ok")).setBody(constant("ok"));
                route("reduce-throws", "flujo:parallel:p1?branches=a=direct:ok&reduce=#throwingReduce");
                route("reduce-error", "flujo:parallel:p2?branches=a=direct:ok,b=#lateBranch&reduce=#errorReduce");
                route("merge-null", "flujo:parallel:p3?branches=a=direct:ok,b=#lateBranch&mergeStrategy=#nullMerge");
                route("merge-throws", "flujo:map:m1?body=direct:ok&mergeStrategy=#throwingMerge");
                route("condition-throws", "flujo:conditional:c1?condition=${body.noSuchMethod()}"
                                          + "&branches=x=direct:ok&default=direct:ok");
                route("until-throws", "flujo:loop:l1?body=direct:ok&until=${body.noSuchMethod()} == 'x'");
                route("branch-throws", "flujo:parallel:p4?branches=a=#throwingBranch,b=#lateBranch");
                route("branch-null", "flujo:map:m2?body=#nullBranch");
                route("branch-error", "flujo:parallel:p5?branches=a=#errorBranch,b=#lateBranch");
                route("message-throws", "flujo:human:h1?message=${body.noSuchMethod()}&resumeUri=direct:ok"
                                        + "&stateStore=memory");
                route("not-a-list", "flujo:map:m3?body=direct:ok");
            }

            private void route(String name, String flujoUri) {
                from("direct:" + name)
                        .onException(Throwable.class).handled(true)
                        .process(e -> counts.computeIfAbsent(name + ":failed", k -> new AtomicInteger()).incrementAndGet())
                        .end()
                        .to(flujoUri)
                        .process(e -> counts.computeIfAbsent(name + ":after", k -> new AtomicInteger()).incrementAndGet());
            }
        };
    }

    private Exchange send(String name, Object body) {
        NotifyBuilder done = new NotifyBuilder(context).from("direct:" + name).whenDone(1).create();
        Exchange out = template.request("direct:" + name, e -> e.getMessage().setBody(body));
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        return out;
    }

    private void assertFailedOnce(String name, Object body, String... fragments) {
        Exchange out = send(name, body);
        assertEquals(1, count(name + ":failed"), name + ": the error handler runs once");
        assertEquals(0, count(name + ":after"), name + ": the route does not go on");
        Throwable caught = out.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        assertContains(messages(caught), fragments);
    }

    @Test
    void aReduceThatThrowsFailsTheStepOnce() {
        assertFailedOnce("reduce-throws", "q", "reduce broke", "p1");
    }

    @Test
    void aReduceThatThrowsAnErrorFailsTheStepOnce() {
        assertFailedOnce("reduce-error", "q", "reduce broke badly", "p2");
    }

    @Test
    void aMergeReturningNullMergesNothingAndTheRouteGoesOnOnce() {
        Exchange out = send("merge-null", "q");
        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(1, count("merge-null:after"));
        assertEquals(0, count("merge-null:failed"));
        assertNull(out.getProperty("fromOk"), "the merge decided: no writes");
        assertEquals(Map.of("a", "ok", "b", "late q"), out.getMessage().getBody());
    }

    @Test
    void aMergeThatThrowsFailsTheStepOnce() {
        assertFailedOnce("merge-throws", List.of("x", "y"), "merge broke", "m1");
    }

    @Test
    void aConditionThatThrowsFailsTheStepOnce() {
        assertFailedOnce("condition-throws", "q", "c1", "condition failed");
    }

    @Test
    void anExitConditionThatThrowsFailsTheLoopOnce() {
        assertFailedOnce("until-throws", "q", "l1", "exit condition failed");
    }

    @Test
    void aJavaBranchThatThrowsFailsTheStepOnce() {
        assertFailedOnce("branch-throws", "q", "branch threw", "p4");
    }

    @Test
    void aJavaBranchReturningNoStageFailsTheStepOnce() {
        assertFailedOnce("branch-null", List.of("x", "y", "z"), "returned no CompletionStage", "m2");
    }

    @Test
    void aJavaBranchFailingWithAnErrorFailsTheStepOnce() {
        assertFailedOnce("branch-error", "q", "branch failed badly", "p5");
    }

    @Test
    void aHumanMessageThatThrowsFailsThePauseOnce() {
        assertFailedOnce("message-throws", "q", "h1", "could not pause");
    }

    @Test
    void aMapOverSomethingThatIsNotAListFailsOnce() {
        assertFailedOnce("not-a-list", Map.of("k", "v"), "m3", "needs a list of items");
    }
}
