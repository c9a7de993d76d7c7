package dev.flujo.camel;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.flujo.camel.TestAgents.CountingAgent;
import dev.flujo.camel.TestAgents.PendingAgent;
import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A breach is never swallowed by a branch route: when a Camel handler on an item's, a branch's or a loop body's route
 * catches the {@code UsageLimitExceededException} of a flujo step inside it (or the {@code FlujoCancelledException} of
 * a cancelled branch), the route ends normally, but the branch run knows it was breached (or stopped). The step that
 * owns the route then ends with the breach (or fails), whatever the handler's body was - never with
 * {@code CamelFlujoSuccess=true}. An agent route's handler cannot hide a breach that spent the budget either.
 */
class BranchRouteHandlerBreachTest extends FlujoRouteTestSupport {

    private static final long WAIT = 10;

    /** 100 tokens a call: two calls go past a limit of 150. */
    private final CountingAgent paid = bind("paid", TestAgents.answering("paid answer", Usage.tokens(60, 40)));
    private final CountingAgent broken = bind("broken", TestAgents.failing("model down"));
    private final PendingAgent neverAnswers = bind("neverAnswers", new PendingAgent(1));

    @AfterEach
    void releasePendingCalls() {
        neverAnswers.releaseAll("late", Usage.ZERO);
    }

    @Test
    void aBreachABranchRoutesHandlerCaughtStillEndsTheParallelStepWithTheBreach() throws Exception {
        addRoutes(r -> {
            // at the top of the builder: covers both branch routes
            r.onException(UsageLimitExceededException.class).handled(true).setBody(r.constant("over budget"));
            r.from("direct:a").to("flujo:step:a?agent=#paid");
            r.from("direct:b").to("flujo:step:b?agent=#paid");
        });
        addRoute("direct:caller", "flujo:parallel:both?branches=a=direct:a,b=direct:b&tokenLimit=150");

        Exchange out = run("direct:caller");

        UsageLimitExceededException breach = exceptionOf(out, UsageLimitExceededException.class);
        assertEquals(200, breach.getTotals().totalTokens());
        assertTrue(List.of("a", "b").contains(breach.getStepName()), breach.getStepName());
        assertEquals(false, resultHeader(out, FlujoConstants.SUCCESS, Boolean.class));
        StepResult both = runOf(out).lastResult("both");
        assertFalse(both.success(), both.toString());
        assertNotNull(both.metadata().get(StepResult.META_LIMIT_EXCEEDED), both.metadata().toString());
    }

    @Test
    void aBreachAnItemRoutesHandlerCaughtEndsTheMapWithTheBreachAndStopsTheOtherItems() throws Exception {
        addRoutes(r -> {
            // handled without a body: the item's output would be its raw input
            r.onException(UsageLimitExceededException.class).handled(true);
            r.from("direct:item").to("flujo:step:item?agent=#paid&sinkTo=summary");
        });
        addRoute("direct:caller", "flujo:map:items?body=direct:item&maxConcurrency=1&tokenLimit=150");

        Exchange out = run("direct:caller", List.of("one", "two", "three"));

        UsageLimitExceededException breach = exceptionOf(out, UsageLimitExceededException.class);
        assertEquals("item", breach.getStepName());
        assertEquals(2, paid.requests.size(), "the third item never starts: the run's budget is spent");
        assertEquals(false, resultHeader(out, FlujoConstants.SUCCESS, Boolean.class));
        StepResult items = runOf(out).lastResult("items");
        assertFalse(items.success(), items.toString());
        List<StepResult> children = items.children();
        assertTrue(children.get(0).success());
        assertFalse(children.get(1).success(), "the item whose route swallowed the breach failed: " + children.get(1));
        assertEquals(true, children.get(2).metadata().get(StepResult.META_CANCELLED));
        assertNull(out.getProperty("summary"), "no item's write is merged into a breached run's context");
    }

    @Test
    void aGlobalOnExceptionOfAYamlRouteFileDoesNotTurnABreachedMapOrParallelIntoASuccess() throws Exception {
        for (RoutesBuilder builder : YamlRoutes.load(context, List.of("branch-breach"))) {
            context.addRoutes(builder);
        }

        Exchange map = run("direct:yaml-breach-map", List.of("one", "two", "three"));
        Exchange parallel = run("direct:yaml-breach-parallel");

        // the file's handler covers the caller too: it catches the map's breach there, with its own body
        assertNull(map.getException());
        assertEquals("over budget", map.getMessage().getBody(), "the caller's handler ran, not a list of item outputs");
        assertEquals(false, resultHeader(map, FlujoConstants.SUCCESS, Boolean.class));
        assertFalse(runOf(map).lastResult("yamlItems").success());
        assertEquals(2, paid.requests.stream().filter(q -> q.stepName().equals("yamlItem")).count(),
                "two items called the agent; the third never started");

        // a refused reservation (expectedTokens) caught by the branch route's handler is a breach as well
        assertEquals("over budget", parallel.getMessage().getBody());
        assertEquals(false, resultHeader(parallel, FlujoConstants.SUCCESS, Boolean.class));
        StepResult both = runOf(parallel).lastResult("yamlBoth");
        assertFalse(both.success(), both.toString());
        assertNotNull(both.metadata().get(StepResult.META_LIMIT_EXCEEDED), both.metadata().toString());
        assertEquals(1, paid.requests.stream().filter(q -> q.stepName().startsWith("yamlA")
                || q.stepName().startsWith("yamlB")).count(),
                "only one branch's reservation fitted the budget");
    }

    @Test
    void aBranchWhoseRouteHandlesItsCancellationIsReportedCancelledNotSucceeded() throws Exception {
        addRoutes(r -> {
            r.from("direct:slow")
                    .onException(FlujoCancelledException.class).handled(true).setBody(r.constant("stand-in")).end()
                    .to("flujo:step:slowStep?agent=#neverAnswers");
            r.from("direct:broken").process(e -> {
                // fail only once the slow branch's agent call is in flight, so the slow branch is cancelled
                if (!neverAnswers.arrived().await(WAIT, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the slow branch never called its agent");
                }
            }).to("flujo:step:brokenStep?agent=#broken&maxRetries=0");
        });
        addRoute("direct:caller", "flujo:parallel:race?branches=slow=direct:slow,broken=direct:broken");

        Exchange out = run("direct:caller");

        FlujoStepFailedException failure = exceptionOf(out, FlujoStepFailedException.class);
        assertEquals("race", failure.getStepName());
        assertEquals(false, resultHeader(out, FlujoConstants.SUCCESS, Boolean.class));
        StepResult slow = failure.getResult().children().get(0);
        assertEquals("slow", slow.name());
        assertFalse(slow.success(), "the route's handler does not make a cancelled branch a success: " + slow);
        assertEquals(true, slow.metadata().get(StepResult.META_CANCELLED));
    }

    @Test
    void aBreachALoopBodysHandlerCaughtEndsTheLoopWithTheBreach() throws Exception {
        addRoutes(r -> {
            r.onException(UsageLimitExceededException.class).handled(true).setBody(r.constant("over budget"));
            r.from("direct:body").to("flujo:step:bodyStep?agent=#paid");
        });
        addRoute("direct:caller", "flujo:loop:polish?body=direct:body&until=${body} == 'never'&maxLoops=4&tokenLimit=150");

        Exchange out = run("direct:caller");

        UsageLimitExceededException breach = exceptionOf(out, UsageLimitExceededException.class);
        assertEquals("bodyStep", breach.getStepName());
        assertEquals(2, paid.requests.size(), "no iteration after the one that spent the budget");
        StepResult polish = runOf(out).lastResult("polish");
        assertFalse(polish.success(), polish.toString());
        assertEquals("limitExceeded", polish.metadata().get(StepResult.META_EXIT_REASON), polish.metadata().toString());
    }

    @Test
    void aBreachThatSpentTheBudgetInsideAnAgentRouteEndsTheCallingStepAlthoughTheRoutesHandlerCaughtIt() throws Exception {
        addRoutes(r -> r
                .from("direct:agent-route")
                .onException(UsageLimitExceededException.class).handled(true).setBody(r.constant("canned")).end()
                .to("flujo:step:nested?agent=#paid"));
        addRoute("direct:caller", "flujo:step:outer?agent=direct:agent-route&tokenLimit=50");

        Exchange out = run("direct:caller");

        // the calling step reconciles its call with a run that is over its limit: "canned" is not its answer
        UsageLimitExceededException breach = exceptionOf(out, UsageLimitExceededException.class);
        assertEquals(100, breach.getTotals().totalTokens());
        assertEquals(false, resultHeader(out, FlujoConstants.SUCCESS, Boolean.class));
        StepResult outer = runOf(out).lastResult("outer");
        assertFalse(outer.success(), outer.toString());
        assertEquals(1, paid.requests.size());
    }
}
