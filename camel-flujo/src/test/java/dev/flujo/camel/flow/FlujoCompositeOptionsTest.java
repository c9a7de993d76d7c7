package dev.flujo.camel.flow;

import static dev.flujo.camel.flow.FlowAssertions.assertRouteStartFails;

import java.nio.file.Path;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong options of composite kinds fail the route start, naming the step and the option. */
class FlujoCompositeOptionsTest extends CamelTestSupport {

    @TempDir
    Path dir;

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("notAStrategy", "just a string");
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").setBody(constant("a"));
                from("direct:b").setBody(constant("b"));
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
}
