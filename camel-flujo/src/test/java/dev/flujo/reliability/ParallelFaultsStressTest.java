package dev.flujo.reliability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.reliability.FaultAgent.HeldCall;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.flujo.reliability.InFlight.runOf;
import static dev.flujo.reliability.ReliabilityFigures.Section.FAULTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel steps whose three branches are one that fails, one whose agent hangs (it never answers by itself) and one
 * that spends over the run's budget, many at once. As documented (docs/kinds/parallel.md, failure behaviour): a breach
 * raises UsageLimitExceededException whatever else failed; a failure before the breach fails the step with
 * FlujoStepFailedException and abandons the spender's call. Either way the siblings are cancelled and the step waits
 * for them: the hanging agent is told to cancel before the step returns, makes no retry, its route goes no further, and
 * its answer, when it finally comes, writes nothing to the exchange.
 *
 * <p>
 * One exchange at a time, and each fault apart: BranchCancellationTest, CompositeUsageLimitTest,
 * FlujoBranchCancellationTest.
 */
@Tag("stress")
class ParallelFaultsStressTest extends CamelTestSupport {

    /** Parallel steps per order (breach first, failure first). */
    private static final int PER_ORDER = 100;
    private static final long TOKEN_LIMIT = 1000;
    private static final Usage OVER_BUDGET = Usage.tokens(4000, 1000);
    private static final Usage LATE_USAGE = Usage.tokens(7, 0);

    /** Never answers by itself, and refuses to be cancelled (a started call), so its late answer really arrives. */
    private final FaultAgent hanger = new FaultAgent(r -> FaultAgent.holdStubborn());
    /** Answers when the failing branch says so, with usage over the budget. */
    private final FaultAgent spender = new FaultAgent(r -> FaultAgent.hold());
    /** Where the failing branch acts, off the agents' threads. */
    private final ExecutorService failer = Executors.newSingleThreadExecutor();

    /**
     * The failing branch: once both sibling agents are called for this input, it lets the spender go over the budget
     * (breach first) or not (failure first), then fails. No thread waits meanwhile.
     */
    private final AsyncProcessor fails = new AsyncProcessorSupport() {
        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            String input = exchange.getMessage().getBody(String.class);
            hanger.heldFor(input).thenCombine(spender.heldFor(input), (h, spend) -> spend)
                    .thenAcceptAsync(spend -> {
                        try {
                            if (input.startsWith("breach-")) {
                                spend.complete(AgentResponse.of("spent", OVER_BUDGET));
                            }
                            exchange.setException(new IllegalStateException("branch fails broke"));
                        } finally {
                            callback.done(false);
                        }
                    }, failer);
            return false;
        }
    };

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("hanger", (FlujoAgent) hanger);
        registry.bind("spender", (FlujoAgent) spender);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return RouteBuilder.loadRoutesBuilder(rb -> {
            rb.from("direct:trio").to("flujo:parallel:trio?branches=fails=direct:fails,hangs=direct:hangs"
                                      + ",spends=direct:spends&tokenLimit=" + TOKEN_LIMIT);
            rb.from("direct:fails").process(fails);
            rb.from("direct:hangs").to("flujo:step:hang?agent=#hanger&maxRetries=3")
                    .setProperty("afterHang", rb.constant(true)).to("mock:after-hang");
            rb.from("direct:spends").to("flujo:step:spend?agent=#spender&maxRetries=3")
                    .setProperty("afterSpend", rb.constant(true)).to("mock:after-spend");
        });
    }

    @AfterEach
    void release() {
        hanger.releaseAll();
        spender.releaseAll();
        failer.shutdownNow();
    }

    /** What an exchange looked like the moment it ended. */
    private record Snapshot(Object body, Map<String, Object> headers, Map<String, Object> properties, int history,
            boolean hangerToldToCancel) {
    }

    @Test
    void oneFailsOneHangsOneBreachesTheBudget() throws Exception {
        int n = 2 * PER_ORDER;
        Map<String, Snapshot> atEnd = new ConcurrentHashMap<>();

        List<Exchange> ended = InFlight.send(template, "direct:trio", n, i -> (i % 2 == 0 ? "breach-" : "fail-") + i,
                e -> atEnd.put(inputOf(e), snapshot(e, inputOf(e)))).awaitAll();

        int breaches = 0;
        int failures = 0;
        for (Exchange e : ended) {
            String input = inputOf(e);
            Snapshot snap = atEnd.get(input);
            assertTrue(snap.hangerToldToCancel, input + ": the hanging agent was told before the step returned");
            StepResult trio;
            if (input.startsWith("breach-")) {
                UsageLimitExceededException breach = assertInstanceOf(UsageLimitExceededException.class,
                        e.getException(), input);
                assertEquals("spend", breach.getStepName());
                trio = breach.getPartialHistory().get(breach.getPartialHistory().size() - 1);
                assertFalse(child(trio, "fails").metadata().containsKey(StepResult.META_CANCELLED),
                        "the failing branch failed on its own");
                breaches++;
            } else {
                FlujoStepFailedException failure = assertInstanceOf(FlujoStepFailedException.class, e.getException(),
                        input);
                assertEquals("trio", failure.getStepName());
                assertEquals("branch fails broke", failure.getCause().getMessage());
                trio = failure.getResult();
                assertEquals(true, child(trio, "spends").metadata().get(StepResult.META_CANCELLED));
                assertTrue(spender.heldFor(input).join().isCancelled(), "the spender's call was abandoned");
                failures++;
            }
            assertEquals(List.of("fails", "hangs", "spends"), trio.children().stream().map(StepResult::name).toList());
            assertEquals(true, child(trio, "hangs").metadata().get(StepResult.META_CANCELLED));
        }
        assertEquals(n, hanger.calls(), "no hanging call was retried (maxRetries=3)");
        assertEquals(n, spender.calls());

        // now the hanging agents answer after all, long after their steps returned
        for (HeldCall call : hanger.held) {
            assertTrue(call.complete(AgentResponse.of("late " + call.input(), LATE_USAGE)));
        }
        for (Exchange e : ended) {
            String input = inputOf(e);
            Snapshot before = atEnd.get(input);
            Snapshot after = snapshot(e, input);
            assertSame(before.body, after.body, input);
            assertEquals(before.headers, after.headers, input);
            assertEquals(before.properties, after.properties, input);
            assertEquals(before.history, after.history, input);
            // what the late call spent is booked to the run, as documented; nothing else changes
            long spent = input.startsWith("breach-") ? OVER_BUDGET.totalTokens() : 0;
            assertEquals(spent + LATE_USAGE.totalTokens(), runOf(e).usage().totalTokens(), input);
        }
        assertEquals(0, getMockEndpoint("mock:after-hang").getReceivedCounter(), "the hanging route went no further");
        assertEquals(0, getMockEndpoint("mock:after-spend").getReceivedCounter());
        assertEquals(0, context.getInflightRepository().size(), "no branch exchange is still in flight");

        ReliabilityFigures.record(FAULTS, String.format("%d parallel steps at once, each with a failing branch, a"
                                                        + " hanging one (its agent never answers by itself) and one over the token budget (%d breach"
                                                        + " first, %d fail first)",
                n, PER_ORDER, PER_ORDER),
                String.format("%d UsageLimitExceededException, %d FlujoStepFailedException, as documented; %d/%d"
                              + " hanging calls told to cancel before their step returned, 0 retried, 0 route steps after"
                              + " them; their %d late answers wrote 0 bodies, headers, properties or results; 0 exchanges"
                              + " in flight",
                        breaches, failures, n, n, hanger.held.size()),
                getClass());
    }

    private Snapshot snapshot(Exchange e, String input) {
        return new Snapshot(
                e.getMessage().getBody(), new HashMap<>(e.getMessage().getHeaders()),
                new HashMap<>(e.getProperties()), runOf(e).history().size(),
                hanger.heldFor(input).getNow(null) != null && hanger.heldFor(input).join().cancelRequested());
    }

    /** Both outcomes are failures, which leave the body as it was: the input. */
    private static String inputOf(Exchange e) {
        return e.getMessage().getBody(String.class);
    }

    private static StepResult child(StepResult parent, String name) {
        return parent.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
