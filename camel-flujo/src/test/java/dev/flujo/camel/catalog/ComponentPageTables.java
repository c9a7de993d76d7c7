package dev.flujo.camel.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders the option and header tables of {@code src/main/docs/flujo-component.adoc} from the component descriptor
 * (flujo.json, which camel-package-maven-plugin writes from the {@code @UriParam} and {@code @Metadata} declarations),
 * between the {@value #START} and {@value #END} markers.
 *
 * <p>
 * Why not only Camel's own tables: camel-package-maven-plugin's {@code update-readme} goal (4.18) keeps the page's
 * title attributes and writes its "component options" block as {@code include::partial$...} lines, which only Camel's
 * Antora site renders (its macros read the descriptor). A reader of this repository would see no table, so the same
 * content is rendered here as plain AsciiDoc, in the column layout Camel's pages use (name with group, description,
 * default, type). Run by the build (exec-maven-plugin, prepare-package) with the descriptor and the page as arguments;
 * {@code ComponentPageTablesTest} and {@code .ci/run} fail when the committed page is not what this renders.
 */
public final class ComponentPageTables {

    static final String START = "// rendered tables: START";
    static final String END = "// rendered tables: END";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE_HEAD = "[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n"
                                             + "| Name | Description | Default | Type\n";

    private ComponentPageTables() {
    }

    /** The tables for the component whose camel-catalog descriptor is {@code descriptor}. */
    static String render(String descriptor) throws IOException {
        JsonNode root = JSON.readTree(descriptor);
        StringBuilder out = new StringBuilder();
        List<JsonNode> component = values(root.path("componentProperties"));
        out.append("\n=== Component options\n\nThe component supports ").append(component.size())
                .append(" options. Each option of the endpoints is also a component option: the default of every ")
                .append("endpoint of the context, set as `camel.component.flujo.<name>`.\n\n");
        table(out, component);

        List<JsonNode> path = new ArrayList<>();
        List<JsonNode> query = new ArrayList<>();
        for (JsonNode p : values(root.path("properties"))) {
            ("path".equals(p.path("kind").asText()) ? path : query).add(p);
        }
        out.append("\n=== Endpoint options\n\nThe endpoint is configured with the URI syntax `")
                .append(root.path("component").path("syntax").asText()).append("`, with ").append(path.size())
                .append(" path and ").append(query.size()).append(" query parameters.\n\n==== Path parameters\n\n");
        table(out, path);
        out.append("\n==== Query parameters\n\n");
        table(out, query);

        List<Map.Entry<String, JsonNode>> headers = new ArrayList<>();
        root.path("headers").fields().forEachRemaining(headers::add);
        out.append("\n=== Message headers\n\nThe endpoints set ").append(headers.size())
                .append(" headers (with `resultHeaders=true`, the default) or read them from the agent's reply.\n\n")
                .append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n")
                .append("| Name | Description | Default | Type\n");
        for (Map.Entry<String, JsonNode> h : headers) {
            JsonNode header = h.getValue();
            String constant = header.path("constantName").asText();
            out.append("| *").append(h.getKey()).append("* (").append(header.path("group").asText()).append(")\n")
                    .append(constant.isEmpty() ? "" : "Constant: `" + constant.replace('#', '.') + "`\n")
                    .append("| ").append(cell(header.path("description").asText()))
                    .append(" | ").append(cell(header.path("defaultValue").asText()))
                    .append(" | `").append(header.path("javaType").asText()).append("`\n");
        }
        out.append("|===\n");
        return out.toString();
    }

    private static void table(StringBuilder out, List<JsonNode> options) {
        out.append(TABLE_HEAD);
        for (JsonNode o : options) {
            out.append("| *").append(o.path("name").asText()).append("* (")
                    .append(o.path("group").asText()).append(")");
            if (o.path("required").asBoolean()) {
                out.append(" *Required*");
            }
            out.append(" | ").append(cell(o.path("description").asText()));
            if (o.has("enum")) {
                List<String> values = new ArrayList<>();
                o.path("enum").forEach(v -> values.add(v.asText()));
                out.append(" One of: `").append(String.join("`, `", values)).append("`.");
            }
            out.append(" | ").append(cell(o.path("defaultValue").asText()))
                    .append(" | ").append(cell(simpleType(o.path("javaType").asText()))).append('\n');
        }
        out.append("|===\n");
    }

    /** The descriptor's properties in declared order, each with its key as {@code name}. */
    private static List<JsonNode> values(JsonNode properties) {
        List<JsonNode> list = new ArrayList<>();
        properties.fields().forEachRemaining(e -> {
            ObjectNode copy = e.getValue().deepCopy();
            copy.put("name", e.getKey());
            copy.remove("index");
            list.add(copy);
        });
        return list;
    }

    private static String simpleType(String javaType) {
        return javaType.startsWith("java.lang.") ? javaType.substring("java.lang.".length()) : javaType;
    }

    /** A table cell's text: AsciiDoc would read a bare {@code |} as the next cell. */
    static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** The page with the tables between its markers replaced by {@link #render(String)}. */
    static String rewrite(String page, String descriptor) throws IOException {
        int start = page.indexOf(START);
        int end = page.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the page has no '" + START + "' ... '" + END + "' markers");
        }
        return page.substring(0, start + START.length()) + "\n" + render(descriptor) + page.substring(end);
    }

    /** {@code args[0]}: the camel-catalog descriptor (flujo.json); {@code args[1]}: the adoc page to rewrite. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ComponentPageTables <flujo.json> <flujo-component.adoc>");
        }
        Path page = Path.of(args[1]);
        String text = Files.readString(page, StandardCharsets.UTF_8);
        String rewritten = rewrite(text, Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        if (!rewritten.equals(text)) {
            Files.writeString(page, rewritten, StandardCharsets.UTF_8);
        }
    }
}
