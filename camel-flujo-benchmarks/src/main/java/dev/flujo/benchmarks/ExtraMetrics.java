package dev.flujo.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Figures JMH has no column for (latency percentiles, peak threads, heap after GC), measured inside a benchmark and
 * written as JSON next to JMH's own result, where the report generator picks them up. One file per benchmark and
 * parameter set; only measurement iterations are recorded.
 */
public final class ExtraMetrics {

    /** Where the files go; run.sh points it at the module's target directory. */
    public static final String DIRECTORY_PROPERTY = "flujo.bench.extra";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    public ExtraMetrics(String benchmark, String params) {
        this.name = benchmark + (params.isEmpty() ? "" : "-" + params);
    }

    /** The file's name, without {@code .json}. */
    public String name() {
        return name;
    }

    public void add(String metric, double value) {
        samples.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
    }

    /** Writes the mean of each metric over the recorded iterations (and every sample, for the curious). */
    public void write() {
        if (samples.isEmpty()) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        samples.forEach((metric, values) -> {
            out.put(metric, values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
            out.put(metric + ".samples", values);
        });
        try {
            Path dir = Path.of(System.getProperty(DIRECTORY_PROPERTY, "target/jmh-extra"));
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name + ".json").toFile(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a percentile (0-100) of the given samples; sorts the array. */
    public static double percentile(long[] values, double percentile) {
        Arrays.sort(values);
        int index = (int) Math.ceil(percentile / 100.0 * values.length) - 1;
        return values[Math.max(0, Math.min(values.length - 1, index))];
    }

    /** Heap in use after asking for full collections until the figure settles. */
    public static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
