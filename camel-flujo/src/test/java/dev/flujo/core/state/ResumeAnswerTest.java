package dev.flujo.core.state;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.flujo.core.state.ResumeRejectedException.Reason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which answers a resume refuses as INVALID_ANSWER, the run staying paused for a proper answer. Found by the resume
 * payload stress test (issue 7), answers the schema check let through or choked on: a duplicate key was read as its
 * last value ({@code {"approved": false, "approved": true}} approved), bytes that are not UTF-8 became U+FFFD, an
 * integral number beyond the long range (1e19, 1e400) passed an integer {@code maximum: 10} (the validator read it
 * through a wrapping {@code long}), and a huge exponent under {@code multipleOf} kept the resume busy for minutes
 * (1e1000000) or threw an ArithmeticException (1e999999999). Found by the bad-input fuzzing (issue 7): a Map or List
 * answer that contains itself or nests too deeply overflowed the stack.
 */
class ResumeAnswerTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\"],\"properties\":{"
                                         + "\"approved\":{\"type\":\"boolean\"},\"note\":{\"type\":\"string\"},"
                                         + "\"count\":{\"type\":\"integer\",\"maximum\":10},"
                                         + "\"amount\":{\"type\":\"number\",\"minimum\":0,\"maximum\":100,\"multipleOf\":0.01}}}";

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final ResumeService service = new ResumeService(store, Clock.systemUTC());

    private static PausedRun paused(String schema) {
        return new PausedRun(
                "run-1", RunStatus.PAUSED, "approve", "Approve?", schema, "direct:after", "draft",
                Map.of(), List.of(), null, null, List.of(), Instant.EPOCH);
    }

    private ResumeRejectedException rejected(String schema, Object answer) {
        store.save(paused(schema));
        ResumeRejectedException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(ResumeRejectedException.class, () -> service.resume("run-1", answer)));
        assertEquals(Reason.INVALID_ANSWER, e.getReason(), e.getMessage());
        assertEquals(paused(schema), store.load("run-1").orElseThrow(), "the run stays paused, as it was");
        return e;
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "'" + part + "' not in: " + text);
    }

    @Test
    void aDuplicateKeyIsRefusedNotReadAsItsLastValue() {
        ResumeRejectedException e = rejected(SCHEMA, "{\"approved\": false, \"approved\": true}");
        assertContains(e.getMessage(), "Duplicate field 'approved'");
        rejected(SCHEMA, "{\"approved\": true, \"note\": {\"a\": 1, \"a\": 2}}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutASchemaDuplicateKeysAreNotJsonHenceTheTextItself() {
        store.save(paused(null));
        String text = "{\"approved\": false, \"approved\": true}";
        assertEquals(text, service.resume("run-1", text).answer());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNotReplaced() {
        byte[] latin1 = "{\"approved\": true, \"note\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        ResumeRejectedException e = rejected(SCHEMA, latin1);
        assertContains(e.getMessage(), "not UTF-8");
        assertContains(e.getMessage(), "byte " + (latin1.length - 3));
        rejected(null, new byte[] { 'o', 'k', (byte) 0xC3 }); // a truncated sequence at the end
        rejected(null, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }); // an encoded surrogate

        store.save(paused(SCHEMA));
        assertEquals(Map.of("approved", true, "note", "caf\u00e9"), service.resume("run-1",
                "{\"approved\": true, \"note\": \"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8)).answer());
    }

    @Test
    void anIntegralNumberBeyondTheLongRangeDoesNotPassAnIntegerMaximum() {
        for (String count : List.of("1e19", "1.5e19", "1e400", "9223372036854775808.0")) {
            ResumeRejectedException e = rejected(SCHEMA, "{\"approved\": true, \"count\": " + count + "}");
            assertContains(e.getMessage(), "$.count: must have a maximum value of 10");
        }
        rejected(SCHEMA, Map.of("approved", true, "count", new BigDecimal("1E+19")));
        rejected(SCHEMA, Map.of("approved", true, "count", BigInteger.TEN.pow(30)));
    }

    @Test
    void aHugeExponentIsRefusedAtOnceInsteadOfKeepingTheResumeBusy() {
        for (String amount : List.of("1e1000000", "1e999999999", "-1e999999999", "1e-999999999", "1.5e-10000000")) {
            ResumeRejectedException e = rejected(SCHEMA, "{\"approved\": true, \"amount\": " + amount + "}");
            assertContains(e.getMessage(), "$.amount: about 1E");
            assertContains(e.getMessage(), "out of range");
        }
        rejected(null, "[1, 2, {\"deep\": [1e999999999]}]");
        rejected(SCHEMA, Map.of("approved", true, "amount", BigInteger.TEN.pow(5000)));
        ResumeRejectedException e = rejected(SCHEMA, "{\"approved\": true, \"amount\": 1e1001}");
        assertContains(e.getMessage(), "about 1E+1001");
    }

    @Test
    void nanAndInfinityInAMapAnswerAreRefused() {
        for (double notANumber : new double[] { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY }) {
            ResumeRejectedException e = rejected(SCHEMA, Map.of("approved", true, "amount", notANumber));
            assertContains(e.getMessage(), "$.amount: " + notANumber + " is not a JSON number");
            rejected(null, List.of(notANumber));
        }
    }

    @Test
    void numbersInRangeAreAnswersAsBefore() {
        store.save(paused(SCHEMA));
        Object answer = service.resume("run-1", "{\"approved\": true, \"count\": 1e1, \"amount\": 99.99}").answer();
        assertEquals(Map.of("approved", true, "count", new BigDecimal("1E+1"), "amount", new BigDecimal("99.99")),
                answer);
        store.save(paused(null));
        assertEquals(List.of(new BigInteger("10000000000000000000"), new BigDecimal("0.5")),
                service.resume("run-1", List.of(new BigDecimal("1E+19"), 0.5)).answer());
    }

    // --- answers that contain themselves or nest too deeply -------------------------------------------------------

    /*
     * Found by the bad-input fuzzing (issue 7): an answer handed over as a Map or List that contains itself, or nests
     * tens of thousands deep, overflowed the stack while it was read as JSON: a StackOverflowError on the exchange
     * instead of an INVALID_ANSWER rejection, with or without a schema.
     */

    private static final String REQUIRES_APPROVED = "{\"type\":\"object\",\"required\":[\"approved\"]}";

    private static PausedRun pausedForAda(String runId, String schema) {
        return new PausedRun(
                runId, RunStatus.PAUSED, "approve", "Approve?", schema, "direct:after", "draft",
                Map.of("customer", "ada"), List.of(), null, null, List.of(), Instant.EPOCH);
    }

    private static void assertRejectedAndStillPaused(Object answer) {
        for (String schema : new String[] { REQUIRES_APPROVED, null }) {
            InMemoryStateStore store = new InMemoryStateStore();
            store.save(pausedForAda("run-1", schema));
            ResumeRejectedException e = assertThrows(ResumeRejectedException.class,
                    () -> new ResumeService(store, Clock.systemUTC()).resume("run-1", answer));
            assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, e.getReason());
            assertTrue(e.getMessage().contains("contains itself or nests too deeply"), e.getMessage());
            assertEquals(pausedForAda("run-1", schema), store.load("run-1").orElseThrow());
        }
    }

    @Test
    void aMapAnswerThatContainsItselfIsAnInvalidAnswer() {
        Map<String, Object> answer = new HashMap<>();
        answer.put("approved", true);
        answer.put("self", answer);
        assertRejectedAndStillPaused(answer);
    }

    @Test
    void aListAnswerNestedTooDeeplyIsAnInvalidAnswer() {
        List<Object> answer = new ArrayList<>();
        List<Object> inner = answer;
        for (int i = 0; i < 100_000; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertRejectedAndStillPaused(answer);
    }
}
