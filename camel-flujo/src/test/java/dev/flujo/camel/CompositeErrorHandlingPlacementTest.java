package dev.flujo.camel;

import java.util.List;
import java.util.Map;

import dev.flujo.camel.TestAgents.CountingAgent;
import dev.flujo.core.FlujoException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where Camel's error handling goes when flujo's branches, items, loop bodies and agents are routes of their own: what
 * docs/error-handling.md says, each statement checked here. A handler that covers the route that failed turns the
 * failure into an ordinary reply before flujo sees it - except a usage-limit breach, which the run remembers; a handler
 * on the calling route sees flujo's typed exception; Camel's redelivery on the calling route runs the whole step again.
 */
class CompositeErrorHandlingPlacementTest extends FlujoRouteTestSupport {

    private final CountingAgent researcher = bind("researcher", TestAgents.answering("facts"));
    private final CountingAgent broken = bind("broken", TestAgents.failing("model down"));
    private final CountingAgent paid = bind("paid", TestAgents.answering("paid answer", Usage.tokens(60, 40)));

    @Test
    void aBranchRouteWithoutAHandlerFailsTheCompositeWhichTheCallersHandlerCatches() throws Exception {
        addRoutes(r -> {
            r.from("direct:research").to("flujo:step:research?agent=#researcher");
            r.from("direct:critic").to("flujo:step:critic?agent=#broken&maxRetries=0");
        });
        addRoutes(r -> r
                .from("direct:caller")
                .onException(FlujoStepFailedException.class).handled(true)
                .setBody(r.simple("${exception.stepName} failed")).end()
                .to("flujo:parallel:review?branches=research=direct:research,critic=direct:critic"));

        Exchange out = run("direct:caller");

        assertNull(out.getException());
        assertEquals("review failed", out.getMessage().getBody());
    }

    @Test
    void aHandlerThatCoversTheBranchRouteTurnsTheBranchFailureIntoAnOutput() throws Exception {
        // one RouteBuilder: its onException covers the branch routes as much as the calling route
        addRoutes(r -> {
            r.onException(FlujoStepFailedException.class).handled(true).setBody(r.constant("stand-in"));
            r.from("direct:research").to("flujo:step:research?agent=#researcher");
            r.from("direct:critic").to("flujo:step:critic?agent=#broken&maxRetries=0");
            r.from("direct:caller").to("flujo:parallel:review?branches=research=direct:research,critic=direct:critic");
        });

        Exchange out = run("direct:caller");

        assertNull(out.getException());
        assertEquals(Map.of("research", "facts", "critic", "stand-in"), out.getMessage().getBody());
        StepResult review = runOf(out).lastResult("review");
        assertTrue(review.success(), "the composite saw a successful branch: " + review);
    }

    @Test
    void withIgnoreAFailedBranchIsListedAndTheCompositeSucceeds() throws Exception {
        addRoutes(r -> {
            r.from("direct:research").to("flujo:step:research?agent=#researcher");
            r.from("direct:critic").to("flujo:step:critic?agent=#broken&maxRetries=0");
            r.from("direct:caller").to("flujo:parallel:review?branches=research=direct:research,critic=direct:critic"
                                       + "&onBranchFailure=IGNORE")
                    .setHeader("failed",
                            r.simple("${exchangeProperty.CamelFlujoRun.lastResult('review').metadata[failedBranches]}"));
        });

        Exchange out = run("direct:caller");

        assertNull(out.getException());
        assertEquals("facts", ((Map<?, ?>) out.getMessage().getBody()).get("research"));
        assertEquals(List.of("critic"), runOf(out).lastResult("review").metadata().get("failedBranches"));
        assertEquals("[critic]", out.getMessage().getHeader("failed", String.class), "the page's Simple expression");
    }

    @Test
    void anAgentRouteThatHandlesItsOwnErrorAnswersWithTheHandlersBodyAndIsNotRetried() throws Exception {
        addRoutes(r -> r
                .from("direct:llm").onException(IllegalStateException.class).handled(true)
                .setBody(r.constant("sorry, no answer")).end()
                .process(e -> {
                    throw new IllegalStateException("HTTP 503");
                }));
        addRoutes(r -> r.from("direct:unhandled").process(e -> {
            throw new IllegalStateException("HTTP 503");
        }));
        addRoute("direct:handled", "flujo:step:answer?agent=direct:llm&maxRetries=2");
        addRoute("direct:failing", "flujo:step:answer2?agent=direct:unhandled&maxRetries=2");

        Exchange handled = run("direct:handled");
        Exchange failing = run("direct:failing");

        assertNull(handled.getException());
        assertEquals("sorry, no answer", handled.getMessage().getBody());
        assertEquals(1, resultHeader(handled, FlujoConstants.ATTEMPTS, Integer.class));
        assertEquals(3, exceptionOf(failing, FlujoStepFailedException.class).getAttempts());
    }

    @Test
    void camelRedeliveryOnTheCallingRouteRunsTheWholeStepAgain() throws Exception {
        addRoutes(r -> r.from("direct:caller").errorHandler(r.defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0))
                .to("flujo:step:answer?agent=#broken&maxRetries=1"));

        Exchange out = run("direct:caller");

        exceptionOf(out, FlujoStepFailedException.class);
        // three deliveries of the step, each with its own two attempts
        assertEquals(6, broken.requests.size());
    }

    @Test
    void excludingFlujoExceptionsFromRedeliveryLeavesTheRetriesToTheStep() throws Exception {
        addRoutes(r -> {
            r.errorHandler(r.defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0));
            r.onException(FlujoException.class).maximumRedeliveries(0);
            r.from("direct:caller").to("flujo:step:answer?agent=#broken&maxRetries=1");
        });

        Exchange out = run("direct:caller");

        exceptionOf(out, FlujoStepFailedException.class);
        assertEquals(2, broken.requests.size());
    }

    @Test
    void aBudgetBreachInABranchReachesTheCallerEvenWhenAHandlerCoversTheBranchRoute() throws Exception {
        addRoutes(r -> {
            r.from("direct:a").to("flujo:step:a?agent=#paid");
            r.from("direct:b").to("flujo:step:b?agent=#paid");
            r.from("direct:caller").to("flujo:parallel:both?branches=a=direct:a,b=direct:b&tokenLimit=150");
        });
        addRoutes(r -> {
            r.onException(UsageLimitExceededException.class).handled(true).setBody(r.constant("over budget"));
            r.from("direct:a2").to("flujo:step:a2?agent=#paid");
            r.from("direct:b2").to("flujo:step:b2?agent=#paid");
        });
        // the caller's route is not covered by the branch routes' handler
        addRoute("direct:caller2", "flujo:parallel:both2?branches=a=direct:a2,b=direct:b2&tokenLimit=150");

        Exchange breached = run("direct:caller");
        Exchange covered = run("direct:caller2");

        UsageLimitExceededException breach = exceptionOf(breached, UsageLimitExceededException.class);
        assertEquals(200, breach.getTotals().totalTokens());
        // the branch route's handler caught the breach, but the run's budget is spent: the parallel step fails with it
        UsageLimitExceededException stillBreached = exceptionOf(covered, UsageLimitExceededException.class);
        assertEquals(200, stillBreached.getTotals().totalTokens());
        assertFalse(runOf(covered).lastResult("both2").success());
    }

    @Test
    void aTopLevelOnExceptionOfAYamlFileCoversTheBranchRoutesOfThatFileOnly() throws Exception {
        String yaml = """
                - onException:
                    exception:
                      - dev.flujo.core.FlujoStepFailedException
                    handled:
                      constant: true
                    steps:
                      - setBody:
                          constant: stand-in
                - route:
                    from:
                      uri: direct:yaml-critic
                      steps:
                        - to: "flujo:step:yamlCritic?agent=#broken&maxRetries=0"
                """;
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("branches.camel.yaml", yaml));
        addRoutes(r -> r.from("direct:other-critic").to("flujo:step:otherCritic?agent=#broken&maxRetries=0"));
        addRoute("direct:caller", "flujo:parallel:review?branches=critic=direct:yaml-critic");
        addRoute("direct:caller2", "flujo:parallel:review2?branches=critic=direct:other-critic");

        Exchange covered = run("direct:caller");
        Exchange uncovered = run("direct:caller2");

        assertEquals(Map.of("critic", "stand-in"), covered.getMessage().getBody());
        assertEquals("review2", exceptionOf(uncovered, FlujoStepFailedException.class).getStepName());
    }
}
