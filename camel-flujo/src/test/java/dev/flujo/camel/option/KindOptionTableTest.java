package dev.flujo.camel.option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md shows which kind takes which option as the options declare it, row by row. */
class KindOptionTableTest {

    private static final Path PAGE = Path.of("../docs/configuration.md");

    @Test
    void theCommittedTableIsTheDeclarations() throws IOException {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        assertEquals(KindOptionTable.rewrite(page), page,
                "docs/configuration.md's kind-option table is stale: run 'mvn -B -DskipTests package' and commit it");
    }

    @Test
    void aRowListsTheOptionsOfTheSameKindsWithAMarkPerKind() {
        String table = KindOptionTable.render();
        assertTrue(table.startsWith("| Options | step | parallel | loop | conditional | router | map | human | resume |"),
                table);
        assertTrue(table.contains("| `updatesContext` | ✓ | | | | | | | |"), table);
        assertTrue(table.contains("| `stateStore`, `stateUrl`, `stateDataSource` | | | | | | | ✓ | ✓ |"), table);
        assertTrue(table.lines().filter(l -> l.contains("`maxRetries`")).allMatch(l -> l.contains("`agent`")), table);
    }
}
