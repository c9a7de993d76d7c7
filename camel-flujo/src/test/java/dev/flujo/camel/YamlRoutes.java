package dev.flujo.camel;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads {@code src/test/resources/routes/<name>.camel.yaml} files with the YAML DSL, as camel-main would. */
public final class YamlRoutes {

    private YamlRoutes() {
    }

    public static RoutesBuilder[] load(CamelContext context, List<String> names) throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>();
        for (String file : names) {
            Resource resource = PluginHelper.getResourceLoader(context)
                    .resolveResource("classpath:routes/" + file + ".camel.yaml");
            assertTrue(resource.exists(), resource.getLocation());
            builders.addAll(PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource));
        }
        return builders.toArray(new RoutesBuilder[0]);
    }
}
