package dev.flujo.camel.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed catalog/ files are what the build makes of the generated descriptor. The build copies and renders them
 * in prepare-package, after the tests, so during {@code mvn verify} these tests still see the committed files and fail
 * on drift; {@code mvn -B -DskipTests package} refreshes them.
 */
class CatalogFilesTest {

    /** Relative to the module directory, which is the surefire working directory. */
    private static final Path GENERATED = Path.of("src/generated/resources/META-INF/dev/flujo/camel/flujo.json");
    private static final Path CATALOG = Path.of("../catalog/flujo.json");
    private static final Path KARAVAN = Path.of("../catalog/karavan/components.json");
    private static final String REFRESH = "; run 'mvn -B -DskipTests package' and commit catalog/";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void catalogFlujoJsonIsTheGeneratedDescriptor() throws IOException {
        assertTrue(Files.isRegularFile(CATALOG), CATALOG.toAbsolutePath() + " is missing" + REFRESH);
        assertEquals(read(GENERATED), read(CATALOG), "catalog/flujo.json differs from " + GENERATED + REFRESH);
    }

    @Test
    void karavanEntryIsRenderedFromTheDescriptor() throws IOException {
        assertTrue(Files.isRegularFile(KARAVAN), KARAVAN.toAbsolutePath() + " is missing" + REFRESH);
        assertEquals(KaravanComponents.render(read(GENERATED)), read(KARAVAN),
                "catalog/karavan/components.json is not rendered from " + GENERATED + REFRESH);
    }

    @Test
    void karavanEntryIsTheDescriptorWithoutComponentProperties() throws IOException {
        JsonNode descriptor = JSON.readTree(read(GENERATED));
        JsonNode list = JSON.readTree(read(KARAVAN));
        assertTrue(list.isArray(), "Karavan's components.json is an array of component descriptors");
        assertEquals(1, list.size());
        JsonNode entry = list.get(0);

        List<String> fields = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fields::add);
        List<String> expected = new ArrayList<>();
        descriptor.fieldNames().forEachRemaining(expected::add);
        expected.remove("componentProperties");
        assertEquals(expected, fields);
        assertEquals(List.of("component", "headers", "properties"), fields);
        for (String field : fields) {
            assertEquals(descriptor.get(field), entry.get(field), field);
        }

        JsonNode component = entry.get("component");
        assertEquals("flujo", component.get("name").asText());
        assertEquals("flujo", component.get("scheme").asText());
        // Karavan's own list leaves deprecated components out, and its property panel reads every label as text
        assertFalse(component.get("deprecated").asBoolean());
        entry.get("properties").fields().forEachRemaining(
                p -> assertTrue(p.getValue().path("label").isTextual(), p.getKey() + " has no label"));
    }

    @Test
    void oneChangedTitleWouldBeDrift() throws IOException {
        String generated = read(GENERATED);
        String changed = generated.replace("\"title\": \"Flujo\"", "\"title\": \"Flujo 2\"");
        assertNotEquals(generated, changed, "the descriptor's title was not found");
        assertNotEquals(read(CATALOG), changed);
        assertNotEquals(read(KARAVAN), KaravanComponents.render(changed));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
