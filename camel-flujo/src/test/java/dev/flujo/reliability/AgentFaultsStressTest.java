package dev.flujo.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.ValidationResult;
import dev.flujo.reliability.FaultAgent.Fault;
import dev.flujo.reliability.FaultAgent.HeldCall;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.flujo.reliability.InFlight.runOf;
import static dev.flujo.reliability.ReliabilityFigures.Section.FAULTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many exchanges at once through steps whose agent misbehaves, one fault per exchange: it throws, fails its stage,
 * returns no stage or no response, hangs past the time-out, answers late (after the retry answered), answers with the
 * wrong type (a String for updatesContext, bytes or null for a text validator). Every exchange must end - on the retry,
 * the fallback or a typed failure, as documented - and no late answer may change a body, a result or the cache.
 *
 * <p>
 * Covered elsewhere, one exchange at a time: ExecutorCoreRetryTest (null stage / response), ExecutorCoreTimeoutTest and
 * FlujoStepTimeoutTest (late replies dropped, usage booked), ExecutorCoreFallbackTest, ExecutorCoreContextUpdateTest.
 * Here they run together, concurrently, and the cache is checked after the late answers.
 */
@Tag("stress")
class AgentFaultsStressTest extends CamelTestSupport {

    /** Exchanges per fault. */
    private static final int PER_FAULT = 200;
    private static final List<String> RECOVERED = List.of("throw", "hang", "late", "nullstage", "nullresponse");
    private static final Usage LATE_USAGE = Usage.tokens(1000, 0);
    /**
     * The step's time-out: what the hanging and late calls wait for. It bounds every call of the step (the fallback's
     * too), so it leaves room for a busy machine, where a call answered at once may still start late.
     */
    private static final int TIMEOUT_MS = 1000;

    private final FaultAgent faulty = new FaultAgent(AgentFaultsStressTest::answerFaults);
    private final TestAgents.CountingAgent backup = TestAgents.answering(r -> "backup:" + r.input());
    private final FaultAgent shapes = new FaultAgent(AgentFaultsStressTest::shapeFaults);

    /** attempt 1 misbehaves as the input's prefix says; attempt 2 answers, except for "fail" (the fallback answers). */
    private static Fault answerFaults(AgentRequest r) {
        String fault = kind(r);
        if (fault.equals("fail")) {
            return new FaultAgent.Fail(new IllegalStateException("model down"));
        }
        if (r.attempt() > 1) {
            return FaultAgent.answer("answer:" + r.input(), Usage.tokens(1, 1));
        }
        return switch (fault) {
            case "throw" -> new FaultAgent.Throw(new IllegalStateException("connection reset"));
            case "hang" -> FaultAgent.hold();
            case "late" -> FaultAgent.holdStubborn();
            case "nullstage" -> new FaultAgent.NullStage();
            case "nullresponse" -> new FaultAgent.NullResponse();
            default -> throw new AssertionError(fault);
        };
    }

    /** Wrong types on attempt 1 (on every attempt for "stringonly"), the right one after. */
    private static Fault shapeFaults(AgentRequest r) {
        String fault = kind(r);
        boolean first = r.attempt() == 1;
        return switch (fault) {
            case "string" -> FaultAgent.answer(first ? "not a map" : Map.of("customer", "c-" + r.input()));
            case "stringonly" -> FaultAgent.answer("never a map");
            case "bytes" -> FaultAgent.answer(first ? new byte[] { 1, 2, 3 } : "text of " + r.input());
            case "null" -> FaultAgent.answer(first ? null : "text of " + r.input());
            default -> throw new AssertionError(fault);
        };
    }

    private static String kind(AgentRequest r) {
        String input = String.valueOf(r.input());
        return input.substring(0, input.indexOf('-'));
    }

    /** A validator that expects text: bytes fail its cast, null its dereference. */
    private static final FlujoValidator TEXT_ONLY = (output, context) -> {
        String text = (String) output;
        return text.isBlank() ? ValidationResult.fail("blank") : ValidationResult.ok();
    };

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("faulty", (FlujoAgent) faulty);
        registry.bind("backup", backup);
        registry.bind("shapes", (FlujoAgent) shapes);
        registry.bind("textOnly", TEXT_ONLY);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return RouteBuilder.loadRoutesBuilder(rb -> {
            rb.from("direct:answer").to("flujo:step:answer?agent=#faulty&timeout=" + TIMEOUT_MS + "ms&maxRetries=1"
                                        + "&fallback=#backup&cache=true");
            rb.from("direct:extract").to("flujo:step:extract?agent=#shapes&updatesContext=true&maxRetries=1");
            rb.from("direct:summary").to("flujo:step:summary?agent=#shapes&validators=#textOnly&maxRetries=1");
        });
    }

    @AfterEach
    void releaseHeldCalls() {
        faulty.releaseAll();
    }

    private static List<String> inputs(List<String> faults) {
        return faults.stream().flatMap(f -> IntStream.range(0, PER_FAULT).mapToObj(i -> f + "-" + i)).toList();
    }

    @Test
    void everyFaultEndsOnTheRetryOrTheFallbackAndLateAnswersChangeNothing() throws Exception {
        List<String> inputs = inputs(List.of("throw", "fail", "hang", "late", "nullstage", "nullresponse"));
        NotifyBuilder done = new NotifyBuilder(context).from("direct:answer").whenDone(inputs.size()).create();

        InFlight sent = InFlight.send(template, "direct:answer", inputs.size(), inputs::get);
        List<Exchange> ended = sent.awaitAll();

        assertTrue(done.matches(FaultAgent.SAFETY_SECONDS, TimeUnit.SECONDS), "every exchange is done");
        int recovered = 0;
        int fellBack = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            Exchange e = ended.get(i);
            assertNull(e.getException(), () -> input + ": " + e.getException());
            StepResult step = runOf(e).lastResult("answer");
            String fault = input.substring(0, input.indexOf('-'));
            if (fault.equals("fail")) {
                assertEquals("backup:" + input, e.getMessage().getBody());
                assertTrue(step.fallbackUsed(), input);
                fellBack++;
            } else {
                assertEquals("answer:" + input, e.getMessage().getBody(), input);
                assertEquals(2, e.getMessage().getHeader(FlujoConstants.ATTEMPTS), input);
                assertFalse(step.fallbackUsed(), input);
                assertTrue(step.feedback().get(0).contains(expectedFeedback(fault)), step.feedback().toString());
                recovered++;
            }
        }
        assertEquals(RECOVERED.size() * PER_FAULT, recovered);

        // the hung calls were abandoned at their time-out: the agent was told (its stage cancelled)
        List<HeldCall> hung = held("hang");
        assertEquals(PER_FAULT, hung.size());
        assertTrue(hung.stream().allMatch(c -> c.cancelRequested() && c.isCancelled()));

        // the late ones refused the cancellation, and answer now, long after their retry answered
        int callsBefore = faulty.calls();
        List<Object> bodiesBefore = ended.stream().map(e -> e.getMessage().getBody()).toList();
        List<HeldCall> late = held("late");
        assertEquals(PER_FAULT, late.size());
        for (HeldCall call : late) {
            assertTrue(call.cancelRequested(), "the step told the agent it no longer wants the answer");
            assertTrue(call.complete(AgentResponse.of("LATE " + call.input(), LATE_USAGE)), "the late answer arrives");
        }
        long lateTokensBooked = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Exchange e = ended.get(i);
            assertSame(bodiesBefore.get(i), e.getMessage().getBody(), "a late answer changed a body");
            FlujoRun run = runOf(e);
            assertEquals(1, run.history().size(), "a late answer added a result");
            assertEquals(bodiesBefore.get(i), run.history().get(0).output(), "a late answer changed the result");
            if (inputs.get(i).startsWith("late-")) {
                // its output is dropped, but what it spent was spent: booked to the run (documented)
                assertEquals(2 + LATE_USAGE.totalTokens(), run.usage().totalTokens());
                lateTokensBooked += LATE_USAGE.totalTokens();
            }
        }

        // the cache holds the retries' answers, never a late one; a fallback's answer is never cached
        List<String> cachedInputs = inputs(RECOVERED);
        List<Exchange> again = InFlight.send(template, "direct:answer", cachedInputs.size(), cachedInputs::get).awaitAll();
        for (int i = 0; i < again.size(); i++) {
            Exchange e = again.get(i);
            assertEquals("answer:" + cachedInputs.get(i), e.getMessage().getBody());
            assertEquals(Boolean.TRUE, e.getMessage().getHeader(FlujoConstants.CACHE_HIT), cachedInputs.get(i));
        }
        assertEquals(callsBefore, faulty.calls(), "every recovered input was a cache hit");
        int backupCalls = backup.calls();
        List<String> failed = inputs(List.of("fail"));
        InFlight.send(template, "direct:answer", failed.size(), failed::get).awaitAll();
        assertEquals(callsBefore + 2 * PER_FAULT, faulty.calls(), "the fallback's answers were not cached");
        assertEquals(backupCalls + PER_FAULT, backup.calls());

        ReliabilityFigures.record(FAULTS, String.format("%,d exchanges at once, %d per agent fault (throws, failed stage,"
                                                        + " no stage, null response, hangs past its %d ms time-out, answers late)",
                inputs.size(),
                PER_FAULT, TIMEOUT_MS),
                String.format("all %,d ended: %,d recovered on the retry, %d by the fallback, 0 hanging; %d hung calls"
                              + " cancelled; %d late answers changed 0 bodies, 0 results, 0 cache entries (their %,d tokens"
                              + " booked to the runs)",
                        inputs.size(), recovered, fellBack, hung.size(), late.size(),
                        lateTokensBooked),
                getClass());
    }

    private List<HeldCall> held(String fault) {
        return faulty.held.stream().filter(c -> c.input().startsWith(fault + "-")).toList();
    }

    private static String expectedFeedback(String fault) {
        return switch (fault) {
            case "throw" -> "IllegalStateException: connection reset";
            case "hang", "late" -> "AgentTimeoutException";
            case "nullstage" -> "returned no CompletionStage";
            case "nullresponse" -> "completed with no AgentResponse";
            default -> throw new AssertionError(fault);
        };
    }

    @Test
    void wrongTypesAreRejectedWithFeedbackAndTheRetryFixesThem() throws Exception {
        List<String> extract = inputs(List.of("string", "stringonly"));
        List<String> summary = inputs(List.of("bytes", "null"));
        NotifyBuilder done = new NotifyBuilder(context).whenDone(extract.size() + summary.size()).create();

        InFlight extracting = InFlight.send(template, "direct:extract", extract.size(), extract::get);
        InFlight summarizing = InFlight.send(template, "direct:summary", summary.size(), summary::get);
        List<Exchange> extracted = extracting.awaitAll();
        List<Exchange> summarized = summarizing.awaitAll();

        assertTrue(done.matches(FaultAgent.SAFETY_SECONDS, TimeUnit.SECONDS));
        int mapsFixed = 0;
        int neverMaps = 0;
        for (int i = 0; i < extract.size(); i++) {
            String input = extract.get(i);
            Exchange e = extracted.get(i);
            if (input.startsWith("string-")) {
                assertNull(e.getException(), input);
                assertEquals("c-" + input, e.getProperty("customer"));
                assertEquals(List.of("updatesContext needs a Map output, got java.lang.String"),
                        runOf(e).lastResult("extract").feedback());
                mapsFixed++;
            } else {
                FlujoStepFailedException failure = assertInstanceOf(FlujoStepFailedException.class, e.getException());
                assertInstanceOf(OutputRejectedException.class, failure.getCause());
                assertEquals(2, failure.getAttempts());
                assertNull(e.getProperty("customer"), "a failed step leaves no trace in the properties");
                neverMaps++;
            }
        }
        int textFixed = 0;
        for (int i = 0; i < summary.size(); i++) {
            String input = summary.get(i);
            Exchange e = summarized.get(i);
            assertNull(e.getException(), input);
            assertEquals("text of " + input, e.getMessage().getBody());
            String feedback = runOf(e).lastResult("summary").feedback().get(0);
            assertTrue(feedback.contains(input.startsWith("bytes-")
                    ? "threw ClassCastException"
                    : "threw NullPointerException"), feedback);
            textFixed++;
        }

        ReliabilityFigures.record(FAULTS, String.format("%d agent answers of the wrong type: a String where updatesContext"
                                                        + " needs a Map, bytes or null where a validator expects text",
                extract.size() + summary.size()),
                String.format("all rejected with feedback naming the type or the validator's exception: %d fixed by"
                              + " the retry (%d maps, %d texts), %d failed with OutputRejectedException and no property"
                              + " written",
                        mapsFixed + textFixed, mapsFixed, textFixed, neverMaps),
                getClass());
    }
}
