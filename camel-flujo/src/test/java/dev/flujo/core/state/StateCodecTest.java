package dev.flujo.core.state;

import java.util.Map;

import dev.flujo.core.FlujoException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateCodecTest {

    @Test
    void roundTrip() {
        PausedRun run = StateStoreContract.paused("r");
        assertEquals(run.message(), StateCodec.read(StateCodec.write(run)).message());
    }

    @Test
    void jsonThatIsNotAPausedRunIsRejected() {
        for (String json : new String[] {
                "null", "{}", "[]", "{\"runId\":\"r\",\"status\":\"PAUSED\",\"@class\":\"x\"}",
                "{\"runId\":\"r\",\"status\":\"WAITING\"}", "{\"runId\":\"r\",\"status\":\"PAUSED\"} trailing" }) {
            FlujoException e = assertThrows(FlujoException.class, () -> StateCodec.read(json), json);
            assertTrue(e.getMessage().contains("paused run"), e.getMessage());
        }
    }

    /**
     * Found by the fault tests (dev.flujo.reliability): a run paused with a large value (an agent's 50 MB answer as the
     * human step's input) was saved, but could never be resumed: reading it back hit Jackson's default limit of
     * 20,000,000 characters per string, and the resume failed with "Stored state is not a valid paused run". What a
     * pause writes, a resume reads.
     */
    @Test
    void aRunPausedWithAValueOverJacksonsDefaultStringLimitReadsBack() {
        String large = "x".repeat(20_000_001);
        PausedRun small = StateStoreContract.paused("large-run");
        PausedRun paused = new PausedRun(
                small.runId(), small.status(), small.stepName(), small.message(),
                small.answerSchema(), small.resumeUri(), large, Map.of("answer", large), small.history(), small.usage(),
                small.limits(), small.humanHistory(), small.pausedAt());

        PausedRun read = StateCodec.read(StateCodec.write(paused));

        assertEquals(large, read.input());
        assertEquals(large, read.context().get("answer"));
    }
}
