package dev.flujo.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * a store on a DataSource whose pool holds one connection (a common setting for SQLite, and what a pool
 * under load looks like). Every operation is one statement, so one connection at a time must be enough.
 */
class JdbcStateStoreRegressionTest {

    @TempDir
    Path dir;

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
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
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
        for (Runnable call : new Runnable[] {() -> store.load(pauseId), () -> store.claim(pauseId)}) {
            dev.flujo.core.FlujoException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.flujo.core.FlujoException.class, call::run);
            org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains(pauseId.substring(pauseId.length() - 28)),
                    e.getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("run-1.2."), e.getMessage());
        }
    }
}
