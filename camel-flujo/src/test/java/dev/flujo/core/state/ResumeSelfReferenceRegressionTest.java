package dev.flujo.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * An answer handed over as a Map or List that contains itself, or nests tens of thousands deep, overflowed the stack
 * while it was read as JSON (found by the bad-input fuzzing, issue 7): a StackOverflowError on the exchange instead
 * of an INVALID_ANSWER rejection, with or without a schema.
 */
class ResumeSelfReferenceRegressionTest {

    private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"approved\"]}";

    private static PausedRun paused(String runId, String schema) {
        return new PausedRun(runId, RunStatus.PAUSED, "approve", "Approve?", schema, "direct:after", "draft",
                Map.of("customer", "ada"), List.of(), null, null, List.of(), Instant.EPOCH);
    }

    private static void assertRejectedAndStillPaused(Object answer) {
        for (String schema : new String[] {SCHEMA, null}) {
            InMemoryStateStore store = new InMemoryStateStore();
            store.save(paused("run-1", schema));
            ResumeRejectedException e = assertThrows(ResumeRejectedException.class,
                    () -> new ResumeService(store, Clock.systemUTC()).resume("run-1", answer));
            assertEquals(ResumeRejectedException.Reason.INVALID_ANSWER, e.getReason());
            assertTrue(e.getMessage().contains("contains itself or nests too deeply"), e.getMessage());
            assertEquals(paused("run-1", schema), store.load("run-1").orElseThrow());
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
