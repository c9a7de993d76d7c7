package dev.flujo.camel.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.flow.FlujoBranch;
import dev.flujo.core.flow.MergeConflictException;
import dev.flujo.core.flow.MergeStrategy;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** flujo:parallel through real routes: branches, isolation, merge strategies, failure policy, concurrency, reduce. */
class FlujoParallelTest extends CamelTestSupport {

    private static final long WAIT = 10;

    /** Both isolation branches wait here after writing, so each reads while the other has written too. */
    private final CyclicBarrier overlap = new CyclicBarrier(2);
    private final AtomicReference<Exchange> caller = new AtomicReference<>();
    private final Map<String, Object> seenInBranch = new ConcurrentHashMap<>();

    private final Semaphore arrived = new Semaphore(0);
    private final Semaphore gate = new Semaphore(0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final TestAgents.CountingAgent worker = TestAgents.answering(r -> "did " + r.input(), Usage.tokens(4, 1));

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("overlap", overlap);
        registry.bind("worker", worker);
        // a Java branch that copies the properties of some other exchange it worked with into its context, as a
        // branch calling a ProducerTemplate might: that exchange's CamelFlujoRun comes with them
        registry.bind("copier", (FlujoBranch) call -> {
            call.context().put("note", "copied");
            call.context().put(FlujoConstants.RUN, FlujoRun.create());
            return CompletableFuture.completedFuture("copied");
        });
        registry.bind("joinKs", (MergeStrategy) (parent, branches) -> Map.of("k", branches.stream()
                .map(b -> b.branch() + ":" + b.writes().get("k")).collect(Collectors.joining(","))));
        registry.bind("joinOutputs", (FlujoProcessor) (value, context) -> ((Map<?, ?>) value).values().stream()
                .map(String::valueOf).collect(Collectors.joining(" | ")));
        registry.bind("countOutputs", (Processor) e -> e.getMessage().setBody(
                "branches=" + e.getMessage().getBody(Map.class).size()));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").setProperty("fromA", constant("A")).transform(simple("a:${body}"));
                from("direct:b").setProperty("fromB", constant("B")).transform(simple("b:${body}"));
                from("direct:broken").throwException(new IllegalStateException("b broke"));

                from("direct:named").to("flujo:parallel:named?branches=first=direct:a,second=direct:b");
                from("direct:unnamed").to("flujo:parallel:unnamed?branches=direct:a,direct:b");
                from("direct:mixed").to("flujo:parallel:mixed?branches=first=direct:a,direct:b");

                // isolation: both write "shared", meet at the barrier, then read it (and the caller's) back
                from("direct:iso").setProperty("shared", constant("caller")).process(caller::set)
                        .to("flujo:parallel:iso?branches=a=direct:iso-a,b=direct:iso-b&mergeStrategy=OVERWRITE");
                from("direct:iso-a").setProperty("shared", constant("A"))
                        .process(e -> overlap.await(WAIT, TimeUnit.SECONDS))
                        .process(e -> {
                            seenInBranch.put("a", e.getProperty("shared"));
                            seenInBranch.put("caller-during-a", caller.get().getProperty("shared"));
                        });
                from("direct:iso-b").setProperty("shared", constant("B"))
                        .process(e -> overlap.await(WAIT, TimeUnit.SECONDS))
                        .process(e -> {
                            seenInBranch.put("b", e.getProperty("shared"));
                            seenInBranch.put("caller-during-b", caller.get().getProperty("shared"));
                        });

                // merge strategies: w-a and w-b write the same scalar k with different values
                from("direct:w-a").setProperty("k", constant("A")).setProperty("onlyA", constant("a"));
                from("direct:w-b").setProperty("k", constant("B")).setProperty("onlyB", constant("b"));
                for (String strategy : List.of("NO_MERGE", "CONTEXT_UPDATE", "OVERWRITE", "KEEP_FIRST",
                        "ERROR_ON_CONFLICT", "#joinKs")) {
                    String id = strategy.replace("#", "");
                    from("direct:merge-" + id).to("flujo:parallel:merge" + id
                                                  + "?branches=a=direct:w-a,b=direct:w-b&mergeStrategy=" + strategy);
                }
                // CONTEXT_UPDATE: maps merge, lists append, equal scalars are one value
                from("direct:deep").to("flujo:parallel:deep?branches=a=direct:deep-a,b=direct:deep-b");
                from("direct:deep-a").process(e -> {
                    e.setProperty("profile", Map.of("name", "ann", "address", Map.of("city", "Lima")));
                    e.setProperty("tags", appended(e.getProperty("tags", List.class), "a"));
                    e.setProperty("same", "x");
                });
                from("direct:deep-b").process(e -> {
                    e.setProperty("profile", Map.of("age", 3, "address", Map.of("zip", "15001")));
                    e.setProperty("tags", appended(e.getProperty("tags", List.class), "b"));
                    e.setProperty("same", "x");
                });

                from("direct:propagate").to("flujo:parallel:propagate?branches=a=direct:a,b=direct:broken")
                        .to("mock:after-propagate");
                from("direct:ignore").to("flujo:parallel:ignore?branches=a=direct:a,b=direct:broken"
                                         + "&onBranchFailure=IGNORE")
                        .to("mock:after-ignore");
                from("direct:all-broken").to("flujo:parallel:allBroken?branches=x=direct:broken,y=direct:broken"
                                             + "&onBranchFailure=IGNORE");

                from("direct:capped").to("flujo:parallel:capped?branches=b1=direct:slot,b2=direct:slot,b3=direct:slot,"
                                         + "b4=direct:slot&maxConcurrency=2");
                from("direct:slot").process(e -> {
                    int now = inFlight.incrementAndGet();
                    maxInFlight.accumulateAndGet(now, Math::max);
                    arrived.release();
                    if (!gate.tryAcquire(WAIT, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate never opened");
                    }
                    inFlight.decrementAndGet();
                }).setBody(header(FlujoConstants.BRANCH));

                from("direct:reduce").to("flujo:parallel:reduced?branches=first=direct:a,second=direct:b&reduce=#joinOutputs");
                from("direct:reduce-camel").to("flujo:parallel:reducedCamel?branches=first=direct:a,second=direct:b"
                                               + "&reduce=#countOutputs");

                from("direct:headers").setHeader("tenant", constant("acme"))
                        .setHeader(FlujoConstants.STEP_NAME, constant("an earlier step"))
                        .to("flujo:parallel:headers?branches=first=direct:hdr,direct:hdr-unnamed");
                from("direct:hdr").to("mock:hdr-first").setBody(simple("${header.tenant}/${header.CamelFlujoBranch}"));
                from("direct:hdr-unnamed").to("mock:hdr-unnamed").setBody(header(FlujoConstants.BRANCH));

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
            }
        };
    }

    private static List<Object> appended(List<?> list, Object item) {
        List<Object> copy = list == null ? new ArrayList<>() : new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    private Exchange run(String uri, Object body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
    }

    private Exchange runWith(String uri, Map<String, Object> properties) {
        return template.request(uri, e -> {
            e.getMessage().setBody("x");
            properties.forEach(e::setProperty);
        });
    }

    // --- branches -------------------------------------------------------------------------------------------------

    @Test
    void namedBranchesGiveAMapOfOutputsInDeclaredOrderAndMergeTheirWrites() {
        Exchange out = run("direct:named", "x");

        assertNull(out.getException(), () -> messages(out.getException()));
        Map<?, ?> body = out.getMessage().getBody(Map.class);
        assertEquals(List.of("first", "second"), new ArrayList<>(body.keySet()));
        assertEquals(Map.of("first", "a:x", "second", "b:x"), body);
        assertEquals("A", out.getProperty("fromA"));
        assertEquals("B", out.getProperty("fromB"));
        assertEquals("named", out.getMessage().getHeader(FlujoConstants.STEP_NAME));
        assertEquals(true, out.getMessage().getHeader(FlujoConstants.SUCCESS));
        StepResult result = lastResult(out, "named");
        assertEquals("parallel", result.metadata().get(StepResult.META_KIND));
        assertEquals(List.of("first", "second"), names(result.children()));
        assertTrue(result.children().stream().allMatch(StepResult::success));
    }

    @Test
    void unnamedBranchesAreNamedByTheirUri() {
        Exchange out = run("direct:unnamed", "x");

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(Map.of("direct:a", "a:x", "direct:b", "b:x"), out.getMessage().getBody());
        assertEquals(List.of("direct:a", "direct:b"), names(lastResult(out, "unnamed").children()));
    }

    @Test
    void namedAndUnnamedBranchesMix() {
        assertEquals(Map.of("first", "a:y", "direct:b", "b:y"), template.requestBody("direct:mixed", "y"));
    }

    // --- isolation ------------------------------------------------------------------------------------------------

    @Test
    void concurrentBranchesWritingTheSamePropertyDoNotSeeEachOtherNorTouchTheCaller() {
        Exchange out = run("direct:iso", "x");

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals("A", seenInBranch.get("a"), "branch a sees its own write, not b's");
        assertEquals("B", seenInBranch.get("b"), "branch b sees its own write, not a's");
        assertEquals("caller", seenInBranch.get("caller-during-a"), "the caller's property is untouched meanwhile");
        assertEquals("caller", seenInBranch.get("caller-during-b"), "the caller's property is untouched meanwhile");
        assertEquals("B", out.getProperty("shared"), "after the step: OVERWRITE, the last declared branch wins");
    }

    // --- merge strategies -----------------------------------------------------------------------------------------

    @Test
    void noMergeDropsEveryBranchWrite() {
        Exchange out = runWith("direct:merge-NO_MERGE", Map.of("k", "caller"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals("caller", out.getProperty("k"));
        assertNull(out.getProperty("onlyA"));
        assertNull(out.getProperty("onlyB"));
    }

    @Test
    void contextUpdateConflictFailsNamingTheKeyAndBothBranches() {

        Exchange out = runWith("direct:merge-CONTEXT_UPDATE", Map.of("k", "caller"));

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("mergeCONTEXT_UPDATE", failure.getStepName());
        assertContains(failure.getMessage(), "'k'", "a, b", "CONTEXT_UPDATE");
        MergeConflictException conflict = assertInstanceOf(MergeConflictException.class, failure.getCause());
        assertEquals("k", conflict.getKey());
        assertEquals(List.of("a", "b"), conflict.getBranches());
        assertEquals("caller", out.getProperty("k"), "a failed merge writes nothing");
        assertNull(out.getProperty("onlyA"), "a failed merge writes nothing, not even the keys without conflict");
        assertEquals(false, out.getMessage().getHeader(FlujoConstants.SUCCESS));
    }

    @Test
    void contextUpdateMergesMapsRecursivelyAppendsListsAndKeepsEqualScalars() {
        Exchange out = runWith("direct:deep", Map.of("tags", List.of("base")));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(Map.of("name", "ann", "age", 3, "address", Map.of("city", "Lima", "zip", "15001")),
                out.getProperty("profile"));
        assertEquals(List.of("base", "a", "b"), out.getProperty("tags"), "each branch's additions, in declared order");
        assertEquals("x", out.getProperty("same"));
    }

    @Test
    void overwriteTakesTheLastDeclaredBranch() {
        Exchange out = runWith("direct:merge-OVERWRITE", Map.of("k", "caller"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals("B", out.getProperty("k"));
        assertEquals("a", out.getProperty("onlyA"));
        assertEquals("b", out.getProperty("onlyB"));
    }

    @Test
    void keepFirstTakesTheFirstDeclaredBranch() {
        Exchange out = runWith("direct:merge-KEEP_FIRST", Map.of("k", "caller"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals("A", out.getProperty("k"));
        assertEquals("b", out.getProperty("onlyB"));
    }

    @Test
    void errorOnConflictFailsNamingTheKeyAndBranches() {
        Exchange out = runWith("direct:merge-ERROR_ON_CONFLICT", Map.of());

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertContains(failure.getMessage(), "ERROR_ON_CONFLICT", "'k'", "a, b");
        assertNull(out.getProperty("k"));
    }

    @Test
    void customMergeStrategyBean() {
        Exchange out = runWith("direct:merge-joinKs", Map.of("k", "caller"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals("a:A,b:B", out.getProperty("k"));
        assertNull(out.getProperty("onlyA"), "the bean decides every write: it wrote k only");
    }

    // --- branch failures ------------------------------------------------------------------------------------------

    @Test
    void propagateFailsTheStepNamingTheFailedBranch() throws Exception {
        getMockEndpoint("mock:after-propagate").expectedMessageCount(0);

        Exchange out = run("direct:propagate", "x");

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("propagate", failure.getStepName());
        assertContains(failure.getMessage(), "branch b failed", "b broke");
        assertEquals(false, out.getMessage().getHeader(FlujoConstants.SUCCESS));
        assertEquals("propagate", out.getMessage().getHeader(FlujoConstants.STEP_NAME));
        @SuppressWarnings("unchecked")
        List<String> failed = (List<String>) failure.getResult().metadata().get(StepResult.META_FAILED_BRANCHES);
        assertTrue(failed.contains("b"), String.valueOf(failed));
        assertEquals(failure.getResult(), lastResult(out, "propagate"));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void ignoreSucceedsWithTheOtherBranchesAndListsTheFailedOnes() throws Exception {
        getMockEndpoint("mock:after-ignore").expectedMessageCount(1);

        Exchange out = run("direct:ignore", "x");

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals(Map.of("a", "a:x"), out.getMessage().getBody());
        assertEquals(true, out.getMessage().getHeader(FlujoConstants.SUCCESS));
        StepResult result = lastResult(out, "ignore");
        assertEquals(List.of("b"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
        StepResult b = result.children().get(1);
        assertEquals("b", b.name());
        assertFalse(b.success());
        assertContains(String.join("\n", b.feedback()), "b broke");
        assertEquals("A", out.getProperty("fromA"), "the successful branch's writes are merged");
    }

    @Test
    void ignoreStillFailsWhenEveryBranchFailed() {
        Exchange out = run("direct:all-broken", "x");

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals(List.of("x", "y"), failure.getResult().metadata().get(StepResult.META_FAILED_BRANCHES));
    }

    // --- concurrency, reduce, headers -----------------------------------------------------------------------------

    @Test
    void maxConcurrencyCapsTheBranchesInFlight() throws Exception {
        Future<Object> reply = template.asyncRequestBody("direct:capped", "x");

        assertTrue(arrived.tryAcquire(2, WAIT, TimeUnit.SECONDS), "the first two branches start");
        assertEquals(2, inFlight.get());
        for (int i = 0; i < 2; i++) {
            gate.release(); // one branch ends: its slot goes to the next
            assertTrue(arrived.tryAcquire(1, WAIT, TimeUnit.SECONDS), "a next branch starts once a slot is free");
        }
        gate.release(2);

        Object body = reply.get(WAIT, TimeUnit.SECONDS);
        assertEquals(Map.of("b1", "b1", "b2", "b2", "b3", "b3", "b4", "b4"), body);
        assertEquals(2, maxInFlight.get(), "never more than maxConcurrency branches at once");
    }

    @Test
    void reduceFlujoProcessorTurnsTheOutputsIntoTheStepOutput() {
        assertEquals("a:x | b:x", template.requestBody("direct:reduce", "x"));
    }

    @Test
    void reduceCamelProcessorSeesTheOutputsAsBody() {
        assertEquals("branches=2", template.requestBody("direct:reduce-camel", "x"));
    }

    @Test
    void branchesSeeTheParentHeadersAndTheirNameButNoEarlierResultHeaders() throws Exception {
        MockEndpoint first = getMockEndpoint("mock:hdr-first");
        first.expectedMessageCount(1);
        first.expectedHeaderReceived("tenant", "acme");
        first.expectedHeaderReceived(FlujoConstants.BRANCH, "first");
        first.message(0).header(FlujoConstants.STEP_NAME).isNull();
        MockEndpoint unnamed = getMockEndpoint("mock:hdr-unnamed");
        unnamed.expectedHeaderReceived(FlujoConstants.BRANCH, "direct:hdr-unnamed");

        Exchange out = run("direct:headers", "x");

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("first", "acme/first");
        expected.put("direct:hdr-unnamed", "direct:hdr-unnamed");
        assertEquals(expected, out.getMessage().getBody());
        assertEquals("acme", out.getMessage().getHeader("tenant"), "the caller's headers are kept");
        assertNull(out.getMessage().getHeader(FlujoConstants.BRANCH), "branch headers do not leak to the caller");
    }

    // --- writes are changes; reserved properties (from the review of the composite kinds) -------------------------

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
}
