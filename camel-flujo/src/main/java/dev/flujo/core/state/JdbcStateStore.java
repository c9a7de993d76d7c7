package dev.flujo.core.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.sql.DataSource;

import dev.flujo.core.FlujoException;

/**
 * Paused runs in a relational table, one row per run: id, status and the run's JSON state. Works on SQLite (the
 * default, an embedded file: {@code jdbc:sqlite:flujo-state.db}) and on PostgreSQL (a {@link DataSource}, for several
 * Camel instances sharing paused runs). The table is created on first use.
 *
 * <p>
 * Every write is one statement in auto-commit mode, hence atomic and durable once it returns: a run saved before the
 * JVM is killed is there for the next JVM. {@link #claim} is a compare-and-set on the status column, so of two
 * concurrent resumes exactly one wins, across JVMs too.
 */
public final class JdbcStateStore implements StateStore {

    public static final String TABLE = "flujo_paused_run";

    /** Opens a connection; a DataSource's pool or, for a JDBC URL, the driver. */
    @FunctionalInterface
    private interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final ConnectionSource connections;
    private volatile boolean schemaReady;

    public JdbcStateStore(DataSource dataSource) {
        this.connections = dataSource::getConnection;
    }

    /** A store on a JDBC URL, e.g. {@code jdbc:sqlite:flujo-state.db}. */
    public JdbcStateStore(String jdbcUrl) {
        Properties properties = new Properties();
        // SQLite: wait for a concurrent writer instead of failing at once with SQLITE_BUSY
        properties.setProperty("busy_timeout", "5000");
        this.connections = () -> DriverManager.getConnection(jdbcUrl, properties);
    }

    @Override
    public void save(PausedRun run) {
        String json = StateCodec.write(run);
        execute("save run " + PausedRun.shown(run.pauseId()), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                                                           + " (run_id, status, state, updated_at) VALUES (?, ?, ?, ?)"
                                                           + " ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, state = excluded.state,"
                                                           + " updated_at = excluded.updated_at")) {
                ps.setString(1, run.pauseId());
                ps.setString(2, run.status().name());
                ps.setString(3, json);
                ps.setLong(4, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<PausedRun> load(String runId) {
        return execute("load run " + PausedRun.shown(runId), c -> read(c, runId));
    }

    private static Optional<PausedRun> read(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, status FROM " + TABLE + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                // the status column is the truth: claim() moves it without rewriting the JSON
                return Optional.of(StateCodec.read(rs.getString(1)).withStatus(RunStatus.valueOf(rs.getString(2))));
            }
        }
    }

    @Override
    public Optional<PausedRun> claim(String runId) {
        return execute("claim run " + PausedRun.shown(runId), c -> {
            // the status change and the read are one transaction on one connection
            c.setAutoCommit(false);
            try {
                Optional<PausedRun> claimed = Optional.empty();
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                                                               + " SET status = ?, updated_at = ? WHERE run_id = ? AND status = ?")) {
                    ps.setString(1, RunStatus.RESUMED.name());
                    ps.setLong(2, System.currentTimeMillis());
                    ps.setString(3, runId);
                    ps.setString(4, RunStatus.PAUSED.name());
                    if (ps.executeUpdate() == 1) {
                        claimed = read(c, runId);
                    }
                }
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public List<String> pausedRunIds() {
        return execute("list paused runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM " + TABLE
                                                           + " WHERE status = ? ORDER BY run_id")) {
                ps.setString(1, RunStatus.PAUSED.name());
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T execute(String what, Work<T> work) {
        try (Connection c = connections.open()) {
            ensureSchema(c);
            return work.run(c);
        } catch (SQLException e) {
            throw new FlujoException("State store could not " + what + ": " + e.getMessage(), e);
        }
    }

    private void ensureSchema(Connection c) throws SQLException {
        if (schemaReady) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS " + TABLE + " (run_id VARCHAR(200) PRIMARY KEY,"
                            + " status VARCHAR(20) NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL)");
        }
        schemaReady = true;
    }
}
