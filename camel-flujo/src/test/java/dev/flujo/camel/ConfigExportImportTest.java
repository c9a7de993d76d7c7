package dev.flujo.camel;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.flujo.camel.telemetry.FlujoDevConsole;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.exec.StepPlan;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The effective execution options of an endpoint or of the component go out as OptimizationConfig JSON and come back in
 * - through the endpoint's and the component's JMX beans and the flujo dev console - validated and applied like any
 * runtime change, or refused whole naming the bad option.
 */
class ConfigExportImportTest extends FlujoRouteTestSupport {

    private static final String STEP = "flujo:step:summarize?agent=#echo&maxRetries=2&cache=true";
    private static final String PARALLEL = "flujo:parallel:fan?branches=direct:a,direct:b";

    private final TestAgents.CountingAgent echo = bind("echo", TestAgents.answering(r -> "echo:" + r.input()));

    @Override
    protected boolean jmxAndDevConsole() {
        return true;
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:summarize").to(STEP);
        r.from("direct:fan").to(PARALLEL);
        r.from("direct:a").setBody(r.constant("a"));
        r.from("direct:b").setBody(r.constant("b"));
    }

    private FlujoEndpoint step() {
        return context.getEndpoint(STEP, FlujoEndpoint.class);
    }

    private int planRetries() {
        return ((StepPlan) step().getPlan()).maxAttempts() - 1;
    }

    @Test
    void anExportedConfigurationIsTheEndpointsOptionsAndImportingItBackChangesNothing() {
        String exported = step().exportConfig();
        OptimizationConfig config = OptimizationConfig.fromJson(exported);
        assertEquals(2, config.retry().maxRetries());
        assertTrue(config.caching().cache());

        assertEquals(Map.of(), step().importConfig(exported));
        assertEquals(exported, step().exportConfig());
    }

    @Test
    void anImportedConfigurationChangesTheOptionsThatDifferForTheNextExchange() {
        String changed = step().exportConfig().replace("\"maxRetries\":2", "\"maxRetries\":4")
                .replace("\"cacheMaxSize\":10000", "\"cacheMaxSize\":50");

        Map<String, Object> applied = step().importConfig(changed);

        assertEquals(Map.of("maxRetries", "4", "cacheMaxSize", "50"), applied);
        assertEquals(4, planRetries());
        assertEquals(50L, step().getOptimizationStats().get("cacheMaxSize"));
        assertEquals("echo:x", template.requestBody("direct:summarize", "x"));
    }

    @Test
    void aBadConfigurationIsRefusedWholeNamingTheOptionAndChangesNothing() {
        String before = step().exportConfig();
        String bad = before.replace("\"maxRetries\":2", "\"maxRetries\":-3")
                .replace("\"cacheMaxSize\":10000", "\"cacheMaxSize\":50");

        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class, () -> step().importConfig(bad));
        assertTrue(e.getMessage().contains("maxRetries"), e.getMessage());
        assertEquals(before, step().exportConfig());

        e = assertThrows(FlujoConfigurationException.class, () -> step().importConfig("{\"maxRetrys\":1}"));
        assertTrue(e.getMessage().contains("maxRetrys"), e.getMessage());
        assertEquals(2, planRetries());
    }

    @Test
    void anOptionTheKindDoesNotTakeIsRefusedNamingIt() {
        FlujoEndpoint parallel = context.getEndpoint(PARALLEL, FlujoEndpoint.class);
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> parallel.importConfig("{\"maxRetries\":5}"));
        assertTrue(e.getMessage().contains("maxRetries"), e.getMessage());
        assertTrue(e.getMessage().contains("does not apply to flujo:parallel"), e.getMessage());
    }

    @Test
    void theComponentImportsDefaultsForEveryEndpointWhereTheUriDoesNotSetThem() {
        FlujoComponent component = context.getComponent("flujo", FlujoComponent.class);
        String defaults = component.exportConfig();
        assertEquals(OptimizationConfig.defaults().retry(), OptimizationConfig.fromJson(defaults).retry());

        component.importConfig("{\"maxRetries\":3,\"timeout\":\"PT5S\"}");

        OptimizationConfig now = OptimizationConfig.fromJson(component.exportConfig());
        assertEquals(3, now.retry().maxRetries());
        assertEquals(java.time.Duration.ofSeconds(5), now.retry().timeout());
        // the step's URI sets maxRetries: it keeps 2, and takes the new time-out
        assertEquals(2, planRetries());
        assertEquals(java.time.Duration.ofSeconds(5), ((StepPlan) step().getPlan()).timeout());
    }

    @Test
    void jmxExportsAndImportsOnTheEndpointAndRefusesABadOne() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = server.queryNames(new ObjectName(
                "org.apache.camel:context=" + context.getName()
                                                           + ",type=endpoints,name=\"flujo://step:summarize*\""),
                null).iterator().next();
        String exported = (String) server.invoke(name, "exportConfig", null, null);
        assertEquals(step().exportConfig(), exported);

        server.invoke(name, "importConfig", new Object[] { "{\"maxRetries\":6,\"cache\":true}" },
                new String[] { String.class.getName() });
        assertEquals(6, planRetries());

        MBeanException refused = assertThrows(MBeanException.class, () -> server.invoke(name, "importConfig",
                new Object[] { "{\"timeout\":\"soon\"}" }, new String[] { String.class.getName() }));
        assertTrue(String.valueOf(refused.getCause()).contains("timeout"), String.valueOf(refused.getCause()));
        assertEquals(6, planRetries());

        ObjectName componentName = new ObjectName(
                "org.apache.camel:context=" + context.getName()
                                                  + ",type=components,name=\"flujo\"");
        assertTrue(((String) server.invoke(componentName, "exportConfig", null, null)).contains("\"maxRetries\":1"));
    }

    @Test
    void theDevConsoleShowsEachEndpointsConfigurationAndImportsOne() {
        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class)
                .resolveById("flujo");
        Map<?, ?> json = (Map<?, ?>) console.call(DevConsole.MediaType.JSON);
        Map<?, ?> entry = (Map<?, ?>) json.values().stream()
                .filter(v -> String.valueOf(((Map<?, ?>) v).get("config")).contains("\"maxRetries\":2")).findFirst()
                .orElseThrow();
        assertEquals(step().exportConfig(), entry.get("config"));

        String endpointKey = json.keySet().stream().map(String::valueOf).filter(k -> k.contains("summarize"))
                .findFirst().orElseThrow();
        Map<?, ?> answer = (Map<?, ?>) console.call(DevConsole.MediaType.JSON,
                Map.of(FlujoDevConsole.IMPORT, "{\"maxRetries\":7,\"cache\":true}", FlujoDevConsole.ENDPOINT,
                        endpointKey));
        assertEquals(Map.of("maxRetries", "7"), ((Map<?, ?>) answer.get("import")).get("changed"), answer.toString());
        assertEquals(7, planRetries());

        String refused = (String) console.call(DevConsole.MediaType.TEXT,
                Map.of(FlujoDevConsole.IMPORT, "{\"cacheMaxSize\":0}", FlujoDevConsole.ENDPOINT, endpointKey));
        assertTrue(refused.contains("refused") && refused.contains("cacheMaxSize"), refused);
        assertEquals(7, planRetries());
    }
}
