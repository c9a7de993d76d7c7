package dev.flujo.examples.triage;

import java.util.List;

import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.examples.openai.OpenAiChatRoutes;
import org.apache.camel.main.Main;

/**
 * Runs the triage pipeline over the sample tickets with camel-main and prints each ticket's path, usage and reply.
 *
 * <pre>
 * mvn -B -q -DskipTests -Prun-triage package        # Java DSL: TriageRoutes
 * mvn -B -q -DskipTests -Prun-triage-yaml package   # YAML DSL: routes/triage.camel.yaml, routes/openai-chat.camel.yaml
 * </pre>
 */
public final class TriageExample {

    /** The YAML route files; their beans are declared in them. */
    public static final String YAML_ROUTES = "classpath:routes/triage.camel.yaml,classpath:routes/openai-chat.camel.yaml";

    private TriageExample() {
    }

    /** {@code java} (the default) or {@code yaml}. */
    public static void main(String[] args) throws Exception {
        Main main = args.length > 0 && "yaml".equals(args[0]) ? yamlDsl() : javaDsl();
        main.start();
        List<TriageDemo.Outcome> outcomes;
        try {
            outcomes = TriageDemo.runSamples(main.getCamelContext());
        } finally {
            main.stop();
        }
        System.out.print(TriageDemo.report(outcomes));
        // a run stopped by its budget is part of the demo; any other error is not
        boolean failed = outcomes.stream()
                .anyMatch(o -> o.error() != null && !(o.error() instanceof UsageLimitExceededException));
        System.exit(failed ? 1 : 0);
    }

    /** camel-main with the Java DSL routes and the agents bound as beans. */
    public static Main javaDsl() {
        Main main = configured();
        main.configure().addRoutesBuilder(new TriageRoutes());
        main.configure().addRoutesBuilder(new OpenAiChatRoutes());
        main.bind("classifier", TriageAgents.classifier());
        main.bind("researcher", TriageAgents.researcher());
        main.bind("policyChecker", TriageAgents.policyChecker());
        return main;
    }

    /** camel-main with the YAML DSL route files, which declare their own beans. */
    public static Main yamlDsl() {
        Main main = configured();
        main.configure().withRoutesIncludePattern(YAML_ROUTES);
        return main;
    }

    private static Main configured() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("classpath:triage.properties");
        return main;
    }
}
