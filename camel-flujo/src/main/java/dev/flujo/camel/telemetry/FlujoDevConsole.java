package dev.flujo.camel.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.flujo.camel.FlujoComponent;
import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.camel.option.FlujoUris;
import org.apache.camel.Component;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code flujo} dev console: every flujo endpoint with its execution options (the JSON of
 * {@code OptimizationConfig}), its optimizations and, where monitoring is on, its performance statistics and
 * recommendations. Shown by Camel's HTTP dev console when camel-console is on the classpath and the dev console is
 * enabled.
 *
 * <p>
 * It also imports a configuration: the option {@value #IMPORT} with the JSON, and {@value #ENDPOINT} with the URI of
 * the endpoint to apply it to (without it, the component defaults and every endpoint): the same as the
 * {@code importConfig} operation of the endpoint's or the component's JMX bean. The answer says what changed, or why
 * the configuration was refused.
 */
@DevConsole(name = "flujo", displayName = "Flujo", description = "Flujo steps: statistics and recommendations")
public class FlujoDevConsole extends AbstractDevConsole {

    /** The console option holding the OptimizationConfig JSON to import. */
    public static final String IMPORT = "importConfig";
    /** The console option naming the endpoint (its URI as the console lists it) an import applies to. */
    public static final String ENDPOINT = "endpoint";

    public FlujoDevConsole() {
        super("camel", "flujo", "Flujo", "Flujo steps: statistics and recommendations");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> imported = importIfAsked(options);
        if (imported != null) {
            sb.append("import: ").append(imported).append('\n');
        }
        for (FlujoEndpoint endpoint : endpoints()) {
            sb.append(FlujoUris.sanitize(endpoint.getEndpointUri())).append('\n');
            sb.append("    config: ").append(endpoint.exportConfig()).append('\n');
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
        Map<String, Object> imported = importIfAsked(options);
        if (imported != null) {
            root.put("import", new JsonObject(imported));
        }
        for (FlujoEndpoint endpoint : endpoints()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("config", endpoint.exportConfig());
            entry.put("optimizations", endpoint.getOptimizationStats());
            entry.put("statistics", endpoint.getPerformanceStatistics());
            entry.put("recommendations", endpoint.getPerformanceRecommendations().stream()
                    .map(r -> Map.of("description", r.description(), "impact", r.impact(), "priority", r.priority()))
                    .toList());
            root.put(FlujoUris.sanitize(endpoint.getEndpointUri()), new JsonObject(entry));
        }
        return root;
    }

    /**
     * Imports the configuration the options carry, if any: {@code changed} (option → new value) or {@code refused} (the
     * problem, naming the option); {@code null} when nothing was asked.
     */
    private Map<String, Object> importIfAsked(Map<String, Object> options) {
        Object json = options.get(IMPORT);
        if (json == null) {
            return null;
        }
        Object target = options.get(ENDPOINT);
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            Map<String, Object> changed;
            if (target == null) {
                Component component = getCamelContext().hasComponent("flujo");
                if (!(component instanceof FlujoComponent flujo)) {
                    throw new dev.flujo.core.FlujoConfigurationException("no flujo component in this context");
                }
                changed = flujo.importConfig(json.toString());
            } else {
                FlujoEndpoint endpoint = endpoints().stream()
                        .filter(e -> FlujoUris.sanitize(e.getEndpointUri()).equals(target.toString())).findFirst()
                        .orElseThrow(() -> new dev.flujo.core.FlujoConfigurationException(
                                "no flujo endpoint "
                                                                                          + target));
                changed = endpoint.importConfig(json.toString());
            }
            answer.put("changed", new JsonObject(changed));
        } catch (dev.flujo.core.FlujoConfigurationException e) {
            answer.put("refused", e.getMessage());
        }
        return answer;
    }

    private java.util.List<FlujoEndpoint> endpoints() {
        Component component = getCamelContext().hasComponent("flujo");
        return component instanceof FlujoComponent flujo ? flujo.endpoints() : java.util.List.of();
    }
}
