package dev.flujo.camel;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.flujo.core.telemetry.StepStatistics;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics API (endpoint and component), the recommendations computed from it, and the same figures over JMX and
 * in the flujo dev console, where JConsole and Camel's dev console users see them.
 */
class FlujoStatisticsTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent echo = bind("echo", TestAgents.answering(r -> "echo:" + r.input()));
    // answers 20 ms later, which is certainly over a 1 ms threshold
    private final dev.flujo.core.agent.FlujoAgent slow = bind("slow", r -> java.util.concurrent.CompletableFuture
            .supplyAsync(() -> dev.flujo.core.agent.AgentResponse.of("late"), java.util.concurrent.CompletableFuture
                    .delayedExecutor(20, java.util.concurrent.TimeUnit.MILLISECONDS)));

    @Override
    protected boolean jmxAndDevConsole() {
        return true;
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:watched").to("flujo:step:watched?agent=#echo&cache=true&cacheMaxSize=50"
                                    + "&enablePerformanceMonitoring=true");
        r.from("direct:plain").to("flujo:step:plain?agent=#echo");
        r.from("direct:slow").to("flujo:step:slow?agent=#slow&enablePerformanceMonitoring=true"
                                 + "&slowExecutionThresholdMs=1");
    }

    private FlujoEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, FlujoEndpoint.class);
    }

    @Test
    void statisticsCountEveryExecutionAndRecommendALargerCacheWhenInputsRarelyRepeat() {
        for (int i = 0; i < 30; i++) {
            template.requestBody("direct:watched", "distinct-" + i);
        }
        template.requestBody("direct:watched", "distinct-0");

        FlujoEndpoint watched = endpoint("flujo:step:watched?agent=#echo&cache=true&cacheMaxSize=50"
                                         + "&enablePerformanceMonitoring=true");
        Map<String, Object> stats = watched.getPerformanceStatistics();
        assertEquals(31L, stats.get("executionCount"));
        assertEquals(1L, stats.get("cacheHits"));
        assertEquals(30L, stats.get("cacheMisses"));
        assertTrue((double) stats.get("p99Ms") >= (double) stats.get("p50Ms"));
        List<StepStatistics.Recommendation> advice = watched.getPerformanceRecommendations();
        assertEquals(1, advice.size(), advice.toString());
        assertTrue(advice.get(0).description().contains("cacheMaxSize above 50"), advice.toString());
        assertEquals(true, watched.getOptimizationStats().get("cache"));

        FlujoComponent component = context.getComponent("flujo", FlujoComponent.class);
        assertEquals(Set.of("flujo://step:watched?agent=%23echo&cache=true&cacheMaxSize=50"
                            + "&enablePerformanceMonitoring=true",
                "flujo://step:slow?agent=%23slow&enablePerformanceMonitoring=true"
                                                                   + "&slowExecutionThresholdMs=1"),
                component.getPerformanceStatistics().keySet(),
                "every monitored endpoint, not the unmonitored one");
        assertEquals(1, component.getPerformanceRecommendations().size());
    }

    @Test
    void slowExecutionsAreCountedInTheStatistics() {
        template.requestBody("direct:slow", "a");

        assertEquals(1L, endpoint("flujo:step:slow?agent=#slow&enablePerformanceMonitoring=true"
                                  + "&slowExecutionThresholdMs=1")
                .getPerformanceStatistics().get("slowExecutions"));
    }

    @Test
    void withoutMonitoringThereAreNoStatistics() {
        template.requestBody("direct:plain", "a");

        assertTrue(endpoint("flujo:step:plain?agent=#echo").getPerformanceStatistics().isEmpty());
    }

    @Test
    void theFiguresAreAManagedResourceOverJmx() throws Exception {
        template.requestBody("direct:watched", "a");
        template.requestBody("direct:watched", "a");

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName(
                "org.apache.camel:context=" + context.getName()
                                                                 + ",type=endpoints,name=\"flujo://step:watched*\""),
                null);
        assertEquals(1, names.size(), names.toString());
        ObjectName name = names.iterator().next();
        assertEquals(2L, server.getAttribute(name, "ExecutionCount"));
        assertEquals(0.5, (double) server.getAttribute(name, "CacheHitRate"), 1e-9);
        String all = (String) server.invoke(name, "performanceStatistics", null, null);
        assertTrue(all.contains("executionCount=2"), all);
    }

    @Test
    void theOptimizationsCanBeSwitchedOverJmxOnTheComponentAndOnAnEndpoint() throws Exception {
        template.requestBody("direct:watched", "a");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName component = new ObjectName(
                "org.apache.camel:context=" + context.getName()
                                              + ",type=components,name=\"flujo\"");
        ObjectName watched = server.queryNames(new ObjectName(
                "org.apache.camel:context=" + context.getName()
                                                              + ",type=endpoints,name=\"flujo://step:watched*\""),
                null).iterator().next();

        server.invoke(component, "disableOptimizations", null, null);
        assertEquals(Boolean.FALSE, server.getAttribute(component, "OptimizationsEnabled"));
        assertEquals(Boolean.FALSE, server.getAttribute(watched, "OptimizationsEnabled"));

        server.invoke(watched, "enableOptimizations", null, null);
        assertEquals(Boolean.TRUE, server.getAttribute(watched, "OptimizationsEnabled"));
        server.invoke(watched, "updateOption", new Object[] { "cacheMaxSize", "77" },
                new String[] { String.class.getName(), String.class.getName() });
        assertEquals(77L, endpoint("flujo:step:watched?agent=#echo&cache=true&cacheMaxSize=50"
                                   + "&enablePerformanceMonitoring=true")
                .getOptimizationStats().get("cacheMaxSize"));
    }

    @Test
    void theFlujoDevConsoleShowsEveryEndpoint() {
        template.requestBody("direct:watched", "a");

        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class)
                .resolveById("flujo");
        assertNotNull(console, "the flujo dev console is registered");
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        assertTrue(text.contains("flujo://step:watched"), text);
        assertTrue(text.contains("executionCount=1"), text);
        Map<?, ?> json = (Map<?, ?>) console.call(DevConsole.MediaType.JSON);
        assertFalse(json.isEmpty());
    }
}
