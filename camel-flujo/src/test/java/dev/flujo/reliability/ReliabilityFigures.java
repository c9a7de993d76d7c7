package dev.flujo.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the stress run measured, for {@code docs/reliability.md}: each stress test records its figures here (load held,
 * faults survived, bad inputs tried) and {@link ReliabilityReport} turns them into the page when the {@code stress}
 * profile's tests have run. One line per figure in {@code target/reliability/figures.tsv}.
 */
public final class ReliabilityFigures {

    /** The sections of the page, in order. */
    public enum Section {
        FAULTS("Faults"),
        LOAD("Load"),
        BAD_INPUT("Bad input"),
        SECURITY("Security");

        final String title;

        Section(String title) {
            this.title = title;
        }
    }

    static final Path FILE = Path.of("target", "reliability", "figures.tsv");

    private ReliabilityFigures() {
    }

    /**
     * Records one figure, e.g. {@code record(LOAD, "10,000 concurrent runs through a 5-step pipeline", "all
     * completed; p99 41 ms; usage totals exact", getClass())}.
     */
    public static synchronized void record(Section section, String what, String figure, Class<?> test) {
        String line = String.join("\t", section.name(), clean(what), clean(figure), test.getSimpleName()) + "\n";
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ');
    }
}
