package dev.flujo.camel.option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoKind;
import dev.flujo.camel.FlujoOption;

/**
 * Renders the kind × option table of docs/configuration.md from the options' declarations ({@link FlujoOption#kinds()},
 * read by {@link OptionCatalog}): options taken by the same kinds share a row, rows in the order their first option is
 * declared. Written between the {@value #START} and {@value #END} markers by the build (prepare-package, like the
 * catalog files); {@code KindOptionTableTest} fails when the committed page differs.
 */
public final class KindOptionTable {

    static final String START = "<!-- kind-option table: START (generated from the @FlujoOption declarations) -->";
    static final String END = "<!-- kind-option table: END -->";

    private KindOptionTable() {
    }

    static String render() {
        Map<Set<FlujoKind>, List<String>> rows = new LinkedHashMap<>();
        OptionCatalog.OPTIONS.values().forEach(o -> rows.computeIfAbsent(o.kinds(), k -> new java.util.ArrayList<>())
                .add(o.name()));
        StringBuilder table = new StringBuilder("| Options |");
        for (FlujoKind kind : FlujoKind.values()) {
            table.append(' ').append(kind.uriName()).append(" |");
        }
        table.append("\n|---|").append("---|".repeat(FlujoKind.values().length)).append('\n');
        rows.forEach((kinds, options) -> {
            table.append("| ").append(options.stream().map(o -> '`' + o + '`').collect(Collectors.joining(", ")))
                    .append(" |");
            for (FlujoKind kind : FlujoKind.values()) {
                table.append(kinds.contains(kind) ? " ✓ |" : " |");
            }
            table.append('\n');
        });
        return table.toString();
    }

    /** The page with the table between its markers replaced by {@link #render()}. */
    static String rewrite(String page) {
        int start = page.indexOf(START);
        int end = page.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the page has no " + START + " ... " + END + " markers");
        }
        return page.substring(0, start + START.length()) + "\n" + render() + page.substring(end);
    }

    /** {@code args[0]}: the page to rewrite in place (docs/configuration.md). */
    public static void main(String[] args) throws IOException {
        Path page = Path.of(args[0]);
        String text = Files.readString(page, StandardCharsets.UTF_8);
        String rewritten = rewrite(text);
        if (!rewritten.equals(text)) {
            Files.writeString(page, rewritten, StandardCharsets.UTF_8);
        }
    }
}
