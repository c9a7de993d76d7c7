package dev.flujo.camel.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes {@code catalog/karavan/components.json}: flujo's entry in the format of Karavan's component list.
 *
 * <p>
 * Karavan ships its components as one JSON array ({@code karavan-app/src/main/resources/metadata/components.json},
 * served to the designer as {@code /ui/metadata/components}). Each element is a component's camel-catalog descriptor
 * without its {@code componentProperties} (Karavan's {@code components-full.json} keeps them), one compact object per
 * line. So the entry is flujo.json minus {@code componentProperties}, in an array of one.
 *
 * <p>
 * Run by the camel-flujo build (exec-maven-plugin, phase prepare-package) with the generated descriptor and the output
 * file as arguments; {@code CatalogFilesTest} fails when the committed file is not what this renders.
 */
public final class KaravanComponents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KaravanComponents() {
    }

    /** The Karavan components.json content for the component whose camel-catalog descriptor is {@code descriptor}. */
    public static String render(String descriptor) throws IOException {
        ObjectNode component = (ObjectNode) JSON.readTree(descriptor);
        component.remove("componentProperties");
        return "[\n" + JSON.writeValueAsString(component) + "\n]\n";
    }

    /** {@code args[0]}: the camel-catalog descriptor (flujo.json); {@code args[1]}: the components.json to write. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: KaravanComponents <flujo.json> <components.json>");
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        String descriptor = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        Files.writeString(out, render(descriptor), StandardCharsets.UTF_8);
    }
}
