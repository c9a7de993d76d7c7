package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterPlanTest extends FlowTestSupport {

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    private FlujoBranch counted(String name) {
        return call -> {
            runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.completedFuture(name + ":" + call.input());
        };
    }

    private Map<String, FlujoBranch> abc() {
        return branches("a", counted("a"), "b", counted("b"), "c", counted("c"));
    }

    private int runsOf(String name) {
        AtomicInteger n = runs.get(name);
        return n == null ? 0 : n.get();
    }

    /** The router agent step, validated against the branch names as the Camel adapter builds it. */
    private static StepPlan routerStep(TestAgent agent, int maxRetries) {
        return agentStep("route.router", OptimizationConfig.builder().set("maxRetries", maxRetries).build(), agent,
                RouterPlan.branchNames(java.util.Set.of("a", "b", "c")));
    }

    private RouterPlan router(StepPlan routerStep) {
        return new RouterPlan(step("route", "router"), routerStep, abc(), null, null, 0, null);
    }

    @Test
    void aCommaSeparatedAnswerRunsEveryNamedBranch() {
        RouterPlan plan = router(routerStep(TestAgent.returning("picker", "a, b"), 0));

        StepResult result = await(execute(plan, "q"));

        assertEquals(Map.of("a", "a:q", "b", "b:q"), result.output());
        assertEquals(List.of("a", "b"), result.metadata().get(StepResult.META_CHOSEN));
        assertEquals(0, runsOf("c"));
        assertEquals("router", result.metadata().get(StepResult.META_KIND));
        assertEquals(List.of("route"), names(run.history()), "the routing call is recorded once, as a child");
        assertEquals("route.router", result.children().get(0).name());
    }

    @Test
    void theRoutingCallIsTheFirstChildSoTheStepsUsageIncludesIt() {
        RouterPlan plan = router(routerStep(TestAgent.returning("picker", "b", dev.flujo.core.result.Usage.tokens(7, 3)), 0));

        StepResult result = await(execute(plan, "q"));

        assertEquals(List.of("route.router", "b"), names(result.children()));
        assertEquals(10, result.usage().totalTokens());
    }

    @Test
    void aCollectionAnswerWorksAndItsOrderIsKept() {
        RouterPlan plan = router(routerStep(TestAgent.returning("picker", List.of("c", "a")), 0));

        StepResult result = await(execute(plan, "q"));

        assertEquals(List.of("c", "a"), new ArrayList<>(((Map<?, ?>) result.output()).keySet()));
        assertEquals(List.of("c", "a"), result.metadata().get(StepResult.META_CHOSEN));
        assertEquals(0, runsOf("b"));
    }

    @Test
    void duplicateNamesRunOnce() {
        RouterPlan plan = router(routerStep(TestAgent.returning("picker", "a,a , b,a"), 0));

        StepResult result = await(execute(plan, "q"));

        assertEquals(List.of("a", "b"), result.metadata().get(StepResult.META_CHOSEN));
        assertEquals(1, runsOf("a"));
        assertEquals(1, runsOf("b"));
    }

    @Test
    void anUnknownNameGetsARetryWithFeedbackListingTheBranches() {
        TestAgent picker = TestAgent.answering("picker", r -> r.attempt() == 1 ? "a, x" : "a");
        RouterPlan plan = router(routerStep(picker, 1));

        StepResult result = await(execute(plan, "q"));

        assertEquals(Map.of("a", "a:q"), result.output());
        assertEquals(2, picker.calls());
        AgentRequest retry = picker.requests().get(1);
        assertTrue(retry.feedback().contains("unknown branch x"), retry.feedback());
        assertTrue(retry.feedback().contains("choose from: a, b, c"), retry.feedback());
    }

    @Test
    void anUnknownNameFailsNamingItOnceTheAttemptsAreSpent() {
        TestAgent picker = TestAgent.returning("picker", "nonsense");
        RouterPlan plan = router(routerStep(picker, 1));

        FlujoStepFailedException e = awaitFailure(execute(plan, "q"), FlujoStepFailedException.class);

        assertEquals(2, picker.calls());
        assertTrue(e.getMessage().contains("unknown branch nonsense"), e.getMessage());
        assertEquals(0, runsOf("a") + runsOf("b") + runsOf("c"));
    }

    @Test
    void anEmptyAnswerIsRejectedByTheValidator() throws Exception {
        ValidationResult empty = RouterPlan.branchNames(java.util.Set.of("b", "a")).validate(" , ", FlujoContext.empty());

        assertFalse(empty.valid());
        assertEquals("answer with one or more branch names, comma-separated, from: a, b", empty.feedback());
        assertTrue(RouterPlan.branchNames(java.util.Set.of("a")).validate(List.of("a"), FlujoContext.empty()).valid());
        assertEquals("branchNames", RouterPlan.branchNames(java.util.Set.of("a")).name());
    }

    @Test
    void aRouterBuiltWithoutTheValidatorFailsOnAnUnknownNameWithAConfigurationError() {
        StepPlan unvalidated = agentStep("route.router", TestAgent.returning("picker", "a,zzz"));
        RouterPlan plan = router(unvalidated);

        FlujoConfigurationException e = awaitFailure(execute(plan, "q"), FlujoConfigurationException.class);

        assertTrue(e.getMessage().contains("'zzz'"), e.getMessage());
        assertEquals(0, runsOf("a"), "no branch runs when one of the chosen is unknown");
    }

    @Test
    void underIgnoreAFailingChosenBranchIsListedAndTheOthersOutputsKept() {
        RouterPlan plan = new RouterPlan(
                step("route", "router"), routerStep(TestAgent.returning("p", "a,b"), 0),
                branches("a", failing("a broke"), "b", value("B"), "c", value("C")), null,
                BranchFailurePolicy.IGNORE, 0, null);

        StepResult result = await(execute(plan, "q"));

        assertEquals(Map.of("b", "B"), result.output());
        assertEquals(List.of("a"), result.metadata().get(StepResult.META_FAILED_BRANCHES));
        assertNull(result.metadata().get(StepResult.META_LIMIT_EXCEEDED));
    }

    /** The router step of a triage router over branches a and b. */
    private static StepPlan triageRouterStep(TestAgent agent) {
        return agentStep("triage.router", OptimizationConfig.builder().set("maxRetries", 0).build(), agent,
                RouterPlan.branchNames(Set.of("a", "b")));
    }

    // from the review of the composite kinds
    @Test
    void aRouterInsideABranchCountsTheRoutingCallOnce() {
        RouterPlan router = new RouterPlan(
                step("triage", "router"),
                triageRouterStep(TestAgent.returning("picker", "a", Usage.tokens(7, 3))),
                branches("a", value("A"), "b", value("B")), null, null, 0, null);
        ParallelPlan outer = parallel(branches("triage", compositeBranch(router), "other", value("O")));

        StepResult result = await(execute(outer, "q"));

        assertEquals(10, run.usage().totalTokens(), "the ledger booked the routing call once");
        assertEquals(10, child(result, "triage").usage().totalTokens(), "branch triage: " + child(result, "triage"));
        assertEquals(10, result.usage().totalTokens());
    }
}
