package dev.flujo.camel;

import java.math.BigDecimal;
import java.util.List;

import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.apache.camel.builder.Builder.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage reporting and pricing, and the run-wide costLimitUsd / tokenLimit with reservations. */
class FlujoStepUsageTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent paid = bind("paid",
            TestAgents.answering("out", Usage.of(10, 5, new BigDecimal("0.02"))));
    private final TestAgents.CountingAgent tokensOnly = bind("tokensOnly",
            TestAgents.answering("out", Usage.tokens(100, 50)));
    private final TestAgents.CountingAgent priced = bind("priced",
            TestAgents.answering("out", Usage.of(100, 50, new BigDecimal("0.5"))));
    private final TestAgents.CountingAgent s1 = bind("s1", TestAgents.answering("one", Usage.tokens(30, 10)));
    private final TestAgents.CountingAgent s2 = bind("s2", TestAgents.answering("two", Usage.tokens(30, 10)));
    private final TestAgents.CountingAgent s3 = bind("s3", TestAgents.answering("three", Usage.tokens(30, 10)));
    private final TestAgents.CountingAgent s4 = bind("s4", TestAgents.answering("four", Usage.tokens(30, 10)));
    private final TestAgents.CountingAgent c1 = bind("c1",
            TestAgents.answering("one", Usage.of(1, 1, new BigDecimal("0.4"))));
    private final TestAgents.CountingAgent c2 = bind("c2",
            TestAgents.answering("two", Usage.of(1, 1, new BigDecimal("0.4"))));
    private final TestAgents.CountingAgent c3 = bind("c3",
            TestAgents.answering("three", Usage.of(1, 1, new BigDecimal("0.4"))));
    private final TestAgents.CountingAgent c4 = bind("c4",
            TestAgents.answering("four", Usage.of(1, 1, new BigDecimal("0.4"))));
    private final TestAgents.CountingAgent big = bind("big", TestAgents.answering("big", Usage.tokens(90, 0)));
    private final TestAgents.CountingAgent small = bind("small", TestAgents.answering("small", Usage.tokens(20, 0)));
    private final TestAgents.CountingAgent badOutput = bind("badOutput",
            TestAgents.answering("bad", Usage.tokens(20, 10)));
    private final TestAgents.CountingAgent huge = bind("huge", TestAgents.answering("huge", Usage.tokens(120, 0)));
    private final TestAgents.CountingAgent planB = bind("planB", TestAgents.answering("plan B"));
    private final TestAgents.ScriptedAgent failsThenMetered = bind("failsThenMetered",
            TestAgents.scripted(new IllegalStateException("down"),
                    dev.flujo.core.agent.AgentResponse.of("metered", Usage.tokens(50, 0))));
    private final TestAgents.CountingAgent dime = bind("dime",
            TestAgents.answering("dime", Usage.of(0, 0, new BigDecimal("0.1"))));
    /** Costs nothing and passes its input on, so that a split after it sees the original body. */
    private final TestAgents.CountingAgent free = bind("free", TestAgents.answering(r -> r.input(), Usage.ZERO));
    private final TestAgents.CountingAgent part = bind("part",
            TestAgents.answering(r -> "part " + r.input(), Usage.tokens(30, 10)));
    private final TestAgents.CountingAgent onePart = bind("onePart",
            TestAgents.answering(r -> r.input(), Usage.tokens(1, 0)));
    private final TestAgents.CountingAgent inner = bind("inner",
            TestAgents.answering("inner", Usage.of(6, 4, new BigDecimal("0.01"))));

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:bean").to("flujo:step:bean?agent=#paid");
        r.from("direct:endpoint").to("flujo:step:endpoint?agent=direct:llm");
        r.from("direct:llm").process(e -> {
            Message m = e.getMessage();
            m.setBody("llm answer");
            m.setHeader(FlujoConstants.INPUT_TOKENS, 7);
            m.setHeader(FlujoConstants.OUTPUT_TOKENS, "3");
            m.setHeader(FlujoConstants.COST_USD, "0.005");
        });
        r.from("direct:customHeaders").to("flujo:step:customHeaders?agent=direct:customLlm"
                                          + "&inputTokensHeader=X-In&outputTokensHeader=X-Out&costHeader=X-Cost");
        r.from("direct:customLlm").process(e -> {
            Message m = e.getMessage();
            m.setBody("custom answer");
            m.setHeader("X-In", 11L);
            m.setHeader("X-Out", 4L);
            m.setHeader("X-Cost", new BigDecimal("0.25"));
        });
        r.from("direct:pricedTokens").to("flujo:step:pricedTokens?agent=#tokensOnly"
                                         + "&costPerInputToken=0.001&costPerOutputToken=0.002");
        r.from("direct:pricedEndpoint").to("flujo:step:pricedEndpoint?agent=direct:tokensLlm"
                                           + "&costPerInputToken=0.001&costPerOutputToken=0.002");
        r.from("direct:tokensLlm").process(e -> {
            e.getMessage().setBody("tokens answer");
            e.getMessage().setHeader(FlujoConstants.INPUT_TOKENS, 100);
            e.getMessage().setHeader(FlujoConstants.OUTPUT_TOKENS, 50);
        });
        r.from("direct:reportedCost").to("flujo:step:reportedCost?agent=#priced"
                                         + "&costPerInputToken=0.001&costPerOutputToken=0.002");

        // four steps of 40 tokens each; the first one declares the run's budget
        r.from("direct:tokenRun")
                .to("flujo:step:s1?agent=#s1&tokenLimit=100")
                .to("flujo:step:s2?agent=#s2")
                .to("flujo:step:s3?agent=#s3")
                .to("flujo:step:s4?agent=#s4");
        // the same with a reservation of 50 tokens before each call
        r.from("direct:reservedRun")
                .to("flujo:step:r1?agent=#s1&tokenLimit=100&expectedTokens=50")
                .to("flujo:step:r2?agent=#s2&expectedTokens=50")
                .to("flujo:step:r3?agent=#s3&expectedTokens=50")
                .to("flujo:step:r4?agent=#s4&expectedTokens=50");
        r.from("direct:costRun")
                .to("flujo:step:c1?agent=#c1&costLimitUsd=1.0")
                .to("flujo:step:c2?agent=#c2")
                .to("flujo:step:c3?agent=#c3")
                .to("flujo:step:c4?agent=#c4");
        r.from("direct:costReservedRun")
                .to("flujo:step:e1?agent=#c1&costLimitUsd=1.0&expectedCostUsd=0.5")
                .to("flujo:step:e2?agent=#c2&expectedCostUsd=0.5")
                .to("flujo:step:e3?agent=#c3&expectedCostUsd=0.5");
        // the limit of a later step counts what earlier steps spent
        r.from("direct:laterLimit")
                .to("flujo:step:big?agent=#big")
                .to("flujo:step:small?agent=#small&tokenLimit=100");
        r.from("direct:perRun").to("flujo:step:perRun?agent=#s1&tokenLimit=50");
        r.from("direct:retriesInBudget")
                .to("flujo:step:retries?agent=#badOutput&maxRetries=5&tokenLimit=70&validate=RAW(${body} == 'good')");
        r.from("direct:noFallbackAfterBreach")
                .to("flujo:step:breach?agent=#huge&tokenLimit=100&fallback=#planB");
        // an endpoint agent whose route runs a step of its own, in the same run
        r.from("direct:outer").to("flujo:step:outer?agent=direct:sub");
        r.from("direct:outerLimited").to("flujo:step:outerLimited?agent=direct:sub&tokenLimit=15");
        r.from("direct:sub").to("flujo:step:inner?agent=#inner");
        r.from("direct:reservationReleased")
                .to("flujo:step:reservationReleased?agent=#failsThenMetered&tokenLimit=100&expectedTokens=60");
        r.from("direct:exactCost")
                .to("flujo:step:d1?agent=#dime&costLimitUsd=0.3")
                .to("flujo:step:d2?agent=#dime")
                .to("flujo:step:d3?agent=#dime");
        r.from("direct:fourthDime")
                .to("flujo:step:f1?agent=#dime&costLimitUsd=0.3")
                .to("flujo:step:f2?agent=#dime")
                .to("flujo:step:f3?agent=#dime")
                .to("flujo:step:f4?agent=#dime");
        // split parts are spawned by the exchange: they share its run and budget
        r.from("direct:split")
                .to("flujo:step:plan?agent=#free&tokenLimit=100")
                .split(body().tokenize(","))
                    .to("flujo:step:part?agent=#part")
                .end();
        r.from("direct:parallelSplit")
                .to("flujo:step:parallelPlan?agent=#free")
                .split(body().tokenize(",")).parallelProcessing()
                    .to("flujo:step:parallelPart?agent=#onePart")
                .end();
    }

    private static void assertMoney(String expected, Object actual) {
        assertTrue(actual instanceof BigDecimal, "expected a BigDecimal, got " + actual);
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) actual), "expected " + expected + ", got " + actual);
    }

    private static List<String> names(List<StepResult> results) {
        return results.stream().map(StepResult::name).toList();
    }

    @Test
    void beanAgentUsageBecomesHeadersAndRunTotals() {
        Exchange result = run("direct:bean");

        Message m = result.getMessage();
        assertEquals(10L, m.getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(5L, m.getHeader(FlujoConstants.OUTPUT_TOKENS));
        assertMoney("0.02", m.getHeader(FlujoConstants.COST_USD));
        FlujoRun run = runOf(result);
        assertEquals(new Usage(10, 5, new BigDecimal("0.02")), run.usage());
        assertEquals(new Usage(10, 5, new BigDecimal("0.02")), run.lastResult("bean").usage());
    }

    @Test
    void endpointAgentReportsUsageInReplyHeaders() {
        Exchange result = run("direct:endpoint");

        Message m = result.getMessage();
        assertEquals("llm answer", m.getBody());
        assertEquals(7L, m.getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(3L, m.getHeader(FlujoConstants.OUTPUT_TOKENS));
        assertMoney("0.005", m.getHeader(FlujoConstants.COST_USD));
        assertEquals(10, runOf(result).usage().totalTokens());
    }

    @Test
    void usageHeaderNamesAreConfigurable() {
        Exchange result = run("direct:customHeaders");

        Message m = result.getMessage();
        assertEquals(11L, m.getHeader(FlujoConstants.INPUT_TOKENS));
        assertEquals(4L, m.getHeader(FlujoConstants.OUTPUT_TOKENS));
        assertMoney("0.25", m.getHeader(FlujoConstants.COST_USD));
    }

    @Test
    void tokensArePricedWhenTheAgentReportsNoCost() {
        Exchange result = run("direct:pricedTokens");

        // 100 * 0.001 + 50 * 0.002
        assertMoney("0.2", resultHeader(result, FlujoConstants.COST_USD));
        assertMoney("0.2", runOf(result).usage().costUsd());
    }

    @Test
    void endpointAgentTokensArePriced() {
        Exchange result = run("direct:pricedEndpoint");

        assertMoney("0.2", resultHeader(result, FlujoConstants.COST_USD));
    }

    @Test
    void reportedCostIsKept() {
        Exchange result = run("direct:reportedCost");

        assertMoney("0.5", resultHeader(result, FlujoConstants.COST_USD));
    }

    @Test
    void tokenLimitAppliesToTheWholeRun() {
        Exchange result = run("direct:tokenRun");

        UsageLimitExceededException breach = exceptionOf(result, UsageLimitExceededException.class);
        assertEquals("s3", breach.getStepName());
        assertEquals(Long.valueOf(100), breach.getLimits().tokenLimit());
        assertEquals(120, breach.getTotals().totalTokens());
        assertEquals("tokens", breach.getBreach().kind());
        assertFalse(breach.getBreach().refused());
        assertEquals(List.of("s1", "s2", "s3"), names(breach.getPartialHistory()));
        StepResult last = breach.getPartialHistory().get(2);
        assertFalse(last.success());
        assertTrue(last.metadata().containsKey(StepResult.META_LIMIT_EXCEEDED));
        // s3's call went over the budget: no retry, and no later step ran
        assertEquals(1, s1.calls());
        assertEquals(1, s2.calls());
        assertEquals(1, s3.calls());
        assertEquals(0, s4.calls());
        assertEquals(120, runOf(result).usage().totalTokens());
    }

    @Test
    void expectedTokensAreReservedAndACallThatWouldExceedIsRefused() {
        Exchange result = run("direct:reservedRun");

        UsageLimitExceededException breach = exceptionOf(result, UsageLimitExceededException.class);
        assertEquals("r3", breach.getStepName());
        assertTrue(breach.getBreach().refused());
        // 80 committed + 50 reserved
        assertEquals(0, new BigDecimal("130").compareTo(breach.getBreach().attempted()));
        assertEquals(80, breach.getTotals().totalTokens());
        assertEquals(1, s1.calls());
        assertEquals(1, s2.calls());
        assertEquals(0, s3.calls(), "the refused call never reached the agent");
        assertEquals(0, s4.calls());
        assertEquals(List.of("r1", "r2", "r3"), names(breach.getPartialHistory()));
    }

    @Test
    void costLimitAppliesToTheWholeRun() {
        Exchange result = run("direct:costRun");

        UsageLimitExceededException breach = exceptionOf(result, UsageLimitExceededException.class);
        assertEquals("c3", breach.getStepName());
        assertEquals("cost", breach.getBreach().kind());
        assertMoney("1.0", breach.getLimits().costLimitUsd());
        assertMoney("1.2", breach.getTotals().costUsd());
        assertEquals(1, c3.calls());
        assertEquals(0, c4.calls());
    }

    @Test
    void expectedCostIsReserved() {
        Exchange result = run("direct:costReservedRun");

        UsageLimitExceededException breach = exceptionOf(result, UsageLimitExceededException.class);
        // 0.4 + 0.4 committed, 0.5 reserved > 1.0
        assertEquals("e3", breach.getStepName());
        assertTrue(breach.getBreach().refused());
        assertEquals(1, c1.calls());
        assertEquals(1, c2.calls());
        assertEquals(0, c3.calls());
    }

    @Test
    void limitOfALaterStepCountsWhatEarlierStepsSpent() {
        Exchange result = run("direct:laterLimit");

        UsageLimitExceededException breach = exceptionOf(result, UsageLimitExceededException.class);
        assertEquals("small", breach.getStepName());
        assertEquals(110, breach.getTotals().totalTokens());
    }

    @Test
    void limitsArePerRun() {
        // 40 tokens each, limit 50: every exchange is its own run, so none breaches
        for (int i = 0; i < 3; i++) {
            Exchange result = run("direct:perRun");
            assertNull(result.getException());
            assertEquals(40, runOf(result).usage().totalTokens());
        }
        assertEquals(3, s1.calls());
    }

    @Test
    void breachStopsRetries() {
        Exchange result = run("direct:retriesInBudget");

        // 30 tokens per rejected attempt: the third attempt reaches 90 > 70
        exceptionOf(result, UsageLimitExceededException.class);
        assertEquals(3, badOutput.calls());
    }

    @Test
    void breachSkipsTheFallback() {
        Exchange result = run("direct:noFallbackAfterBreach");

        exceptionOf(result, UsageLimitExceededException.class);
        assertEquals(1, huge.calls());
        assertEquals(0, planB.calls());
    }

    @Test
    void tokenLimitAsComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setTokenLimit(50L);
        addRoutes(r -> {
            r.from("direct:componentLimit")
                    .to("flujo:step:cl1?agent=#s1")
                    .to("flujo:step:cl2?agent=#s2")
                    .to("flujo:step:cl3?agent=#s3");
        });

        Exchange result = run("direct:componentLimit");

        assertEquals("cl2", exceptionOf(result, UsageLimitExceededException.class).getStepName());
        assertEquals(0, s3.calls());
    }

    @Test
    void reservationOfAFailedCallIsReleased() {
        // attempt 1 reserves 60 of 100 and fails; attempt 2 can reserve its 60 only if that was released
        Exchange result = run("direct:reservationReleased");

        assertNull(result.getException(), () -> FlujoAssertions.messages(result.getException()));
        assertEquals("metered", result.getMessage().getBody());
        assertEquals(2, failsThenMetered.calls());
    }

    @Test
    void costTotalsAreExact() {
        // 0.1 + 0.1 + 0.1 is exactly 0.3: not over a limit of 0.3 (it would be with doubles)
        Exchange result = run("direct:exactCost");

        assertNull(result.getException(), () -> FlujoAssertions.messages(result.getException()));
        assertMoney("0.3", runOf(result).usage().costUsd());
        assertEquals(3, dime.calls());

        Exchange fourth = run("direct:fourthDime");
        assertEquals("f4", exceptionOf(fourth, UsageLimitExceededException.class).getStepName());
    }

    @Test
    void splitPartsShareTheRunBudget() {
        Exchange result = run("direct:split", "a,b,c,d");

        // 40 tokens per part: the third part goes over 100, the fourth is refused before its call
        assertEquals(3, part.calls());
        FlujoRun run = runOf(result);
        assertEquals(120, run.usage().totalTokens());
        assertTrue(result.getException() != null
                && FlujoAssertions.causeOf(result.getException(), UsageLimitExceededException.class) != null);
    }

    @Test
    void parallelSplitPartsCountIntoOneRun() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            body.append(i == 0 ? "" : ",").append("p").append(i);
        }

        Exchange result = run("direct:parallelSplit", body.toString());

        assertNull(result.getException());
        FlujoRun run = runOf(result);
        assertEquals(50, run.usage().totalTokens());
        assertEquals(51, run.history().size());
        assertEquals(50, onePart.calls());
    }

    @Test
    void stepInsideAnEndpointAgentRouteIsCountedOnce() {
        // the inner step's agent used 10 tokens and 0.01 USD; nothing else consumed anything
        Exchange result = run("direct:outer");

        assertNull(result.getException());
        assertEquals("inner", result.getMessage().getBody());
        assertEquals(1, inner.calls());
        FlujoRun run = runOf(result);
        assertEquals(List.of("inner", "outer"), names(run.history()));
        assertEquals(10, run.usage().totalTokens(), "run totals count the inner agent call once: " + run.usage());
        assertMoney("0.01", run.usage().costUsd());
    }

    @Test
    void stepInsideAnEndpointAgentRouteDoesNotBreachABudgetItFits() {
        // 10 tokens were used in total, the budget is 15
        Exchange result = run("direct:outerLimited");

        assertNull(result.getException(), () -> FlujoAssertions.messages(result.getException()));
        assertEquals("inner", result.getMessage().getBody());
    }
}
