package dev.flujo.camel.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component page (src/main/docs/flujo-component.adoc) holds the tables the descriptor renders to, one row per
 * option and header, so an option added, changed or removed shows on the page or fails the build.
 */
class ComponentPageTablesTest {

    private static final Path PAGE = Path.of("src/main/docs/flujo-component.adoc");
    private static final Path DESCRIPTOR = Path.of("src/generated/resources/META-INF/dev/flujo/camel/flujo.json");

    @Test
    void theCommittedPageHoldsTheTablesTheDescriptorRendersTo() throws IOException {
        String page = read(PAGE);
        assertEquals(ComponentPageTables.rewrite(page, read(DESCRIPTOR)), page,
                "the page's tables are stale: run 'mvn -B -DskipTests package' and commit " + PAGE);
    }

    @Test
    void everyOptionAndHeaderOfTheDescriptorHasARow() throws IOException {
        String page = read(PAGE);
        JsonNode descriptor = new ObjectMapper().readTree(read(DESCRIPTOR));
        for (String section : new String[] { "componentProperties", "properties", "headers" }) {
            Iterator<String> names = descriptor.path(section).fieldNames();
            assertTrue(names.hasNext(), section);
            names.forEachRemaining(name -> assertTrue(page.contains("| *" + name + "* ("), name + " of " + section));
        }
    }

    @Test
    void aChangedDescriptionWouldBeDriftAndAPipeStaysInItsCell() throws IOException {
        String descriptor = read(DESCRIPTOR);
        String changed = descriptor.replaceFirst("\"description\": \"The step name", "\"description\": \"A | step name");

        String rewritten = ComponentPageTables.rewrite(read(PAGE), changed);

        assertNotEquals(read(PAGE), rewritten);
        assertTrue(rewritten.contains("A \\| step name"), "a | in a description is escaped");
    }

    @Test
    void aPageWithoutTheMarkersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ComponentPageTables.rewrite("= Flujo\n", "{}"));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
