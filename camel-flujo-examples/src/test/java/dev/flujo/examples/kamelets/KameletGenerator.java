package dev.flujo.examples.kamelets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.camel.FlujoKind;
import dev.flujo.core.config.OptimizationConfig;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

/**
 * Writes {@code catalog/kamelets/flujo-<kind>-action.kamelet.yaml}: one action Kamelet per flujo kind, whose properties
 * are the options that kind takes ({@link FlujoKind#takes}), each with the title, type, default and enum of the
 * component's generated descriptor ({@code flujo.json}) and the description of the option's annotation (see
 * {@link #description(String, JsonNode)}). Karavan shows custom Kamelets (not custom components) in its palette, with a
 * form per Kamelet; camel-kamelet runs them.
 *
 * <p>
 * Re-run after an option changes: {@code mvn -B -q -DskipTests -Pkamelets package} (profile in this module's pom);
 * {@code KameletCatalogTest} fails while a committed file differs from what this class writes.
 *
 * <p>
 * How options reach the endpoint:
 * <ul>
 * <li>Every option is passed as Camel's optional placeholder {@code {{?option}}}: an option left unset is dropped from
 * the flujo URI, so the component's default ({@code camel.component.flujo.*}) applies, as it does to a plain
 * {@code flujo:} endpoint.</li>
 * <li>That is also why no option property has a JSON-schema {@code default}: camel-kamelet turns a declared default
 * into a template value, which would write every default into the URI - hiding component defaults, keeping runtime
 * {@code reconfigure(...)} away from the endpoint (URI options win) and warning that options such as
 * {@code cacheMaxSize} "have no effect" without their prerequisite. The default is in the description instead.</li>
 * <li>Text options (agent and branch URIs, Simple expressions, bean references, JSON schemas) are wrapped in
 * {@code RAW(...)}, so the value reaches flujo verbatim ({@code &}, {@code +}, {@code %} and {@code ?} included).
 * Execution options ({@link OptimizationConfig}: numbers, booleans, durations, key lists) are not: they need no
 * escaping, and an unset one must leave no trace in the URI, which flujo reads to tell set options from defaults.</li>
 * <li>An option whose name the Kamelet endpoint keeps for itself (camel-kamelet's {@code timeout}, how long a caller
 * waits for the Kamelet's consumer) would never reach the template: it is offered as {@code flujo<Name>}.</li>
 * </ul>
 */
public final class KameletGenerator {

    /** The component descriptor camel-package-maven-plugin generates (src/generated in camel-flujo). */
    static final String FLUJO_DESCRIPTOR = "/META-INF/dev/flujo/camel/flujo.json";
    /** camel-kamelet's descriptor: the options the Kamelet endpoint consumes instead of passing them on. */
    static final String KAMELET_DESCRIPTOR = "/META-INF/org/apache/camel/component/kamelet/kamelet.json";
    /** Where the files go, relative to this module. */
    static final Path CATALOG = Path.of("..", "catalog", "kamelets");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOOLEAN_DESCRIPTOR = "urn:alm:descriptor:com.tectonic.ui:checkbox";

    private KameletGenerator() {
    }

    /** @param args the catalog directory; {@code ../catalog/kamelets} (from this module) when absent */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : CATALOG;
        Files.createDirectories(dir);
        Map<String, String> files = generate();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }
        System.out.println("Wrote " + files.size() + " Kamelets to " + dir.toAbsolutePath().normalize());
    }

    /** File name → content, one Kamelet per kind, in {@link FlujoKind} order. */
    public static Map<String, String> generate() {
        JsonNode flujo = read(FLUJO_DESCRIPTOR);
        Set<String> reserved = new HashSet<>();
        read(KAMELET_DESCRIPTOR).get("properties").fieldNames().forEachRemaining(reserved::add);
        Map<String, String> files = new LinkedHashMap<>();
        for (FlujoKind kind : FlujoKind.values()) {
            files.put(fileName(kind), kamelet(kind, flujo, reserved));
        }
        return files;
    }

    public static String kameletName(FlujoKind kind) {
        return "flujo-" + kind.uriName() + "-action";
    }

    static String fileName(FlujoKind kind) {
        return kameletName(kind) + ".kamelet.yaml";
    }

    /** The Kamelet property carrying an option: the option's own name unless the Kamelet endpoint keeps it. */
    static String propertyName(String option, Set<String> reserved) {
        return reserved.contains(option)
                ? "flujo" + Character.toUpperCase(option.charAt(0)) + option.substring(1)
                : option;
    }

    /** The execution options: passed without RAW(...), see the class comment. */
    static Set<String> executionOptions() {
        return OptimizationConfig.optionNames();
    }

    private static String kamelet(FlujoKind kind, JsonNode flujo, Set<String> reserved) {
        JsonNode component = flujo.get("component");
        JsonNode properties = flujo.get("properties");
        Set<String> execution = executionOptions();
        List<String> options = new ArrayList<>();
        properties.fields().forEachRemaining(p -> {
            if ("parameter".equals(p.getValue().get("kind").asText()) && kind.takes(p.getKey())) {
                options.add(p.getKey());
            }
        });
        if (options.stream().map(o -> propertyName(o, reserved))
                .anyMatch(p -> p.equals("name") || reserved.contains(p))) {
            throw new IllegalStateException(
                    "flujo:" + kind.uriName() + ": an option clashes with the Kamelet's own "
                                            + "properties " + reserved + " or the step name: " + options);
        }

        Yaml y = new Yaml();
        y.line(0, "# Generated by dev.flujo.examples.kamelets.KameletGenerator from camel-flujo's flujo.json and"
                  + " FlujoKind:");
        y.line(0, "# do not edit; re-run with: mvn -B -q -DskipTests -Pkamelets package");
        y.line(0, "apiVersion: camel.apache.org/v1");
        y.line(0, "kind: Kamelet");
        y.line(0, "metadata:");
        y.line(1, "name: " + kameletName(kind));
        y.line(1, "annotations:");
        y.entry(2, "camel.apache.org/kamelet.support.level", component.get("supportLevel").asText());
        y.entry(2, "camel.apache.org/catalog.version", component.get("version").asText());
        y.entry(2, "camel.apache.org/provider", "flujo");
        y.entry(2, "camel.apache.org/kamelet.group", component.get("title").asText());
        y.entry(2, "camel.apache.org/kamelet.namespace", "AI");
        y.line(1, "labels:");
        y.entry(2, "camel.apache.org/kamelet.type", "action");
        y.line(0, "spec:");
        y.line(1, "definition:");
        y.entry(2, "title", component.get("title").asText() + " " + capitalized(kind.uriName()) + " Action");
        y.entry(2, "description", kindDescription(kind));
        if (kind.needsName()) {
            y.line(2, "required:");
            y.line(3, "- name");
        }
        y.line(2, "type: object");
        y.line(2, "properties:");
        property(y, "name", properties.get("name"), null);
        if (!kind.needsName()) {
            // the YAML DSL refuses "{{?name}}" in a URI (it reads the '?' as a query), so the optional name gets the
            // kind as default: flujo:resume:resume behaves as flujo:resume, which names itself "resume"
            y.entry(4, "default", kind.uriName());
        }
        for (String option : options) {
            String property = propertyName(option, reserved);
            property(y, property, properties.get(option), property.equals(option) ? null : option);
        }
        y.line(1, "dependencies:");
        y.line(2, "- " + quoted("camel:core"));
        y.line(2, "- " + quoted("camel:kamelet"));
        y.line(2, "- " + quoted("mvn:" + component.get("groupId").asText() + ":" + component.get("artifactId").asText()
                                + ":" + component.get("version").asText()));
        y.line(1, "template:");
        y.line(2, "from:");
        y.entry(3, "uri", "kamelet:source");
        y.line(3, "steps:");
        y.line(4, "- to:");
        y.entry(6, "uri", "flujo:" + kind.uriName() + ":{{name}}");
        y.line(6, "parameters:");
        for (String option : options) {
            String placeholder = "{{?" + propertyName(option, reserved) + "}}";
            boolean text = "string".equals(properties.get(option).get("type").asText()) && !execution.contains(option);
            y.entry(7, option, text ? "RAW(" + placeholder + ")" : placeholder);
        }
        return y.toString();
    }

    /**
     * The option's description as its {@code @UriParam} / {@code @UriPath} annotation has it: flujo.json holds the same
     * text less some characters camel-package-maven-plugin drops ({@code <name>}, {@code <}, {@code >}, {@code +},
     * {@code *}, {@code ?}), which turns {@code e.g. ${body.length} < 200} into a wrong example.
     */
    static String description(String option, JsonNode descriptor) {
        for (Class<?> type : List.of(FlujoEndpoint.class, FlujoConfiguration.class)) {
            for (Field field : type.getDeclaredFields()) {
                UriParam param = field.getAnnotation(UriParam.class);
                UriPath path = field.getAnnotation(UriPath.class);
                String name = param != null ? param.name() : path != null ? path.name() : null;
                String text = param != null ? param.description() : path != null ? path.description() : "";
                if (name != null && (name.isEmpty() ? field.getName() : name).equals(option) && !text.isEmpty()) {
                    return text;
                }
            }
        }
        return descriptor.get("description").asText();
    }

    /** One entry of spec.definition.properties, from the option's descriptor entry. */
    private static void property(Yaml y, String property, JsonNode option, String renamedFrom) {
        String type = option.get("type").asText();
        String name = renamedFrom == null ? property : renamedFrom;
        StringBuilder description = new StringBuilder(description(name, option));
        if (renamedFrom != null) {
            description.append(" (The flujo option ").append(name).append(": the Kamelet endpoint keeps the name ")
                    .append(name).append(" for itself.)");
        }
        if ("duration".equals(type)) {
            description.append(" A duration: 500ms, 30s, 5m, 1h, PT30S or a number of milliseconds.");
        }
        if (option.has("defaultValue")) {
            description.append(" Default: ").append(option.get("defaultValue").asText())
                    .append(" (when unset, camel.component.flujo.").append(name).append(" applies).");
        }
        y.line(3, property + ":");
        y.entry(4, "title", option.get("displayName").asText());
        y.entry(4, "description", description.toString());
        y.line(4, "type: " + schemaType(property, type));
        if (option.has("enum")) {
            List<String> values = new ArrayList<>();
            option.get("enum").forEach(v -> values.add(quoted(v.asText())));
            y.line(4, "enum: [" + String.join(", ", values) + "]");
        }
        List<String> descriptors = new ArrayList<>();
        if ("boolean".equals(type)) {
            descriptors.add(BOOLEAN_DESCRIPTOR);
        }
        if (!option.path("group").asText().isEmpty() && "parameter".equals(option.get("kind").asText())) {
            descriptors.add("urn:camel:group:" + option.get("group").asText());
        }
        if (!descriptors.isEmpty()) {
            y.line(4, "x-descriptors:");
            descriptors.forEach(d -> y.line(5, "- " + quoted(d)));
        }
    }

    /** flujo.json's option types as JSON-schema types; a new type fails here rather than being guessed. */
    static String schemaType(String property, String flujoType) {
        return switch (flujoType) {
            case "string", "duration", "enum" -> "string";
            case "boolean", "integer", "number" -> flujoType;
            default -> throw new IllegalStateException("Option " + property + ": no JSON-schema type for " + flujoType);
        };
    }

    private static String kindDescription(FlujoKind kind) {
        String endpoint = "flujo:" + kind.uriName() + (kind.needsName() ? ":NAME" : "") + ". ";
        return switch (kind) {
            case STEP -> "Runs an agent step, " + endpoint + "The agent (an endpoint URI such as direct:llm, or"
                         + " #bean of a dev.flujo.core.agent.FlujoAgent) gets the body as prompt, wrapped in prompt and"
                         + " output processors, validators and plugins, retries that feed back what went wrong, a fallback, an"
                         + " output cache and run-wide token and cost limits. The body becomes the output; the CamelFlujo*"
                         + " headers describe the result.";
            case PARALLEL -> "Runs branches side by side, " + endpoint + "Each branch endpoint (usually a direct:"
                             + " route) gets the input and its own copy of the context; the output is a map branch name ->"
                             + " output in declared order, and the properties the branches changed are merged by mergeStrategy.";
            case LOOP -> "Runs the body endpoint again and again, " + endpoint + "Each iteration gets the previous"
                         + " output, until the Simple predicate until holds; reaching maxLoops without it is a failure."
                         + " Header CamelFlujoExitReason tells why the loop ended.";
            case CONDITIONAL -> "Runs one branch chosen by a Simple expression, " + endpoint + "condition yields a"
                                + " key of branches (key=uri pairs); default runs when no branch has the key.";
            case ROUTER -> "Lets a router agent choose one or several branches by name, " + endpoint + "The chosen"
                           + " branches run as a parallel step; an unknown name is retried with feedback listing the names"
                           + " there are.";
            case MAP -> "Runs the body endpoint once per item of a list, " + endpoint + "The items are the input"
                        + " list (or the property named by items); the output is the list of outputs in item order.";
            case HUMAN -> "Pauses the run for a person, " + endpoint + "The run is saved in the state store and the"
                          + " exchange ends with the message as body, CamelFlujoStatus=PAUSED and CamelFlujoRunId; the rest"
                          + " of the route does not run. The Flujo Resume Action continues it at resumeUri.";
            case RESUME -> "Continues a paused run with a person's answer, " + endpoint + "Header CamelFlujoRunId"
                           + " names the pause, the body is the answer (checked against the human step's answerSchema); the"
                           + " properties and the run are restored and the run continues at the human step's resumeUri."
                           + " Use the human step's stateStore.";
        };
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A YAML double-quoted scalar: JSON's string syntax is valid YAML. */
    static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = KameletGenerator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of YAML, two spaces an indentation level. */
    private static final class Yaml {
        private final StringBuilder text = new StringBuilder();

        void line(int level, String line) {
            text.append("  ".repeat(level)).append(line).append('\n');
        }

        void entry(int level, String key, String value) {
            line(level, key + ": " + quoted(value));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
