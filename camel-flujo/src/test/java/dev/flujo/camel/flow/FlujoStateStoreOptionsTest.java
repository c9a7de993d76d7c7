package dev.flujo.camel.flow;

import java.nio.file.Path;
import java.util.List;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.state.InMemoryStateStore;
import dev.flujo.core.state.RunStatus;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import static dev.flujo.camel.flow.FlowAssertions.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The state store of human and resume endpoints: memory, a DataSource bean, a StateStore bean. */
class FlujoStateStoreOptionsTest extends CamelTestSupport {

    @TempDir
    Path dir;

    private final InMemoryStateStore customStore = new InMemoryStateStore();

    @Override
    protected void bindToRegistry(Registry registry) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("datasource.db"));
        registry.bind("stateDs", dataSource);
        registry.bind("customStore", customStore);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String store : List.of("stateStore=memory", "stateDataSource=#stateDs", "stateStore=#customStore")) {
                    String id = store.substring(store.indexOf('=') + 1).replace("#", "");
                    from("direct:ask-" + id).to("flujo:human:ask-" + id + "?resumeUri=direct:answered&" + store);
                    from("direct:resume-" + id).to("flujo:resume?" + store);
                }
                from("direct:answered").to("mock:answered");
            }
        };
    }

    /** @return the pause id */
    private String pauseAndResume(String id) throws Exception {
        MockEndpoint answered = getMockEndpoint("mock:answered");
        answered.expectedBodiesReceived("yes");
        Exchange paused = template.request("direct:ask-" + id, e -> e.getMessage().setBody("q"));
        assertNull(paused.getException(), () -> messages(paused.getException()));
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange resumed = template.request("direct:resume-" + id, e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("yes");
        });

        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        answered.assertIsSatisfied();
        return runId;
    }

    @Test
    void memoryStoreIsSharedByTheHumanAndResumeEndpointsOfAComponent() throws Exception {
        pauseAndResume("memory");
    }

    @Test
    void dataSourceBean() throws Exception {
        pauseAndResume("stateDs");
    }

    @Test
    void stateStoreBean() throws Exception {
        String pauseId = pauseAndResume("customStore");
        assertEquals(RunStatus.RESUMED, customStore.load(pauseId).orElseThrow().status());
    }
}
