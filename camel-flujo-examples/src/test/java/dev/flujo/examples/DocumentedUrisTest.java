package dev.flujo.examples;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flujo.examples.DocumentedUris.Found;
import dev.flujo.examples.DocumentedUris.Kind;
import org.apache.camel.catalog.ConfigurationPropertiesValidationResult;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every flujo URI written in README.md, docs/ and the examples' sources, and every {@code camel.component.flujo.*}
 * setting there, passes camel-catalog's own validator loaded with catalog/flujo.json: an unknown option, a value of the
 * wrong type or outside an enum fails this test, naming the file and line.
 *
 * <p>
 * How URIs are found: {@link DocumentedUris}. How they are checked:
 * <ul>
 * <li>a URI with {@code DefaultCamelCatalog.validateEndpointProperties(uri)}; a YAML endpoint's {@code parameters} are
 * added to the options the catalog parsed from its {@code uri} ({@code endpointProperties}) and checked with
 * {@code validateProperties}, so a value is never re-encoded into a URI;</li>
 * <li>a setting with {@code validateConfigurationProperty("camel.component.flujo.x=v")};</li>
 * <li>{@code {{placeholders}}} are handed to the catalog as written: it checks the option names and skips the value
 * checks of an option whose value starts with {@code {{}. In the examples, a URI or setting is checked once more with
 * the placeholders that the examples' own .properties files (or a {@code :default}) resolve resolved.</li>
 * <li>{@code RAW(...)} values are handed over as written. camel-catalog 4.18's URI parser splits one at {@code &}
 * (Camel's runtime does not), so a URI with such a value has its query split by Camel's own {@code URISupport} and its
 * options checked with {@code validateProperties}. The catalog does not unwrap RAW: a typed option written as {@code
 * RAW(2)} is reported (write typed values without RAW).</li>
 * <li>A URI built at run time from Java values cannot be checked and fails the test; a {@code flujo:} mention on a line
 * that no extractor read fails it too, so nothing is skipped silently.</li>
 * </ul>
 */
class DocumentedUrisTest {

    /** The surefire working directory is the module directory; the files are read from the repository root. */
    private static final Path ROOT = Path.of("..");
    private static final Path EXAMPLES = ROOT.resolve("camel-flujo-examples/src/main");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::([^}]*))?}}");
    /** Camel's placeholder functions ({{env:NAME}}, ...): nothing here resolves them. */
    private static final Set<String> PROPERTY_FUNCTIONS = Set.of("env", "sys", "sysenv", "ref", "bean");

    /** What the validation results record as errors, by getter: getUnknown() is reported as "unknown=[...]". */
    private static final List<String> ERRORS = List.of("SyntaxError", "UnknownComponent", "Incapable", "Unknown",
            "Required", "InvalidEnum", "InvalidBoolean", "InvalidInteger", "InvalidNumber", "InvalidDuration",
            "InvalidReference", "InvalidMap", "InvalidArray");

    private static DefaultCamelCatalog catalog;

    @BeforeAll
    static void loadFlujoIntoCamelCatalog() throws IOException {
        String json = Files.readString(ROOT.resolve("catalog/flujo.json"), StandardCharsets.UTF_8);
        String javaType = new ObjectMapper().readTree(json).path("component").path("javaType").asText();
        catalog = new DefaultCamelCatalog();
        catalog.addComponent("flujo", javaType, json);
        assertEquals(javaType, catalog.componentModel("flujo").getJavaType());
    }

    @Test
    void everyFlujoUriInTheReadmeTheDocsAndTheExamplesIsValid() throws IOException {
        Map<String, String> placeholders = exampleProperties();
        List<String> problems = new ArrayList<>();
        Map<String, Map<Kind, Integer>> counts = new TreeMap<>();
        for (Path file : documentedFiles()) {
            String name = ROOT.relativize(file).toString().replace('\\', '/');
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Map<String, String> context = file.startsWith(EXAMPLES) ? placeholders : Map.of();
            Map<Kind, Integer> perKind = new TreeMap<>();
            problems.addAll(problems(name, text, context, perKind));
            counts.put(name, perKind);
        }

        StringBuilder report = new StringBuilder(
                "flujo URIs (URI), camel.component.flujo settings"
                                                 + " (COMPONENT_PROPERTY), scheme names and notations checked, by file:\n");
        counts.forEach((name, perKind) -> report.append("  ").append(name).append(' ').append(perKind).append('\n'));
        System.out.print(report);

        assertTrue(counts.containsKey("README.md") && counts.get("README.md").getOrDefault(Kind.URI, 0) > 0,
                "no URI found in README.md:\n" + report);
        assertTrue(counts.keySet().stream().anyMatch(n -> n.startsWith("camel-flujo-examples/")
                && counts.get(n).getOrDefault(Kind.URI, 0) > 0), "no URI found in the examples:\n" + report);
        assertEquals(List.of(), problems, report.toString());
    }

    // ---- the checks the test must be able to fail (each with its corrected form, which passes)

    @Test
    void anUnknownOptionInAJavaUriJoinedAcrossLinesFails() throws IOException {
        String broken = """
                # Steps
                ```java
                from("direct:a")
                    .to("flujo:step:answer?agent=direct:llm"   // the agent
                        + "&maxRetrys=2&timeout=30s");
                ```
                """;
        List<String> problems = problems("page.md", broken);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("page.md:4:"), problems.get(0));
        assertTrue(problems.get(0).contains("unknown=[maxRetrys]"), problems.get(0));
        assertEquals(List.of(), problems("page.md", broken.replace("maxRetrys", "maxRetries")));
    }

    @Test
    void javaStringVariablesAssignedOnceAreJoinedIn() throws IOException {
        String broken = """
                String check = "RAW(${body} != null && ${body} contains 'x')";
                String base = "flujo:step:c?agent=#a";
                from("direct:c").to(base + "&maxRetrys=2&validate=" + check);
                """;
        assertOneProblem("Routes.java", broken, "Routes.java:3: flujo:step:c?agent=#a&maxRetrys=2&validate=RAW(");
        assertOneProblem("Routes.java", broken, "unknown=[maxRetrys]");
        assertEquals(List.of(), problems("Routes.java", broken.replace("maxRetrys", "maxRetries")));
        assertOneProblem("Routes.java", broken.replace("from(", "check = \"other\";\nfrom("),
                "known only at run time");
    }

    @Test
    void mistypedValuesFailInEveryKindOfFile() throws IOException {
        assertOneProblem("Routes.java", "to(\"flujo:step:x?agent=#a&timeout=soon\");",
                "invalid duration={timeout=soon}");
        assertOneProblem("Routes.java", "to(\"flujo:step:x?agent=#a&cache=maybe\");", "invalid boolean={cache=maybe}");
        assertOneProblem("Routes.java", "to(\"flujo:stepp:x?agent=#a\");", "invalid enum={kind=stepp}");
        assertOneProblem("routes.camel.yaml", """
                - route:
                    from:
                      uri: direct:a
                      steps:
                        - to:
                            uri: flujo:step:x
                            parameters:
                              agent: direct:llm
                              maxRetries: two
                """, "invalid integer={maxRetries=two}");
        assertOneProblem("routes.yaml", "- to: \"flujo:parallel:p?branches=direct:a&onBranchFailure=SOMETIMES\"",
                "invalid enum={onBranchFailure=SOMETIMES}");
        assertOneProblem("application.properties", "camel.component.flujo.costLimitUsd = cheap",
                "invalid number={camel.component.flujo.costLimitUsd=cheap}");
        assertOneProblem("application.properties", "camel.component.flujo.maxRetrys=2",
                "unknown=[camel.component.flujo.maxRetrys]");
        assertOneProblem("application.yaml",
                "camel:\n  component:\n    flujo:\n      cacheTtl: 10m\n      maxRetries: many\n",
                "invalid integer={camel.component.flujo.maxRetries=many}");
        assertOneProblem("page.md", "Set it per endpoint (`flujo:step:x?agent=#a&cacheTTL=10m`).",
                "unknown=[cacheTTL]");
    }

    @Test
    void whatCannotBeCheckedFailsRatherThanBeingSkipped() throws IOException {
        assertOneProblem("Routes.java", "to(\"flujo:step:\" + name + \"?agent=#a\");", "known only at run time");
        assertOneProblem("routes.xml", "<to uri=\"flujo:step:x?agent=#a\"/>", "no extractor reads a file of its type");
        assertOneProblem("page.md", "```yaml\n- to:\n    flujo:step:x: {}\n```\n", "no extractor read");
        assertOneProblem("page.md", "```yaml\n- to: [unclosed\n```\n", "cannot read");
    }

    @Test
    void placeholdersAreCheckedAsWrittenAndAgainWhenTheExamplesDefineThem() throws IOException {
        String route = "to(\"flujo:step:x?agent=#a&maxRetries={{retries}}\");";
        assertEquals(List.of(), problems("Routes.java", route, Map.of(), new TreeMap<>()));
        assertEquals(List.of(), problems("Routes.java", route, Map.of("retries", "3"), new TreeMap<>()));
        List<String> resolved = problems("Routes.java", route, Map.of("retries", "three"), new TreeMap<>());
        assertEquals(1, resolved.size(), resolved.toString());
        assertTrue(resolved.get(0).contains("with {{placeholders}} resolved")
                && resolved.get(0).contains("invalid integer={maxRetries=three}"), resolved.get(0));
        assertOneProblem("Routes.java", "to(\"flujo:step:x?agent=#a&{{retries}}=2&maxRetrys={{retries}}\");",
                "unknown=[maxRetrys]");
        String yaml = "- to:\n    uri: flujo:step:x\n    parameters:\n      agent: direct:a\n"
                      + "      timeout: \"{{wait:2s}}\"\n      maxRetries: \"{{env:RETRIES}}\"\n";
        assertEquals(List.of(), problems("routes.yaml", yaml, Map.of(), new TreeMap<>()));
        List<String> yamlResolved = problems("routes.yaml", yaml, Map.of("wait", "later"), new TreeMap<>());
        assertEquals(1, yamlResolved.size(), yamlResolved.toString());
        assertTrue(yamlResolved.get(0).contains("invalid duration={timeout=later}"), yamlResolved.get(0));
    }

    @Test
    void rawValuesStayWholeAndTypedOptionsMustNotBeRaw() throws IOException {
        assertEquals(List.of(), problems("Routes.java",
                "to(\"flujo:step:x?agent=#a&validate=RAW(${body} contains 'a&b=c')&maxRetries=2\");"));
        assertOneProblem("Routes.java", "to(\"flujo:step:x?agent=#a&maxRetries=RAW(2)\");",
                "invalid integer={maxRetries=RAW(2)}");
    }

    @Test
    void theSchemeNameAndTheSyntaxAreNotUris() throws IOException {
        String prose = "`flujo:` runs steps; the syntax is `flujo:kind:name`, e.g. `flujo:step:x` (flujo: the scheme),"
                       + " resumed by {@code flujo:resume}.";
        List<Found> found = DocumentedUris.in("page.md", prose);
        assertEquals(List.of(Kind.URI, Kind.URI, Kind.SCHEME, Kind.SCHEME, Kind.NOTATION),
                found.stream().map(Found::kind).sorted().toList());
        assertEquals(List.of(), problems("page.md", prose));
    }

    // ---- helpers

    private static void assertOneProblem(String name, String text, String expected) throws IOException {
        List<String> problems = problems(name, text);
        assertEquals(1, problems.size(), name + ": " + problems);
        assertTrue(problems.get(0).contains(expected), problems.get(0));
    }

    private static List<String> problems(String name, String text) throws IOException {
        return problems(name, text, Map.of(), new TreeMap<>());
    }

    /** What is wrong in {@code text} (the file {@code name}), each as "name:line: ..."; counts what was found. */
    private static List<String> problems(
            String name, String text, Map<String, String> placeholders,
            Map<Kind, Integer> counts)
            throws IOException {
        List<Found> found;
        try {
            found = DocumentedUris.in(name, text);
        } catch (IllegalArgumentException | IOException e) {
            return List.of(name + ": cannot read: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        Matcher mention = DocumentedUris.MENTION.matcher(text);
        while (mention.find()) {
            int line = (int) text.substring(0, mention.start()).chars().filter(c -> c == '\n').count() + 1;
            if (found.stream().noneMatch(f -> f.covers(line))) {
                problems.add(name + ":" + line + ": a flujo: mention that no extractor read: "
                             + text.lines().skip(line - 1L).findFirst().orElse("").strip());
            }
        }
        for (Found f : found) {
            counts.merge(f.kind(), 1, Integer::sum);
            String where = name + ":" + f.line() + ": " + f.text()
                           + (f.parameters().isEmpty() ? "" : " " + f.parameters());
            check(f).ifPresent(p -> problems.add(where + " -> " + p));
            resolved(f, placeholders).flatMap(DocumentedUrisTest::check)
                    .ifPresent(p -> problems.add(where + " -> with {{placeholders}} resolved: " + p));
        }
        return problems;
    }

    private static Optional<String> check(Found f) {
        switch (f.kind()) {
            case URI -> {
                EndpointValidationResult result = validateUri(f.text(), f.parameters());
                return result.isSuccess() ? Optional.empty() : Optional.of(describe(result));
            }
            case COMPONENT_PROPERTY -> {
                ConfigurationPropertiesValidationResult result = catalog.validateConfigurationProperty(f.text());
                return result.isSuccess() ? Optional.empty() : Optional.of(describe(result));
            }
            case UNCHECKABLE -> {
                return Optional.of("cannot be checked: " + f.text());
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /**
     * {@code validateEndpointProperties(uri)}, unless the options must be handed over as a map: a YAML endpoint's
     * {@code parameters}, or a {@code RAW(...)} value holding {@code &}, which camel-catalog 4.18's URI parser splits
     * (Camel's runtime does not): then the query is split by Camel's own {@code URISupport}, as at run time.
     */
    private static EndpointValidationResult validateUri(String uri, Map<String, String> parameters) {
        try {
            Map<String, Object> query = URISupport.parseParameters(URISupport.normalizeUriAsURI(uri));
            boolean rawWithAmpersand = query.values().stream()
                    .anyMatch(v -> v instanceof String s && s.startsWith("RAW(") && s.contains("&"));
            if (parameters.isEmpty() && !rawWithAmpersand) {
                return catalog.validateEndpointProperties(uri);
            }
            Map<String, String> options = new LinkedHashMap<>(catalog.endpointProperties(URISupport.stripQuery(uri)));
            query.forEach((k, v) -> options.put(k, String.valueOf(v)));
            options.putAll(parameters);
            return catalog.validateProperties(catalog.endpointComponentName(uri), options);
        } catch (URISyntaxException | RuntimeException e) {
            EndpointValidationResult result = catalog.validateEndpointProperties(uri);
            if (result.isSuccess()) {
                result.addSyntaxError(String.valueOf(e.getMessage()));
            }
            return result;
        }
    }

    /**
     * Every error the catalog recorded (its own summary leaves invalid durations out). Both result types share these
     * getters through a class camel-catalog keeps package-private, so they are called by name.
     */
    private static String describe(Object result) {
        Map<String, Object> errors = new LinkedHashMap<>();
        for (String error : ERRORS) {
            try {
                Object value = result.getClass().getMethod("get" + error).invoke(result);
                if (value != null && !(value instanceof Collection<?> c && c.isEmpty())
                        && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                    errors.put(error.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT), value);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("get" + error, e);
            }
        }
        return errors.toString().replace(", ", "; ");
    }

    /**
     * A URI or setting with the {@code {{key}}} / {@code {{key:default}}} placeholders of its text and parameters that
     * the examples' properties (or the default) resolve, resolved; the others stay as written. Empty if none resolves.
     */
    private static Optional<Found> resolved(Found f, Map<String, String> placeholders) {
        if (f.kind() != Kind.URI && f.kind() != Kind.COMPONENT_PROPERTY) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        f.parameters().forEach((k, v) -> parameters.put(k, resolve(v, placeholders)));
        Found resolved = new Found(f.kind(), resolve(f.text(), placeholders), parameters, f.line(), f.lastLine());
        return resolved.equals(f) ? Optional.empty() : Optional.of(resolved);
    }

    /** The text with the placeholders that resolve resolved; a function ({@code env:}, {@code sys:}, ...) stays. */
    private static String resolve(String text, Map<String, String> placeholders) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1).strip();
            String value = PROPERTY_FUNCTIONS.contains(key) ? null : placeholders.getOrDefault(key, m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        return m.appendTail(out).toString();
    }

    private static List<Path> documentedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        try (Stream<Path> examples = Files.walk(EXAMPLES)) {
            examples.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        return files;
    }

    /** The key/values of the examples' .properties files, which resolve their routes' placeholders. */
    private static Map<String, String> exampleProperties() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".properties")).toList()) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
                properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
            }
        }
        return values;
    }
}
