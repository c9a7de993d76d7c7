package dev.flujo.examples.kamelets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flujo.camel.FlujoKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * catalog/kamelets is generated (like camel-flujo/src/generated): the committed files must be what
 * {@link KameletGenerator} writes now, and each Kamelet's properties must be the options of its kind.
 */
class KameletCatalogTest {

    static Path catalog() {
        return Path.of(System.getProperty("basedir", ".")).resolve(KameletGenerator.CATALOG).normalize();
    }

    @Test
    void committedKameletsAreWhatTheGeneratorWrites() throws IOException {
        Map<String, String> generated = KameletGenerator.generate();
        Set<String> committed = new TreeSet<>();
        try (Stream<Path> files = Files.list(catalog())) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("flujo-")).forEach(committed::add);
        }
        String regenerate = "; regenerate with: mvn -B -q -DskipTests -Pkamelets package";
        assertEquals(new TreeSet<>(generated.keySet()), committed, "Kamelet files in " + catalog() + regenerate);
        for (Map.Entry<String, String> file : generated.entrySet()) {
            assertEquals(file.getValue(), Files.readString(catalog().resolve(file.getKey())), file.getKey()
                                                                                              + " differs from what KameletGenerator writes"
                                                                                              + regenerate);
        }
    }

    @Test
    void oneActionKameletPerKindNamedAfterIt() throws IOException {
        List<String> names = new ArrayList<>();
        for (FlujoKind kind : FlujoKind.values()) {
            JsonNode kamelet = kamelet(kind);
            assertEquals("camel.apache.org/v1", kamelet.get("apiVersion").asText());
            assertEquals("Kamelet", kamelet.get("kind").asText());
            assertEquals("action", kamelet.at("/metadata/labels/camel.apache.org~1kamelet.type").asText());
            names.add(kamelet.at("/metadata/name").asText());
        }
        assertEquals(List.of("flujo-step-action", "flujo-parallel-action", "flujo-loop-action",
                "flujo-conditional-action", "flujo-router-action", "flujo-map-action", "flujo-human-action",
                "flujo-resume-action"), names);
    }

    /** Read back as YAML, independently of how the generator writes it. */
    @Test
    void propertiesAreTheOptionsOfTheKind() throws IOException {
        JsonNode flujo;
        try (InputStream in = getClass().getResourceAsStream(KameletGenerator.FLUJO_DESCRIPTOR)) {
            flujo = new ObjectMapper().readTree(in);
        }
        Map<String, String> schemaTypes = Map.of("string", "string", "duration", "string", "enum", "string",
                "boolean", "boolean", "integer", "integer", "number", "number");
        for (FlujoKind kind : FlujoKind.values()) {
            JsonNode kamelet = kamelet(kind);
            JsonNode properties = kamelet.at("/spec/definition/properties");
            JsonNode parameters = kamelet.at("/spec/template/from/steps/0/to/parameters");
            String where = KameletGenerator.kameletName(kind);

            Map<String, String> expected = new LinkedHashMap<>(); // option -> property
            flujo.get("properties").fields().forEachRemaining(p -> {
                if ("parameter".equals(p.getValue().get("kind").asText()) && kind.takes(p.getKey())) {
                    expected.put(p.getKey(), p.getKey().equals("timeout") ? "flujoTimeout" : p.getKey());
                }
            });
            List<String> propertyNames = new ArrayList<>();
            properties.fieldNames().forEachRemaining(propertyNames::add);
            List<String> wanted = new ArrayList<>(List.of("name"));
            wanted.addAll(expected.values());
            assertEquals(wanted, propertyNames, where);
            List<String> parameterNames = new ArrayList<>();
            parameters.fieldNames().forEachRemaining(parameterNames::add);
            assertEquals(List.copyOf(expected.keySet()), parameterNames, where + ": template parameters");

            assertEquals(kind.needsName() ? "[\"name\"]" : "", kamelet.at("/spec/definition/required").toString(),
                    where + ": required");
            assertEquals("flujo:" + kind.uriName() + ":{{name}}",
                    kamelet.at("/spec/template/from/steps/0/to/uri").asText(), where);
            assertEquals(kind.needsName() ? "" : kind.uriName(), properties.at("/name/default").asText(), where);
            expected.forEach((option, property) -> {
                JsonNode descriptor = flujo.get("properties").get(option);
                JsonNode schema = properties.get(property);
                assertEquals(schemaTypes.get(descriptor.get("type").asText()), schema.get("type").asText(),
                        where + " " + property);
                assertEquals(descriptor.path("enum").toString(), schema.path("enum").toString(),
                        where + " " + property);
                assertTrue(schema.path("default").isMissingNode(), where + " " + property
                                                                   + ": a declared default would be written into every URI");
                String description = schema.get("description").asText();
                if (descriptor.has("defaultValue")) {
                    assertTrue(description.contains("Default: " + descriptor.get("defaultValue").asText()),
                            where + " " + property + ": " + description);
                }
                // flujo.json's text is the annotation's, less some characters (<tags>, '<', '>', '+', '*', '?')
                assertTrue(lettersAndDigits(description.replaceAll("<[^<>]*>", ""))
                        .startsWith(lettersAndDigits(descriptor.get("description").asText())),
                        where + " " + property + ": " + description);
                String value = parameters.get(option).asText();
                assertTrue(value.equals("{{?" + property + "}}") || value.equals("RAW({{?" + property + "}})"),
                        where + " " + option + ": " + value);
            });
        }
    }

    private static String lettersAndDigits(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "");
    }

    private static JsonNode kamelet(FlujoKind kind) throws IOException {
        return new YAMLMapper().readTree(catalog().resolve(KameletGenerator.kameletName(kind) + ".kamelet.yaml")
                .toFile());
    }
}
