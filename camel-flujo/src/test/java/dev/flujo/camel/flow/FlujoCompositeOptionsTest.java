package dev.flujo.camel.flow;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.flujo.camel.FlujoComponent;
import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.flow.BranchFailurePolicy;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.camel.flow.FlowAssertions.assertRouteStartFails;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Wrong options of composite kinds fail the route start, naming the step and the option; option names in Camel's
 * spellings and component defaults of kind-specific options apply where they fit.
 */
class FlujoCompositeOptionsTest extends CamelTestSupport {

    @TempDir
    Path dir;

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("notAStrategy", "just a string");
        registry.bind("routerAgent", TestAgents.answering("a", Usage.tokens(7, 3)));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").setBody(constant("a"));
                from("direct:b").setBody(constant("b"));
                from("direct:plus").transform(simple("${body}+"));
                from("direct:fail").throwException(new IllegalStateException("item failed"));
            }
        };
    }

    private String state() {
        return "stateUrl=jdbc:sqlite:" + dir.resolve("flujo-state.db");
    }

    // --- options a kind ignores -----------------------------------------------------------------------------------

    @Test
    void branchesOnALoop() {
        assertRouteStartFails(context, "flujo:loop:l?body=direct:a&until=true&branches=x=direct:b",
                "option branches does not apply to flujo:loop", "parallel", "conditional", "router");
    }

    @Test
    void agentOnAParallel() {
        assertRouteStartFails(context, "flujo:parallel:p?branches=direct:a,direct:b&agent=direct:b",
                "option agent does not apply to flujo:parallel", "step", "router");
    }

    @Test
    void maxRetriesOnAParallel() {
        assertRouteStartFails(context, "flujo:parallel:p?branches=direct:a&maxRetries=2",
                "option maxRetries does not apply to flujo:parallel");
    }

    @Test
    void untilOnAMapAndItemsOnALoop() {
        assertRouteStartFails(context, "flujo:map:m?body=direct:a&until=true", "option until does not apply to flujo:map");
        assertRouteStartFails(context, "flujo:loop:l?body=direct:a&until=true&items=xs",
                "option items does not apply to flujo:loop");
    }

    @Test
    void tokenLimitOnAHumanStepAndMessageOnAResume() {
        assertRouteStartFails(context, "flujo:human:h?resumeUri=direct:a&tokenLimit=10&" + state(),
                "option tokenLimit does not apply to flujo:human");
        assertRouteStartFails(context, "flujo:resume?message=hi&" + state(), "option message does not apply to flujo:resume");
    }

    @Test
    void severalIgnoredOptionsAreAllNamed() {
        assertRouteStartFails(context, "flujo:conditional:c?condition=${body}&branches=x=direct:a&maxLoops=3&reduce=#r",
                "option maxLoops does not apply to flujo:conditional", "option reduce does not apply to flujo:conditional");
    }

    // --- missing required options ---------------------------------------------------------------------------------

    @Test
    void parallelWithoutBranches() {
        assertRouteStartFails(context, "flujo:parallel:noBranches", "'noBranches'", "branches", "no branches given");
    }

    @Test
    void routerWithoutAgentOrBranches() {
        assertRouteStartFails(context, "flujo:router:noAgent?branches=a=direct:a", "'noAgent", "has no agent");
        assertRouteStartFails(context, "flujo:router:noChoices?agent=direct:a", "'noChoices'", "branches",
                "no branches given");
    }

    @Test
    void loopWithoutBodyOrUntil() {
        assertRouteStartFails(context, "flujo:loop:noBody?until=true", "'noBody'", "option body", "no endpoint given");
        assertRouteStartFails(context, "flujo:loop:noUntil?body=direct:a", "'noUntil'", "needs option until");
    }

    @Test
    void loopWithMaxLoopsBelowOne() {
        assertRouteStartFails(context, "flujo:loop:zero?body=direct:a&until=true&maxLoops=0", "'zero'", "maxLoops",
                "at least 1");
    }

    @Test
    void mapWithoutBody() {
        assertRouteStartFails(context, "flujo:map:noBody", "'noBody'", "option body", "no endpoint given");
    }

    @Test
    void conditionalWithoutConditionOrBranches() {
        assertRouteStartFails(context, "flujo:conditional:noCondition?branches=x=direct:a", "'noCondition'",
                "needs option condition");
        assertRouteStartFails(context, "flujo:conditional:noBranches?condition=${body}", "'noBranches'", "branches");
    }

    @Test
    void conditionalBranchesMustBeKeyed() {
        assertRouteStartFails(context, "flujo:conditional:unkeyed?condition=${body}&branches=direct:a",
                "'unkeyed'", "expected key=uri", "direct:a");
    }

    @Test
    void humanWithoutResumeUri() {
        assertRouteStartFails(context, "flujo:human:noResume?" + state(), "'noResume'", "resumeUri");
    }

    // --- bad values -----------------------------------------------------------------------------------------------

    @Test
    void unknownMergeStrategy() {
        assertRouteStartFails(context, "flujo:parallel:p?branches=direct:a,direct:b&mergeStrategy=LAST_WINS",
                "'p'", "option mergeStrategy", "LAST_WINS", "CONTEXT_UPDATE");
    }

    @Test
    void mergeStrategyBeanOfTheWrongType() {
        assertRouteStartFails(context, "flujo:parallel:p?branches=direct:a&mergeStrategy=#notAStrategy",
                "option mergeStrategy", "#notAStrategy", "MergeStrategy");
    }

    @Test
    void unknownBranchFailurePolicy() {
        assertRouteStartFails(context, "flujo:parallel:p?branches=direct:a&onBranchFailure=SOMETIMES",
                "onBranchFailure", "SOMETIMES");
    }

    @Test
    void negativeMaxConcurrency() {
        assertRouteStartFails(context, "flujo:map:negative?body=direct:a&maxConcurrency=-1", "negative",
                "maxConcurrency");
    }

    // from the review of the composite kinds
    @Test
    void aNegativeMaxConcurrencyFailsTheRouterStartAsItFailsParallelAndMap() {
        assertRouteStartFails(context, "flujo:parallel:p?branches=a=direct:a&maxConcurrency=-1",
                "maxConcurrency");
        assertRouteStartFails(context, "flujo:map:m?body=direct:a&maxConcurrency=-1",
                "maxConcurrency");
        assertRouteStartFails(context,
                "flujo:router:r?agent=#routerAgent&branches=a=direct:a&maxConcurrency=-1", "maxConcurrency");
    }

    @Test
    void aBranchDeclaredTwice() {
        assertRouteStartFails(context, "flujo:parallel:twice?branches=a=direct:a,a=direct:b", "'twice'",
                "branch 'a' is declared twice");
    }

    @Test
    void aBranchOfAnUnknownComponent() {
        assertRouteStartFails(context, "flujo:parallel:nowhere?branches=a=nosuchscheme:x", "'nowhere'",
                "option branches", "nosuchscheme:x");
    }

    @Test
    void aMissingReduceBean() {
        assertRouteStartFails(context, "flujo:parallel:p?branches=direct:a&reduce=#missingReducer", "option reduce",
                "#missingReducer");
    }

    @Test
    void anInvalidSimplePredicate() {
        assertRouteStartFails(context, "flujo:loop:badUntil?body=direct:a&until=${body.length} >>> 3 ${", "'badUntil'",
                "option until");
    }

    @Test
    void stateStoreBeanThatDoesNotExist() {
        assertRouteStartFails(context, "flujo:human:h?resumeUri=direct:a&stateStore=#missing", "option stateStore",
                "#missing", "no bean of that name");
        assertRouteStartFails(context, "flujo:resume:r?stateStore=#missing", "option stateStore", "#missing");
    }

    @Test
    void unknownStateStoreKindAndANonJdbcUrl() {
        assertRouteStartFails(context, "flujo:human:h?resumeUri=direct:a&stateStore=redis", "option stateStore",
                "redis", "jdbc, memory or #bean");
        assertRouteStartFails(context, "flujo:human:h?resumeUri=direct:a&stateUrl=/tmp/x.db", "option stateUrl",
                "expected a JDBC URL");
    }

    @Test
    void anAnswerSchemaThatIsNotASchema() {
        assertRouteStartFails(context, "flujo:human:h?resumeUri=direct:a&answerSchema=RAW(not json)&" + state(),
                "answerSchema", "not a valid JSON schema");
    }

    // --- option names in Camel's spellings, component defaults of kind-specific options ---------------------------

    /*
     * Pins from the review of the composite kinds: Camel matches option names ignoring case and dashes, so the kind
     * check must too, both ways; and component-level defaults are defaults, never "an option this kind does not take".
     * Their branch routes are direct:plus and direct:fail.
     */

    private void addRoute(String from, String flujoUri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(flujoUri);
            }
        });
    }

    @Test
    void dashedAndCapitalisedSpellingsOfAnOptionAKindDoesNotTakeAreRejected() {
        assertRouteStartFails(context, "flujo:loop:l1?body=direct:plus&until=true&max-concurrency=2",
                "option maxConcurrency does not apply to flujo:loop", "parallel", "map");
        assertRouteStartFails(context, "flujo:parallel:p1?branches=direct:plus&MaxLoops=2",
                "option maxLoops does not apply to flujo:parallel");
        assertRouteStartFails(context, "flujo:map:m1?body=direct:plus&on-branch-failure=IGNORE&merge-strategy=NO_MERGE"
                                       + "&reduce=#x",
                "option reduce does not apply to flujo:map");
    }

    @Test
    void dashedSpellingsOfAnOptionTheKindTakesAreAcceptedAndApplied() throws Exception {
        addRoute("direct:loop-dashed", "flujo:loop:dashed?body=direct:plus&until=${body} == 'never'&max-loops=2");
        addRoute("direct:map-dashed", "flujo:map:mapDashed?body=direct:fail&on-branch-failure=IGNORE"
                                      + "&max-concurrency=1");

        Exchange loop = template.request("direct:loop-dashed", e -> e.getMessage().setBody("x"));
        FlujoStepFailedException exhausted = exceptionOf(loop, FlujoStepFailedException.class);
        assertEquals(2, exhausted.getResult().children().size(), "max-loops=2 is maxLoops=2");
        assertEquals("maxLoops", loop.getMessage().getHeader(FlujoConstants.EXIT_REASON));

        Exchange map = template.request("direct:map-dashed", e -> e.getMessage().setBody(List.of("p", "q")));
        // every item failed: IGNORE still fails the step, but both items ran (no PROPAGATE cancellation)
        FlujoStepFailedException allFailed = exceptionOf(map, FlujoStepFailedException.class);
        assertEquals(List.of("[0]", "[1]"), allFailed.getResult().metadata().get(StepResult.META_FAILED_BRANCHES));
        assertEquals(2, allFailed.getResult().feedback().size(), "neither item was cancelled");
    }

    @Test
    void componentDefaultsOfKindSpecificOptionsApplyWhereTheyFitAndAreIgnoredElsewhere() throws Exception {
        FlujoComponent flujo = context.getComponent("flujo", FlujoComponent.class);
        flujo.getConfiguration().setMaxLoops(2);
        flujo.getConfiguration().setOnBranchFailure(BranchFailurePolicy.IGNORE);
        flujo.getConfiguration().setMaxRetries(3);

        // a parallel step does not take maxLoops or maxRetries: as defaults they must not fail its start
        addRoute("direct:par-defaults", "flujo:parallel:parDefaults?branches=ok=direct:plus,bad=direct:fail");
        addRoute("direct:loop-defaults", "flujo:loop:loopDefaults?body=direct:plus&until=${body} == 'never'");

        Exchange par = template.request("direct:par-defaults", e -> e.getMessage().setBody("x"));
        assertNull(par.getException(), () -> messages(par.getException()));
        assertEquals(Map.of("ok", "x+"), par.getMessage().getBody(), "onBranchFailure=IGNORE by default");
        assertEquals(List.of("bad"), lastResult(par, "parDefaults").metadata().get(StepResult.META_FAILED_BRANCHES));

        Exchange loop = template.request("direct:loop-defaults", e -> e.getMessage().setBody("x"));
        assertEquals(2, exceptionOf(loop, FlujoStepFailedException.class).getResult().children().size());
    }
}
