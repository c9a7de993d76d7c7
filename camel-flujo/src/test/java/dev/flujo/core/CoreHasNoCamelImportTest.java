package dev.flujo.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The core must stay Camel-free: no source file under dev.flujo.core mentions an org.apache.camel type. */
class CoreHasNoCamelImportTest {

    /** Relative to the module directory, which is the surefire working directory. */
    private static final Path CORE_SOURCES = Path.of("src/main/java/dev/flujo/core");

    @Test
    void noCoreSourceFileReferencesCamel() throws IOException {
        assertTrue(Files.isDirectory(CORE_SOURCES), "core sources not found at " + CORE_SOURCES.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORE_SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() >= 30, "expected the core's source files, found only " + files.size());

        List<String> offenders = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains("import org.apache.camel") || line.contains("org.apache.camel.")) {
                    offenders.add(CORE_SOURCES.relativize(file) + ":" + (i + 1) + ": " + line.trim());
                }
            }
        }
        assertEquals(List.of(), offenders, "dev.flujo.core must not depend on Camel");
    }

    @Test
    void theScanWouldCatchACamelImport() {
        String line = "import org.apache.camel.Exchange;";
        assertTrue(line.contains("import org.apache.camel") || line.contains("org.apache.camel."));
        String qualified = "    org.apache.camel.Exchange exchange;";
        assertTrue(qualified.contains("org.apache.camel."));
    }
}
