package dev.flujo.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.context.CopyOnWriteContext;
import dev.flujo.core.context.FlujoContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scenario 5: giving each of N branches its own context, by flujo's copy-on-write copy vs a deep copy of the map. Each
 * branch then writes one key, so the cost of the first write (which creates the branch's own overlay) is counted too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ContextCopyBenchmark {

    @Param({ "10", "1000" })
    public int keys;

    @Param({ "8" })
    public int branches;

    private CopyOnWriteContext root;
    private Map<String, Object> map;

    @Setup
    public void setUp() {
        map = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            map.put("key" + i, "value" + i);
        }
        root = FlujoContext.of(map);
    }

    @Benchmark
    public void copyOnWriteBranches(Blackhole bh) {
        for (int b = 0; b < branches; b++) {
            CopyOnWriteContext branch = root.copy();
            branch.put("branch", b);
            bh.consume(branch);
        }
    }

    @Benchmark
    public void deepCopyBranches(Blackhole bh) {
        for (int b = 0; b < branches; b++) {
            Map<String, Object> branch = new HashMap<>(map);
            branch.put("branch", b);
            bh.consume(branch);
        }
    }
}
