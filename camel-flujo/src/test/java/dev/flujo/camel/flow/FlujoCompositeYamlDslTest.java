package dev.flujo.camel.flow;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.YamlRoutes;
import dev.flujo.core.state.ResumeRejectedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.camel.flow.FlowAssertions.assertContains;
import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.names;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The composite kinds from the Camel YAML DSL: src/test/resources/routes/{parallel,loop,human}.camel.yaml. The human
 * routes read their state store from the {{flujo.stateUrl}} property placeholder, pointed at a temporary directory.
 */
class FlujoCompositeYamlDslTest extends CamelTestSupport {

    private static final List<String> ROUTE_FILES = List.of("parallel", "loop", "human");

    @TempDir
    Path dir;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        Properties properties = new Properties();
        properties.setProperty("flujo.stateUrl", "jdbc:sqlite:" + dir.resolve("flujo-state.db"));
        camel.getPropertiesComponent().setOverrideProperties(properties);
        return camel;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return YamlRoutes.load(context, ROUTE_FILES);
    }

    @Test
    void allRouteFilesAreLoaded() {
        assertEquals(8, context.getRoutes().size(), context.getRoutes().toString());
    }

    @Test
    void parallelWithNamedBranches() throws Exception {
        getMockEndpoint("mock:yaml-research").expectedHeaderReceived(FlujoConstants.BRANCH, "research");
        getMockEndpoint("mock:yaml-critic").expectedHeaderReceived(FlujoConstants.BRANCH, "critic");
        getMockEndpoint("mock:yaml-review").expectedBodiesReceived("facts about rust | doubts about rust | ana+bo");

        Exchange out = template.request("direct:yaml-review", e -> e.getMessage().setBody("rust"));

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of("research", "critic"), names(runOf(out).lastResult("yamlReview").children()));
    }

    @Test
    void loopUntilAPropertyCondition() throws Exception {
        MockEndpoint refined = getMockEndpoint("mock:yaml-refined");
        refined.expectedBodiesReceived("draft!!!");
        refined.expectedHeaderReceived(FlujoConstants.EXIT_REASON, "condition");
        refined.expectedPropertyReceived("rounds", 3);

        Exchange out = template.request("direct:yaml-refine-loop", e -> {
            e.setProperty("rounds", 0);
            e.getMessage().setBody("draft");
        });

        assertNull(out.getException(), () -> messages(out.getException()));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void humanPauseThenResume() throws Exception {
        getMockEndpoint("mock:yaml-not-reached").expectedMessageCount(0);
        MockEndpoint approved = getMockEndpoint("mock:yaml-approved");
        approved.expectedBodiesReceived("my draft: approved=true");
        approved.expectedHeaderReceived(FlujoConstants.STATUS, FlujoConstants.STATUS_RESUMED);

        Exchange paused = template.request("direct:yaml-approval", e -> e.getMessage().setBody("my draft"));
        assertNull(paused.getException(), () -> messages(paused.getException()));
        assertEquals(FlujoConstants.STATUS_PAUSED, paused.getMessage().getHeader(FlujoConstants.STATUS));
        assertEquals("Approve 'my draft'?", paused.getMessage().getBody());
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);

        Exchange rejected = template.request("direct:yaml-resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("{\"approved\": 1}");
        });
        assertContains(String.join("\n", exceptionOf(rejected, ResumeRejectedException.class).getProblems()),
                "approved");

        Exchange resumed = template.request("direct:yaml-resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("{\"approved\": true}");
        });

        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        MockEndpoint.assertIsSatisfied(context);
    }
}
