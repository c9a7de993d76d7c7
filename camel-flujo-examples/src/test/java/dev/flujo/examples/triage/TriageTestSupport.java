package dev.flujo.examples.triage;

import java.nio.file.Path;
import java.util.Map;

import dev.flujo.examples.openai.OpenAiChat;
import org.apache.camel.main.Main;

/** Starts the triage example's camel-main as its main method does, with the test's state store and settings. */
public final class TriageTestSupport {

    private TriageTestSupport() {
    }

    public static String stateUrl(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("flujo-triage-state.db");
    }

    /** {@code java} or {@code yaml}: the example's camel-main, as {@link TriageExample#main} makes it. */
    public static Main main(String dsl) {
        return "yaml".equals(dsl) ? TriageExample.yamlDsl() : TriageExample.javaDsl();
    }

    /**
     * @param overrides properties that win over triage.properties; the model endpoint stays off (whatever the
     *                  environment says) unless they set {@value OpenAiChat#BASE_URL}
     */
    public static Main start(Main main, Path stateDir, Map<String, String> overrides) throws Exception {
        main.addOverrideProperty("camel.component.flujo.stateUrl", stateUrl(stateDir));
        main.addOverrideProperty(OpenAiChat.BASE_URL, "");
        overrides.forEach(main::addOverrideProperty);
        main.start();
        return main;
    }
}
