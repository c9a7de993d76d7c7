package dev.flujo.core.state;

import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The JDBC store on PostgreSQL through a {@code DataSource}, as deployments with several Camel instances use it. Runs
 * where {@code FLUJO_TEST_POSTGRES_URL} names a database: {@code .ci/run} starts a throwaway server and sets it (and
 * fails if it cannot), so CI always runs these.
 */
@EnabledIfEnvironmentVariable(named = "FLUJO_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresStateStoreTest extends StateStoreContract {

    private PGSimpleDataSource dataSource;
    private JdbcStateStore store;

    @BeforeEach
    void open() throws Exception {
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(System.getenv("FLUJO_TEST_POSTGRES_URL"));
        dropTable();
        store = new JdbcStateStore(dataSource);
    }

    @AfterEach
    void clean() throws Exception {
        dropTable();
    }

    private void dropTable() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE IF EXISTS " + JdbcStateStore.TABLE);
        }
    }

    @Override
    StateStore store() {
        return store;
    }
}
