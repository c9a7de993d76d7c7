package dev.flujo.camel.flow;

import java.sql.Connection;
import java.sql.Statement;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.ResumeRejectedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two Camel instances sharing paused runs through PostgreSQL ({@code stateDataSource=#bean}): one pauses, the other
 * resumes, and the first cannot resume the same run again. Runs where {@code FLUJO_TEST_POSTGRES_URL} is set, which
 * {@code .ci/run} guarantees.
 */
@EnabledIfEnvironmentVariable(named = "FLUJO_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class FlujoHumanPostgresTest {

    private PGSimpleDataSource dataSource;
    private CamelContext first;
    private CamelContext second;

    @BeforeEach
    void start() throws Exception {
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(System.getenv("FLUJO_TEST_POSTGRES_URL"));
        dropTable();
        first = instance();
        second = instance();
    }

    @AfterEach
    void stop() throws Exception {
        first.stop();
        second.stop();
        dropTable();
    }

    private void dropTable() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE IF EXISTS " + JdbcStateStore.TABLE);
        }
    }

    private CamelContext instance() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("pg", dataSource);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").setProperty("ticket", simple("${body}"))
                        .to("flujo:human:approve?message=Approve ${body}?&resumeUri=direct:approved"
                            + "&stateDataSource=#pg");
                from("direct:answer").to("flujo:resume?stateDataSource=#pg");
                from("direct:approved").setBody(simple("${exchangeProperty.ticket}: ${body}"));
            }
        });
        camel.start();
        return camel;
    }

    @Test
    void oneInstancePausesAnotherResumesAndNoneResumesTwice() {
        ProducerTemplate onFirst = first.createProducerTemplate();
        ProducerTemplate onSecond = second.createProducerTemplate();
        Exchange paused = onFirst.request("direct:ask", e -> e.getMessage().setBody("T-1"));
        assertNull(paused.getException());
        assertEquals(FlujoConstants.STATUS_PAUSED, paused.getMessage().getHeader(FlujoConstants.STATUS));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange resumed = onSecond.request("direct:answer", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("\"yes\"");
        });
        assertNull(resumed.getException());
        assertEquals("T-1: yes", resumed.getMessage().getBody());

        Exchange again = onFirst.request("direct:answer", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("\"yes\"");
        });
        ResumeRejectedException rejected = assertInstanceOf(ResumeRejectedException.class, again.getException());
        assertEquals(ResumeRejectedException.Reason.NOT_PAUSED, rejected.getReason());
    }
}
