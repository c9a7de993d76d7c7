package dev.flujo.core.state;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.flujo.core.state.ResumeRejectedException.Reason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run id and the problems of a refused resume come from the caller, and the message quoted them as they were (found
 * by the resume payload stress test, issue 7): a 1 MB id made a 1 MB message (and log line), a newline in an id or in a
 * key of the answer started a forged log line, 5,000 unknown keys made 5,000 problems in one message; and an id with a
 * NUL went to the store, which PostgreSQL answers with an SQL error instead of "no such run". The message now escapes
 * control and format characters and cuts what is long; an id with a control character is unknown at once.
 */
class ResumeRejectedMessageTest {

    /** Records the ids it is asked for. */
    private static final class RecordingStore implements StateStore {
        final InMemoryStateStore delegate = new InMemoryStateStore();
        final List<String> asked = new ArrayList<>();

        @Override
        public void save(PausedRun run) {
            delegate.save(run);
        }

        @Override
        public Optional<PausedRun> load(String pauseId) {
            asked.add(pauseId);
            return delegate.load(pauseId);
        }

        @Override
        public Optional<PausedRun> claim(String pauseId) {
            asked.add(pauseId);
            return delegate.claim(pauseId);
        }

        @Override
        public List<String> pausedRunIds() {
            return delegate.pausedRunIds();
        }
    }

    private final RecordingStore store = new RecordingStore();
    private final ResumeService service = new ResumeService(store, Clock.systemUTC());

    private ResumeRejectedException rejected(String runId, Object answer) {
        return assertThrows(ResumeRejectedException.class, () -> service.resume(runId, answer));
    }

    @Test
    void aHugeIdIsCutInTheMessageAndKeptWholeInTheException() {
        String huge = "x".repeat(1 << 20);

        ResumeRejectedException e = rejected(huge, "yes");

        assertEquals(Reason.UNKNOWN_RUN, e.getReason());
        assertEquals(huge, e.getRunId());
        assertTrue(e.getMessage().length() < 300, () -> e.getMessage().length() + " characters");
        assertTrue(e.getMessage().startsWith("Cannot resume run '" + "x".repeat(ResumeRejectedException.MAX_ID_CHARS)
                                             + "... (1048576 characters)': no paused run with this id"),
                e.getMessage());
    }

    @Test
    void controlCharactersInAnIdAreEscapedAndTheIdIsUnknownWithoutAskingTheStore() {
        for (String id : List.of("run-1\nINFO forged log line", "run-1\u0000", "\u001b[31mred", "run\u0085-1")) {
            ResumeRejectedException e = rejected(id, "yes");

            assertEquals(Reason.UNKNOWN_RUN, e.getReason());
            assertEquals(id, e.getRunId());
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
            assertTrue(e.getMessage().contains("no paused run with this id"), e.getMessage());
        }
        assertEquals(List.of(), store.asked);
        assertTrue(rejected("run-1\nx", "yes").getMessage().contains("'run-1\\u000ax'"));
        assertTrue(rejected("a\u202eb", "yes").getMessage().contains("'a\\u202eb'"), "a bidi override is escaped");
    }

    @Test
    void problemsAreEscapedAndAtMostTwentyAreInTheMessage() {
        store.save(new PausedRun(
                "run-1", RunStatus.PAUSED, "approve", "ok?",
                "{\"type\":\"object\",\"additionalProperties\":false}", "direct:after", "q", Map.of(), List.of(), null,
                null, List.of(), Instant.EPOCH));
        Map<String, Object> answer = new LinkedHashMap<>();
        for (int i = 0; i < 5_000; i++) {
            answer.put("key " + i + "\nFORGED " + "y".repeat(1_000), i);
        }

        ResumeRejectedException e = rejected("run-1", answer);

        assertEquals(Reason.INVALID_ANSWER, e.getReason());
        assertEquals(5_000, e.getProblems().size(), "the exception keeps them all");
        assertTrue(e.getMessage().endsWith("; and 4980 more"), () -> e.getMessage().substring(e.getMessage().length() - 80));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("\\u000aFORGED"), e.getMessage().substring(0, 300));
        assertTrue(e.getMessage().length() < 25 * (ResumeRejectedException.MAX_PROBLEM_CHARS + 40),
                () -> e.getMessage().length() + " characters");
        assertEquals(RunStatus.PAUSED, store.delegate.load("run-1").orElseThrow().status());
    }

    /**
     * Found reviewing the pause ids (issue 7): the message quoted the pause id whole, token included, also when the run
     * stays paused (a bad answer, a store failure). Camel's error handler logs an exhausted exception's message at
     * ERROR, so every mistyped answer wrote a live capability to answer for the person into the application log. The
     * message shows the run id, the pause number and 4 digits of the token; getRunId() keeps the id whole.
     */
    @Test
    void theTokenOfAPauseIdIsNotInTheMessage() {
        String runId = "D0BB1E0C4241668-0000000000000003";
        for (int earlier : new int[] { 0, 2 }) {
            String pauseId = PausedRun.newPauseId(runId, earlier);
            String token = pauseId.substring(pauseId.length() - 32);
            store.save(new PausedRun(
                    runId, RunStatus.PAUSED, "approve", "ok?", "{\"type\":\"boolean\"}",
                    "direct:after", "q", Map.of(), List.of(), null, null, List.of(), Instant.EPOCH, pauseId));

            ResumeRejectedException e = rejected(pauseId, "maybe");

            assertEquals(Reason.INVALID_ANSWER, e.getReason());
            assertEquals(pauseId, e.getRunId(), "the exception keeps the id whole");
            assertFalse(e.getMessage().contains(token.substring(4)), e.getMessage());
            String shown = PausedRun.pauseIdOf(runId, earlier) + "." + token.substring(0, 4) + "...";
            assertTrue(e.getMessage().startsWith("Cannot resume run '" + shown + "': "), e.getMessage());
            assertEquals(RunStatus.PAUSED, store.delegate.load(pauseId).orElseThrow().status());
            // sent with a trailing newline (a form field), it is no id, but the token is still live
            assertFalse(rejected(pauseId + "\n", "true").getMessage().contains(token.substring(4)));
        }
    }
}
