package dev.flujo.camel.flow;

import static dev.flujo.camel.flow.FlowAssertions.assertRouteStartFails;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.lastResult;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import dev.flujo.camel.FlujoComponent;
import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.flow.BranchFailurePolicy;
import dev.flujo.core.result.StepResult;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Option checks of the composite kinds: Camel matches option names ignoring case and dashes, so the kind check must
 * too, both ways; and component-level defaults are defaults, never "an option this kind does not take".
 */
class CompositeOptionPinsTest extends CamelTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").transform(simple("${body}+"));
                from("direct:fail").throwException(new IllegalStateException("item failed"));
            }
        };
    }

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
        assertRouteStartFails(context, "flujo:loop:l1?body=direct:a&until=true&max-concurrency=2",
                "option maxConcurrency does not apply to flujo:loop", "parallel", "map");
        assertRouteStartFails(context, "flujo:parallel:p1?branches=direct:a&MaxLoops=2",
                "option maxLoops does not apply to flujo:parallel");
        assertRouteStartFails(context, "flujo:map:m1?body=direct:a&on-branch-failure=IGNORE&merge-strategy=NO_MERGE"
                + "&reduce=#x", "option reduce does not apply to flujo:map");
    }

    @Test
    void dashedSpellingsOfAnOptionTheKindTakesAreAcceptedAndApplied() throws Exception {
        addRoute("direct:loop-dashed", "flujo:loop:dashed?body=direct:a&until=${body} == 'never'&max-loops=2");
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
        addRoute("direct:par-defaults", "flujo:parallel:parDefaults?branches=ok=direct:a,bad=direct:fail");
        addRoute("direct:loop-defaults", "flujo:loop:loopDefaults?body=direct:a&until=${body} == 'never'");

        Exchange par = template.request("direct:par-defaults", e -> e.getMessage().setBody("x"));
        assertNull(par.getException(), () -> messages(par.getException()));
        assertEquals(java.util.Map.of("ok", "x+"), par.getMessage().getBody(), "onBranchFailure=IGNORE by default");
        assertEquals(List.of("bad"), lastResult(par, "parDefaults").metadata().get(StepResult.META_FAILED_BRANCHES));

        Exchange loop = template.request("direct:loop-defaults", e -> e.getMessage().setBody("x"));
        assertEquals(2, exceptionOf(loop, FlujoStepFailedException.class).getResult().children().size());
    }
}
