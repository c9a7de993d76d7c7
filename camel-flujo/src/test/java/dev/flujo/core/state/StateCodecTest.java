package dev.flujo.core.state;

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
        for (String json : new String[] {"null", "{}", "[]", "{\"runId\":\"r\",\"status\":\"PAUSED\",\"@class\":\"x\"}",
                "{\"runId\":\"r\",\"status\":\"WAITING\"}", "{\"runId\":\"r\",\"status\":\"PAUSED\"} trailing"}) {
            FlujoException e = assertThrows(FlujoException.class, () -> StateCodec.read(json), json);
            assertTrue(e.getMessage().contains("paused run"), e.getMessage());
        }
    }
}
