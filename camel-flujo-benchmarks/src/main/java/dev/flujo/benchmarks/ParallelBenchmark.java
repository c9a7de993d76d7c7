package dev.flujo.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Scenario 5, end to end: {@code flujo:parallel} vs Camel's {@code multicast().parallelProcessing()} over the same N
 * {@code direct:} branch routes. Each branch does the usual transform and sets one property of its own; the exchange
 * comes in with {@code keys} user properties, which every branch receives.
 *
 * <p>
 * Both reply with the same thing, checked at setup: the body is a map branch → output in declared order and the
 * exchange carries the properties the branches set. Multicast gets there with {@link BranchMapAggregation}; flujo with
 * its default {@code CONTEXT_UPDATE} merge. {@code NO_MERGE} replies with the same map but drops the branches'
 * properties, so the difference to it is what the merge and applying it cost (the branches' writes are still collected:
 * that happens before the merge strategy is asked).
 *
 * <p>
 * Both dispatch the branches to a pool from Camel's default thread-pool profile: flujo to the component's continuation
 * pool, multicast to its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParallelBenchmark {

    private static final String INPUT = "Summarize the customer's ticket about a duplicate charge";

    @Param({ "2", "8" })
    public int branches;

    @Param({ "10" })
    public int keys;

    private CamelFixture camel;
    private final Map<String, Object> context = new LinkedHashMap<>();
    private Endpoint multicast;
    private Endpoint flujo;
    private Endpoint flujoNoMerge;

    @Setup
    public void start(BenchmarkParams params) throws Exception {
        for (int i = 0; i < keys; i++) {
            context.put("key" + i, "value" + i);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < branches; i++) {
            names.add("b" + i);
        }
        List<String> uris = names.stream().map(n -> "direct:" + n).toList();
        String flujoBranches = String.join(",", names.stream().map(n -> n + "=direct:" + n).toList());
        camel = new CamelFixture(Map.of(), new RouteBuilder() {
            @Override
            public void configure() {
                for (String name : names) {
                    from("direct:" + name).process(Work.plainProcessor()).setProperty(writtenKey(name), body());
                }
                from("direct:multicast").multicast(new BranchMapAggregation(names)).parallelProcessing()
                        .to(uris.toArray(String[]::new));
                from("direct:flujo").to("flujo:parallel:fan?branches=" + flujoBranches);
                from("direct:flujoNoMerge").to("flujo:parallel:fanNoMerge?mergeStrategy=NO_MERGE&branches="
                                               + flujoBranches);
            }
        });
        multicast = camel.endpoint("direct:multicast");
        flujo = camel.endpoint("direct:flujo");
        flujoNoMerge = camel.endpoint("direct:flujoNoMerge");
        // only the contender this fork measures, so one failing its check does not keep the others from being
        // measured; each is held to the same expected reply, so those that pass reply alike
        String measured = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        switch (measured) {
            case "camelMulticast" -> check(measured, multicast, names, true);
            case "flujoParallel" -> check(measured, flujo, names, true);
            case "flujoParallelNoMerge" -> check(measured, flujoNoMerge, names, false);
            default -> throw new IllegalStateException("no setup check for " + measured);
        }
    }

    @TearDown
    public void stop() {
        camel.close();
    }

    @Benchmark
    public Object camelMulticast() {
        return camel.request(multicast, INPUT, context);
    }

    @Benchmark
    public Object flujoParallel() {
        return camel.request(flujo, INPUT, context);
    }

    @Benchmark
    public Object flujoParallelNoMerge() {
        return camel.request(flujoNoMerge, INPUT, context);
    }

    private static String writtenKey(String branch) {
        return branch + "Output";
    }

    /**
     * Fails the run unless a contender replies with the map of outputs and (when merging) the branches' writes, and
     * nothing it runs on a pool thread throws: such an exception never reaches the reply, but it kills the pool thread,
     * so the figures would include starting new threads.
     */
    private void check(String contender, Endpoint endpoint, List<String> names, boolean merges) throws Exception {
        Map<String, Object> expectedBody = new LinkedHashMap<>();
        Map<String, Object> expectedProperties = new TreeMap<>(context);
        for (String name : names) {
            expectedBody.put(name, Work.transform(INPUT));
            if (merges) {
                expectedProperties.put(writtenKey(name), Work.transform(INPUT));
            }
        }
        List<Throwable> escaped = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> escaped.add(e));
        try {
            // several rounds: branches finish in a different order from one call to the next
            for (int round = 0; round < 100; round++) {
                checkReply(contender, camel.request(endpoint, INPUT, context), expectedBody, expectedProperties);
            }
            Thread.sleep(100); // a task handed to a pool may still run after the reply
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        if (!escaped.isEmpty()) {
            throw new IllegalStateException(
                    contender + ": " + escaped.size() + " exception(s) escaped to pool"
                                            + " threads in 100 calls, although every reply was right",
                    escaped.get(0));
        }
    }

    private static void checkReply(
            String contender, Exchange reply, Map<String, Object> expectedBody,
            Map<String, Object> expectedProperties) {
        Object body = reply.getMessage().getBody();
        // compared as entry lists, so the declared order counts too
        if (!(body instanceof Map<?, ?> map)
                || !new ArrayList<>(map.entrySet()).equals(new ArrayList<>(expectedBody.entrySet()))) {
            throw new IllegalStateException(contender + " replied " + body + ", expected " + expectedBody);
        }
        Map<String, Object> properties = new TreeMap<>();
        // Camel* properties are the machinery's own (e.g. CamelFlujoRun), not the context
        reply.getProperties().forEach((k, v) -> {
            if (!k.startsWith("Camel")) {
                properties.put(k, v);
            }
        });
        if (!properties.equals(expectedProperties)) {
            throw new IllegalStateException(
                    contender + " left properties " + properties + ", expected "
                                            + expectedProperties);
        }
    }
}
