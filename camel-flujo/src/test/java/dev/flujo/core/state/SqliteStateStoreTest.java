package dev.flujo.core.state;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JDBC store on an embedded SQLite file, the default state store. */
class SqliteStateStoreTest extends StateStoreContract {

    @TempDir
    Path dir;

    private String url;
    private JdbcStateStore store;

    @BeforeEach
    void open() {
        url = "jdbc:sqlite:" + dir.resolve("flujo-state.db");
        store = new JdbcStateStore(url);
    }

    @Override
    StateStore store() {
        return store;
    }

    @Test
    void aNewStoreOnTheSameFileSeesWhatTheOldOneWrote() {
        store.save(paused("survivor"));

        // as a new JVM would: a fresh store on the same file, nothing shared in memory
        JdbcStateStore reopened = new JdbcStateStore(url);

        assertEquals("Approve the refund?", reopened.load("survivor").orElseThrow().message());
        assertEquals(RunStatus.RESUMED, reopened.claim("survivor").orElseThrow().status());
        assertEquals(true, store.claim("survivor").isEmpty());
    }
}
