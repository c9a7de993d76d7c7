package dev.flujo.core.state;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.flujo.core.FlujoException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.usage.UsageLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDBC store on an embedded SQLite file, the default state store; also on a pool of one connection. */
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

    /** A paused run with the given history and exact costs. */
    private static PausedRun pausedWith(String runId, String schema, List<StepResult> history) {
        return new PausedRun(
                runId, RunStatus.PAUSED, "approve", "ok?", schema, "direct:after", "q",
                Map.of("tenant", "acme"), history, Usage.of(30, 12, new BigDecimal("0.0042")),
                new UsageLimits(new BigDecimal("0.10"), 5_000L), List.of(), Instant.parse("2026-11-23T10:00:00Z"));
    }

    // from the review of the composite kinds (paused-run state round trips)
    @Test
    void nestedCompositeResultsWithExactCostsSurviveTheJdbcStore() {
        StepResult leaf = new StepResult(
                "research", "facts", true, 2, 10, Usage.of(10, 5, new BigDecimal("0.0010")),
                List.of("agent x failed: timeout"), Map.of(StepResult.META_TIMED_OUT, true),
                Map.of("notes", List.of("a")), List.of());
        StepResult cancelled = new StepResult(
                "critic", null, false, 1, 5, Usage.ZERO,
                List.of("FlujoCancelledException: review"), Map.of(StepResult.META_CANCELLED, true), Map.of(),
                List.of());
        StepResult branch = new StepResult(
                "research", "facts", true, 1, 12, Usage.of(10, 5, new BigDecimal("0.0010")),
                List.of(), Map.of(), Map.of("notes", List.of("a")), List.of(leaf));
        StepResult parallel = new StepResult(
                "review", Map.of("research", "facts"), true, 1, 20,
                Usage.of(10, 5, new BigDecimal("0.0010")), List.of(),
                Map.of(StepResult.META_KIND, "parallel", StepResult.META_FAILED_BRANCHES, List.of("critic")),
                Map.of("notes", List.of("a")), List.of(branch, cancelled));
        JdbcStateStore store = new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db"));
        store.save(pausedWith("nested", null, List.of(parallel)));

        StepResult loaded = store.load("nested").orElseThrow().history().get(0);

        assertEquals(parallel, loaded, "a nested result comes back equal, BigDecimal costs with their scale");
        assertEquals(new BigDecimal("0.0010"), loaded.children().get(0).children().get(0).usage().costUsd());
    }

    /**
     * A store on a DataSource whose pool holds one connection (a common setting for SQLite, and what a pool under load
     * looks like). Every operation is one statement, so one connection at a time must be enough.
     */
    @Test
    void claimNeedsOnlyOneConnectionAtATime() {
        JdbcStateStore store = new JdbcStateStore(new SingleConnectionDataSource("jdbc:sqlite:" + dir.resolve("s.db")));
        store.save(StateStoreContract.paused("run-1"));
        assertEquals(RunStatus.PAUSED, store.load("run-1").orElseThrow().status());

        // claim() holds its connection while load() opens a second one: with a pool of one it fails (or, with a
        // blocking pool, waits for its own connection) although the run is PAUSED and nobody else claims it
        assertEquals(RunStatus.RESUMED, store.claim("run-1").orElseThrow().status());
    }

    /** Found reviewing the pause ids (issue 7): a store failure quoted the pause id whole, token included. */
    @Test
    void aStoreFailureDoesNotQuoteTheTokenOfAPauseId() {
        String pauseId = PausedRun.newPauseId("run-1", 1);
        JdbcStateStore store = new JdbcStateStore("jdbc:sqlite:" + dir.resolve("no-such-dir").resolve("s.db"));
        for (Runnable call : new Runnable[] { () -> store.load(pauseId), () -> store.claim(pauseId) }) {
            FlujoException e = assertThrows(FlujoException.class, call::run);
            assertFalse(e.getMessage().contains(pauseId.substring(pauseId.length() - 28)), e.getMessage());
            assertTrue(e.getMessage().contains("run-1.2."), e.getMessage());
        }
    }

    /** A pool of size one: a second concurrent getConnection() fails instead of blocking forever. */
    private static final class SingleConnectionDataSource implements DataSource {
        private final String url;
        private final AtomicInteger open = new AtomicInteger();

        SingleConnectionDataSource(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (open.incrementAndGet() > 1) {
                open.decrementAndGet();
                throw new SQLException("pool exhausted: the one connection is already in use");
            }
            Connection real = DriverManager.getConnection(url);
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] { Connection.class }, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            open.decrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
