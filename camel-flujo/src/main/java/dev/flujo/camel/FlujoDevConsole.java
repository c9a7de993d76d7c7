package dev.flujo.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Component;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code flujo} dev console: every flujo endpoint with its optimizations and, where monitoring is on, its
 * performance statistics and recommendations. Shown by Camel's HTTP dev console when camel-console is on the
 * classpath and the dev console is enabled.
 */
@DevConsole(name = "flujo", displayName = "Flujo", description = "Flujo steps: statistics and recommendations")
public class FlujoDevConsole extends AbstractDevConsole {

    public FlujoDevConsole() {
        super("camel", "flujo", "Flujo", "Flujo steps: statistics and recommendations");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (FlujoEndpoint endpoint : endpoints()) {
            sb.append(FlujoUris.sanitize(endpoint.getEndpointUri())).append('\n');
            sb.append("    optimizations: ").append(endpoint.getOptimizationStats()).append('\n');
            if (!endpoint.getPerformanceStatistics().isEmpty()) {
                sb.append("    statistics: ").append(endpoint.getPerformanceStatistics()).append('\n');
            }
            endpoint.getPerformanceRecommendations().forEach(r -> sb.append("    recommendation (").append(r.priority())
                    .append("): ").append(r.description()).append('\n'));
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        for (FlujoEndpoint endpoint : endpoints()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("optimizations", endpoint.getOptimizationStats());
            entry.put("statistics", endpoint.getPerformanceStatistics());
            entry.put("recommendations", endpoint.getPerformanceRecommendations().stream()
                    .map(r -> Map.of("description", r.description(), "impact", r.impact(), "priority", r.priority()))
                    .toList());
            root.put(FlujoUris.sanitize(endpoint.getEndpointUri()), new JsonObject(entry));
        }
        return root;
    }

    private java.util.List<FlujoEndpoint> endpoints() {
        Component component = getCamelContext().hasComponent("flujo");
        return component instanceof FlujoComponent flujo ? flujo.endpoints() : java.util.List.of();
    }
}
