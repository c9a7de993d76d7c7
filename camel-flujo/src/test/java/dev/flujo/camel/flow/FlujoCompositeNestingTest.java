package dev.flujo.camel.flow;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Composite kinds inside each other's branch routes: results nest, usage rolls up and is limited run-wide, cancellation
 * reaches nested branches, and a run paused after a composite step keeps its nested history.
 */
class FlujoCompositeNestingTest extends CamelTestSupport {

    private static final long WAIT = 10;

    @TempDir
    Path dir;

    private final TestAgents.CountingAgent researcher = TestAgents.answering(r -> "facts on " + r.input(),
            Usage.tokens(10, 5));
    private final TestAgents.CountingAgent critic = TestAgents.answering(r -> "doubts on " + r.input(),
            Usage.tokens(20, 10));
    private final TestAgents.CountingAgent polisher = TestAgents.answering(r -> r.input() + "*", Usage.tokens(30, 30));
    private final TestAgents.PendingAgent deepPending = new TestAgents.PendingAgent(1);
    private final TestAgents.PendingAgent lenientPending = new TestAgents.PendingAgent(1);

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("researcher", researcher);
        registry.bind("critic", critic);
        registry.bind("polisher", polisher);
        registry.bind("deepPending", deepPending);
        registry.bind("lenientPending", lenientPending);
        registry.bind("joinRound", (FlujoProcessor) (value, ctx) -> ((Map<?, ?>) value).get("research") + " + "
                                                                    + ((Map<?, ?>) value).get("critic"));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String state = "stateUrl=jdbc:sqlite:" + dir.resolve("flujo-state.db");
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:research").to("flujo:step:research?agent=#researcher");
                from("direct:critique").to("flujo:step:critique?agent=#critic");
                from("direct:review").to("flujo:parallel:review?branches=research=direct:research,critic=direct:critique"
                                         + "&sinkTo=reviews");

                // a loop whose body is a parallel step whose branches are agent steps
                from("direct:rounds-body").to("flujo:parallel:round?branches=research=direct:research,"
                                              + "critic=direct:critique&reduce=#joinRound");
                from("direct:rounds").to("flujo:loop:rounds?body=direct:rounds-body&until=${body.length} > 60"
                                         + "&maxLoops=3");

                // a loop over an agent step, with a budget that the third iteration breaks
                from("direct:polish").to("flujo:step:polish?agent=#polisher");
                from("direct:polish-loop").to("flujo:loop:polishLoop?body=direct:polish&until=${body} == 'never'"
                                              + "&maxLoops=5&tokenLimit=150")
                        .to("mock:polished");

                // cancellation two levels down
                from("direct:outer").to("flujo:parallel:outer?branches=inner=direct:inner,broken=direct:broken-late");
                from("direct:inner").to("flujo:parallel:inner?branches=deep=direct:deep,quick=direct:quick");
                from("direct:deep").to("flujo:step:deepStep?agent=#deepPending&maxRetries=2");
                from("direct:quick").setBody(constant("quick"));
                from("direct:broken-late").process(e -> {
                    if (!deepPending.arrived().await(WAIT, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the deep step never called its agent");
                    }
                    throw new IllegalStateException("outer branch broke");
                });

                // the same, but the nested parallel step ignores failed branches
                from("direct:outer-lenient").to("flujo:parallel:outerLenient?branches=inner=direct:inner-lenient,"
                                                + "broken=direct:broken-lenient");
                from("direct:inner-lenient").to("flujo:parallel:innerLenient?branches=deep=direct:deep-lenient,"
                                                + "quick=direct:quick&onBranchFailure=IGNORE")
                        .to("mock:after-inner-lenient");
                from("direct:deep-lenient").to("flujo:step:deepLenient?agent=#lenientPending");
                from("direct:broken-lenient").process(e -> {
                    if (!lenientPending.arrived().await(WAIT, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the deep step never called its agent");
                    }
                    throw new IllegalStateException("outer branch broke");
                });

                // a person approves the result of a parallel step; the resumed run keeps the nested history
                from("direct:review-then-approve").to("flujo:parallel:reviewFirst?branches=research=direct:research,"
                                                      + "critic=direct:critique")
                        .to("flujo:human:signOff?message=${body[research]} / ${body[critic]}"
                            + "&resumeUri=direct:signed&" + state);
                from("direct:signed").to("mock:signed");
                from("direct:resume").to("flujo:resume?" + state);

                // an empty list maps to an empty list
                from("direct:map-empty").to("flujo:map:none?body=direct:quick");
            }
        };
    }

    @AfterEach
    void release() {
        deepPending.releaseAll("late", Usage.ZERO);
        lenientPending.releaseAll("late", Usage.ZERO);
    }

    @Test
    void usageOfBranchStepsRollsUpToTheParallelStepAndTheRun() {
        Exchange out = template.request("direct:review", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        assertEquals(Map.of("research", "facts on q", "critic", "doubts on q"), out.getProperty("reviews"),
                "sinkTo stores the output");
        assertEquals(30L, out.getMessage().getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(15L, out.getMessage().getHeader(FlujoConstants.OUTPUT_TOKENS));
        StepResult review = lastResult(out, "review");
        assertEquals(45, review.usage().totalTokens());
        assertEquals(List.of("research"), names(review.children().get(0).children()));
        assertEquals(45, runOf(out).usage().totalTokens());
        assertEquals(List.of("review"), names(runOf(out).history()),
                "branch steps are the branches' children, not top-level history");
    }

    @Test
    void aLoopOfParallelStepsNestsIterationsBranchesAndSteps() {
        Exchange out = template.request("direct:rounds", e -> e.getMessage().setBody("q"));

        assertNull(out.getException(), () -> messages(out.getException()));
        StepResult rounds = lastResult(out, "rounds");
        assertEquals(List.of("iteration-1", "iteration-2"), names(rounds.children()));
        StepResult round = rounds.children().get(1).children().get(0);
        assertEquals("round", round.name());
        assertEquals(List.of("research", "critic"), names(round.children()));
        assertEquals(List.of("critique"), names(round.children().get(1).children()));
        assertEquals(90, runOf(out).usage().totalTokens());
        assertEquals("facts on facts on q + doubts on q + doubts on facts on q + doubts on q", out.getMessage().getBody());
    }

    @Test
    void aLoopStopsWhenTheRunBudgetIsSpent() throws Exception {
        getMockEndpoint("mock:polished").expectedMessageCount(0);

        Exchange out = template.request("direct:polish-loop", e -> e.getMessage().setBody("t"));

        UsageLimitExceededException breach = exceptionOf(out, UsageLimitExceededException.class);
        assertEquals("polish", breach.getStepName());
        assertEquals(180, breach.getTotals().totalTokens());
        assertEquals(3, polisher.calls(), "the third call went over 150 tokens; no fourth");
        assertEquals("limitExceeded", out.getMessage().getHeader(FlujoConstants.EXIT_REASON));
        StepResult loop = breach.getPartialHistory().get(breach.getPartialHistory().size() - 1);
        assertEquals("polishLoop", loop.name());
        assertEquals(3, loop.children().size());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void cancellationReachesABranchOfANestedParallelStep() throws Exception {
        NotifyBuilder failed = new NotifyBuilder(context).from("direct:outer").whenFailed(1).create();

        Future<Exchange> reply = template.asyncSend("direct:outer", e -> e.getMessage().setBody("q"));

        assertTrue(failed.matches(WAIT, TimeUnit.SECONDS), "the outer step ends though the deep agent never answers");
        Exchange out = reply.get(WAIT, TimeUnit.SECONDS);
        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("outer", failure.getStepName());
        assertEquals(1, deepPending.calls(), "the deep step is abandoned, not retried");
        StepResult inner = failure.getResult().children().get(0);
        assertEquals(true, inner.metadata().get(StepResult.META_CANCELLED));
        StepResult innerStep = inner.children().get(0);
        assertEquals("inner", innerStep.name());
        assertEquals(List.of("deep", "quick"), names(innerStep.children()));
        assertEquals(List.of("deepStep"), names(innerStep.children().get(0).children()));
    }

    @Test
    void aBranchCancelledFromAnOuterStepIsReportedCancelled() throws Exception {
        Exchange out = template.asyncSend("direct:outer", e -> e.getMessage().setBody("q")).get(WAIT, TimeUnit.SECONDS);

        StepResult innerStep = exceptionOf(out, FlujoStepFailedException.class).getResult().children().get(0)
                .children().get(0);
        StepResult deep = innerStep.children().get(0);
        assertEquals("deep", deep.name());
        assertEquals(true, deep.metadata().get(StepResult.META_CANCELLED), deep.toString());
    }

    @Test
    void aNestedLenientStepDoesNotSwallowTheCancellationOfItsRun() throws Exception {
        getMockEndpoint("mock:after-inner-lenient").expectedMessageCount(0);

        Exchange out = template.asyncSend("direct:outer-lenient", e -> e.getMessage().setBody("q"))
                .get(WAIT, TimeUnit.SECONDS);

        assertEquals("outerLenient", exceptionOf(out, FlujoStepFailedException.class).getStepName());
        assertEquals(1, lenientPending.calls());
        StepResult inner = exceptionOf(out, FlujoStepFailedException.class).getResult().children().get(0);
        StepResult innerStep = inner.children().get(0);
        assertEquals("innerLenient", innerStep.name());
        assertFalse(innerStep.success(), "a step whose run was cancelled did not succeed: " + innerStep);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aRunPausedAfterAParallelStepKeepsItsNestedHistoryAcrossTheStore() throws Exception {
        getMockEndpoint("mock:signed").expectedBodiesReceived("ok");
        Exchange paused = template.request("direct:review-then-approve", e -> e.getMessage().setBody("q"));
        assertNull(paused.getException(), () -> messages(paused.getException()));
        assertEquals("facts on q / doubts on q", paused.getMessage().getBody());
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange resumed = template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("ok");
        });

        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        MockEndpoint.assertIsSatisfied(context);
        FlujoRun run = runOf(resumed);
        assertEquals(List.of("reviewFirst", "signOff"), names(run.history()));
        StepResult review = run.history().get(0);
        assertEquals(Map.of("research", "facts on q", "critic", "doubts on q"), review.output());
        assertEquals(List.of("research", "critic"), names(review.children()));
        assertEquals(List.of("critique"), names(review.children().get(1).children()));
        assertEquals(30, review.children().get(1).usage().totalTokens());
        assertEquals("parallel", review.metadata().get(StepResult.META_KIND));
        assertEquals(45, run.usage().totalTokens());
    }

    @Test
    void anEmptyListMapsToAnEmptyList() {
        assertEquals(List.of(), template.requestBody("direct:map-empty", List.of()));
    }
}
