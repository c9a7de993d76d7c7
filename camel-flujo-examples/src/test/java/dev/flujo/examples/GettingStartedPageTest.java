package dev.flujo.examples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/getting-started.md, followed as a new user would: its route file and application.properties, copied from the
 * page, run with {@code org.apache.camel.main.Main} in a JVM of their own (the page's run command is {@code exec:java}
 * with that main class), which must stop by itself and print the lines the page shows. The classpath is this module's,
 * which holds the page's dependencies (checked); it also holds more, so the page's claim that camel-bean is needed is
 * checked by leaving it out.
 */
class GettingStartedPageTest {

    private static final Path PAGE = Path.of("../docs/getting-started.md");
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```", Pattern.DOTALL);

    @Test
    void theRouteOfThePagePrintsTheAnswerAndTheRunTotalsItShowsAndStops(@TempDir Path app) throws Exception {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        writeApplication(page, app);

        Run run = runMain(app, classpath());

        assertEquals(0, run.exitCode(), run.output());
        for (String line : block(page, "text", "it prints:").lines().toList()) {
            assertTrue(run.output().contains(line), "the page shows '" + line + "'; the application printed:\n" + run.output());
        }
    }

    @Test
    void withoutCamelBeanTheRunTotalsFailTheRouteStartAsThePageSays(@TempDir Path app) throws Exception {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        writeApplication(page, app);
        String withoutBean = Arrays.stream(classpath().split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("camel-bean-"))
                .collect(Collectors.joining(File.pathSeparator));

        Run run = runMain(app, withoutBean);

        assertNotEquals(0, run.exitCode(), "the route start fails: " + run.output());
        assertTrue(run.output().contains("No language could be found for: bean"), run.output());
        assertTrue(page.contains("No language could be found for: bean"), "the page names the error");
    }

    @Test
    void thePomOfThePageDeclaresEveryCompanionItExplainsAndThisModuleHasThem() throws Exception {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        String pom = block(page, "xml", "`pom.xml`:");
        List<String> explained = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `(camel-[a-z-]+)` \\|").matcher(page);
        while (row.find()) {
            explained.add(row.group(1));
        }
        assertEquals(List.of("camel-main", "camel-yaml-dsl", "camel-direct", "camel-bean", "camel-timer"), explained);
        String modulePom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        for (String artifact : explained) {
            assertTrue(pom.contains("<artifactId>" + artifact + "</artifactId>"), artifact + " in the page's pom");
            assertTrue(modulePom.contains("<artifactId>" + artifact + "</artifactId>"), artifact + " in this module");
        }
        assertTrue(pom.contains("<artifactId>camel-flujo</artifactId>"), pom);
        assertTrue(pom.contains("<version>4.18.0</version>"), "the camel-bom of the page is the project's Camel");
    }

    /** The page's route file and properties, where the page says they go (under src/main/resources). */
    private static void writeApplication(String page, Path app) throws IOException {
        Path routes = Files.createDirectories(app.resolve("camel"));
        Files.writeString(routes.resolve("hello.camel.yaml"), block(page, "yaml", "src/main/resources/camel/hello.camel.yaml"));
        Files.writeString(app.resolve("application.properties"),
                block(page, "properties", "src/main/resources/application.properties"));
    }

    /** The first fenced block of the language after the first line that mentions the marker. */
    static String block(String page, String language, String marker) {
        int at = page.indexOf(marker);
        assertTrue(at >= 0, "the page mentions " + marker);
        Matcher m = FENCE.matcher(page);
        while (m.find(at)) {
            if (m.group(1).equals(language)) {
                return m.group(2);
            }
            at = m.end();
        }
        throw new AssertionError("no ```" + language + " block after " + marker);
    }

    /** This test JVM's classpath (surefire passes the full test classpath in java.class.path). */
    private static String classpath() {
        String classpath = System.getProperty("java.class.path");
        assertTrue(classpath.contains("camel-main-"), "the test classpath lists its jars: " + classpath);
        return classpath;
    }

    private record Run(int exitCode, String output) {
    }

    private static Run runMain(Path app, String classpath) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = app.resolve("output.log");
        // slf4j-simple's own default (info): this module's simplelogger.properties quiets its examples to warn
        Process process = new ProcessBuilder(
                java.toString(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp",
                app + File.pathSeparator + classpath, "org.apache.camel.main.Main").directory(app.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        // camel-main's duration-max-messages ends the application; a hung one fails the test instead of the build
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the application did not stop by itself:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
