package dev.flujo.examples.triage;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The triage pipeline from the YAML route files (routes/triage.camel.yaml, routes/openai-chat.camel.yaml, beans
 * declared in them), loaded by camel-main with the YAML DSL. Also runs the exact file set of docs/examples.md's
 * {@code camel run} command, demo trigger included.
 */
class TriageYamlDslTest extends TriageBehaviour {

    /** The files of the camel run command in docs/examples.md, read from the source tree as camel run reads them. */
    static final String CAMEL_RUN_FILES = "file:src/main/resources/routes/triage.camel.yaml,"
                                          + "file:src/main/resources/routes/openai-chat.camel.yaml,file:src/main/resources/routes/triage-demo.camel.yaml";

    @Override
    String dsl() {
        return "yaml";
    }

    @Test
    void theYamlPipelineDoesWhatTheJavaPipelineDoes(@TempDir Path javaDir) throws Exception {
        Main java = TriageTestSupport.start(TriageTestSupport.main("java"), javaDir, Map.of());
        try {
            assertEquals(TriageDemo.report(TriageDemo.runSamples(java.getCamelContext())), TriageDemo.report(outcomes));
        } finally {
            java.stop();
        }
    }

    @Test
    void theCamelRunFilesRunTheDemoWithItsPausesAndResumes(@TempDir Path runDir) throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:src/main/resources/triage.properties");
        main.configure().withRoutesIncludePattern(CAMEL_RUN_FILES);
        NotifyBuilder[] demoDone = new NotifyBuilder[1];
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // the expected report: what the same pipeline made of the same tickets in runTheSamples
                demoDone[0] = new NotifyBuilder(configured.getCamelContext()).fromRoute("triage-demo").whenDone(1)
                        .whenBodiesDone(TriageDemo.report(outcomes)).create();
            }
        });
        TriageTestSupport.start(main, runDir, Map.of());
        try {
            assertTrue(demoDone[0].matches(30, TimeUnit.SECONDS), "the demo route printed the samples' report");
        } finally {
            main.stop();
        }
    }
}
