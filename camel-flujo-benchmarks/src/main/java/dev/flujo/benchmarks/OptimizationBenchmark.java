package dev.flujo.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Scenario 9: every performance option of issue 5, on vs off, through a real {@code flujo:} endpoint in a CamelContext,
 * each on a workload where it can matter ({@link #CASES}). One fork measures one option in one state ({@code option} ×
 * {@code state}); the report pairs the two states of an option and computes a verdict.
 *
 * <p>
 * The agents are in-JVM and deterministic. Only {@link Workload#SAME_INPUT_IN_FLIGHT} needs latency (misses in flight
 * at the same time): its agent answers after a fixed {@value #AGENT_DELAY_MICROS} µs, a CPU-free delay from
 * {@link CompletableFuture#delayedExecutor}. Every endpoint has {@code resultHeaders=false}, so that the CamelFlujo*
 * result headers (scenario 1) do not add their cost and noise around the difference an option makes.
 *
 * <p>
 * On the cached workloads the agent's calls are counted and written as {@value #AGENT_CALLS_PER_OP} (an extra metric);
 * on the large-output workloads the heap retained per cache entry is measured once at setup, as
 * {@value #RETAINED_BYTES_PER_ENTRY}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OptimizationBenchmark {

    /** The extra metric of the agent calls per operation (cached workloads). */
    public static final String AGENT_CALLS_PER_OP = "agentCallsPerOp";
    /** The extra metric of the heap retained per cache entry (large-output workloads). */
    public static final String RETAINED_BYTES_PER_ENTRY = "retainedBytesPerEntry";

    static final int AGENT_DELAY_MICROS = 1000;
    static final int IN_FLIGHT = 4;
    static final int BRANCHES = 4;
    static final int PROPERTIES = 50;
    static final int LARGE_INPUT_CHARS = 12 * 1024;
    static final int LARGE_OUTPUT_CHARS = 16 * 1024;
    /** Distinct inputs whose large outputs are cached at setup and then hit in turn. */
    static final int CACHED_OUTPUTS = 512;

    private static final String INPUT = "Summarize the customer's ticket about a duplicate charge";
    private static final String MEASURED = "direct:measured";
    private static final String METRICS_NAME = "OptimizationBenchmark.run";

    /** What an option is measured on: the endpoint sent to and what each operation sends. */
    public enum Workload {
        BARE_STEP("a bare `flujo:step` (no-op agent, no cache), one exchange per op",
                  "flujo:step:bare?agent=#noop", false),
        PARALLEL_BRANCHES("`flujo:parallel` over " + BRANCHES + " `direct:` branch routes (each does the transform and"
                          + " sets one property), the exchange carrying " + PROPERTIES + " properties",
                          "flujo:parallel:fan?branches=" + branchList(), false),
        LARGE_INPUTS("`cache=true`, distinct " + LARGE_INPUT_CHARS / 1024 + " KB text inputs: 3 of 4 ops miss,"
                     + " the 4th repeats the previous input (a hit)",
                     "flujo:step:largeInputs?agent=#noop&cache=true"
                                                                      + "&cacheMaxSize=1000",
                     true),
        SAME_INPUT_IN_FLIGHT("`cache=true`, " + IN_FLIGHT + " exchanges with the same new input in flight at once"
                             + " (an op), the agent answering after " + AGENT_DELAY_MICROS + " µs (a CPU-free delay)",
                             "flujo:step:inFlight?agent=#slow&cache=true", true),
        LARGE_OUTPUT_HITS("`cache=true`, " + LARGE_OUTPUT_CHARS / 1024 + " KB text outputs (prose-like), every op a hit"
                          + " on one of " + CACHED_OUTPUTS + " entries",
                          "flujo:step:largeOutputs?agent=#expand&cache=true"
                                                                         + "&cacheMaxSize=1024",
                          true),
        LARGE_OUTPUT_HITS_AND_MISSES("as the previous, but every 4th op is a new input (a miss: the output is"
                                     + " compressed and cached)",
                                     "flujo:step:largeOutputs?agent=#expand&cache=true&cacheMaxSize=1024",
                                     true),
        SMALL_MISSES("`cache=true`, a new short input every op (a miss and a cache write)",
                     "flujo:step:smallMisses?agent=#noop&cache=true&cacheMaxSize=1000", true);

        private final String description;
        private final String uri;
        private final boolean cached;

        Workload(String description, String uri, boolean cached) {
            this.description = description;
            this.uri = uri + "&resultHeaders=false";
            this.cached = cached;
        }

        public String description() {
            return description;
        }

        /** {@code b0=direct:b0,b1=direct:b1,...}; here, not in the outer class, which needs this enum initialised. */
        private static String branchList() {
            List<String> branches = new ArrayList<>();
            for (int i = 0; i < BRANCHES; i++) {
                branches.add("b" + i + "=direct:b" + i);
            }
            return String.join(",", branches);
        }
    }

    /**
     * One option measured: its URI name, the workload, its value on and off, what else the workload's endpoint needs
     * for the option to act ({@code with}, URI options, may be empty), and whether it guards (protects the agents or
     * the caller: a breaker, a limit, error classes, a backoff) rather than speeds up - a guard on by default is there
     * for what it prevents, and its row only shows what it costs on the happy path.
     */
    public record Case(String option, Workload workload, String on, String off, String with, boolean guard) {

        public Case(String option, Workload workload, String on, String off, String with) {
            this(option, workload, on, off, with, false);
        }

        /** The endpoint URI in a state. */
        String uri(boolean enabled) {
            return workload.uri + (with.isEmpty() ? "" : "&" + with) + "&" + option + "=" + (enabled ? on : off);
        }
    }

    /** Every option measured, in the order of the report; {@link #option}'s values list the same names. */
    public static final List<Case> CASES = List.of(
            new Case("enableStepOptimization", Workload.BARE_STEP, "true", "false", ""),
            new Case("enableContextOptimization", Workload.PARALLEL_BRANCHES, "true", "false", ""),
            new Case("enableAlgorithmOptimization", Workload.LARGE_INPUTS, "true", "false", ""),
            new Case("enableCacheOptimization", Workload.SAME_INPUT_IN_FLIGHT, "true", "false", ""),
            new Case("cacheCompression", Workload.LARGE_OUTPUT_HITS, "true", "false", ""),
            new Case(
                    "enableObjectPool", Workload.LARGE_OUTPUT_HITS_AND_MISSES, "true", "false",
                    "cacheCompression=true"),
            new Case("enableMemoryOptimization", Workload.SMALL_MISSES, "true", "false", ""),
            new Case("enablePerformanceMonitoring", Workload.BARE_STEP, "true", "false", ""),
            new Case(
                    "enableOptimizedTelemetry", Workload.BARE_STEP, "true", "false",
                    "enablePerformanceMonitoring=true"),
            new Case(
                    "enableAutomaticOptimization", Workload.BARE_STEP, "true", "false",
                    "enablePerformanceMonitoring=true&optimizationAnalysisIntervalSeconds=1"),
            new Case("enableCircuitBreaker", Workload.BARE_STEP, "true", "false", "", true),
            new Case("maxConcurrentExecutions", Workload.BARE_STEP, "64", "0", "", true),
            new Case("enableConcurrencyOptimization", Workload.BARE_STEP, "true", "false", "", true),
            new Case("enableOptimizedErrorHandling", Workload.BARE_STEP, "true", "false", "", true),
            // the happy path never waits: a backoff only acts on a failed call
            new Case("retryDelay", Workload.BARE_STEP, "500", "0", "", true),
            // limits far above what one thread reaches, so that the row is the cost of taking a permit, not of waiting
            new Case("requestsPerMinute", Workload.BARE_STEP, "60000000", "0", "", true),
            new Case("tokensPerMinute", Workload.BARE_STEP, "2000000000", "0", "", true));

    @Param({
            "enableStepOptimization", "enableContextOptimization", "enableAlgorithmOptimization",
            "enableCacheOptimization", "cacheCompression", "enableObjectPool", "enableMemoryOptimization",
            "enablePerformanceMonitoring", "enableOptimizedTelemetry", "enableAutomaticOptimization",
            "enableCircuitBreaker", "maxConcurrentExecutions", "enableConcurrencyOptimization",
            "enableOptimizedErrorHandling", "retryDelay", "requestsPerMinute", "tokensPerMinute" })
    public String option;

    @Param({ "on", "off" })
    public String state;

    private CamelFixture camel;
    private Callable<Object> operation;
    private final AtomicLong agentCalls = new AtomicLong();
    /** Numbers the inputs of the workloads that need new ones; never reset. */
    private long sequence;
    private long ops;
    private long callsAtIterationStart;
    private boolean measuring;
    private ExtraMetrics metrics;

    /** The name of the extra-metrics file of one option in one state (the report reads it by this name). */
    public static String extraMetricsName(String option, String state) {
        return new ExtraMetrics(METRICS_NAME, option + "-" + state).name();
    }

    public static Case caseOf(String option) {
        return CASES.stream().filter(c -> c.option().equals(option)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case for option " + option));
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        Case measured = caseOf(option);
        if (!state.equals("on") && !state.equals("off")) {
            throw new IllegalArgumentException("state must be on or off, was " + state);
        }
        metrics = new ExtraMetrics(METRICS_NAME, option + "-" + state);
        Executor afterDelay = CompletableFuture.delayedExecutor(AGENT_DELAY_MICROS, TimeUnit.MICROSECONDS,
                Runnable::run);
        FlujoAgent slow = request -> CompletableFuture.supplyAsync(
                () -> AgentResponse.of(Work.transform(request.input()), Work.FIXED_USAGE), afterDelay);
        FlujoAgent expand = request -> CompletableFuture.completedFuture(
                AgentResponse.of(expand(request.input()), Work.FIXED_USAGE));
        camel = new CamelFixture(
                Map.of("noop", counted(Work.noopAgent()), "slow", counted(slow),
                        "expand", counted(expand), "metricsRegistry", new SimpleMeterRegistry()),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        for (int i = 0; i < BRANCHES; i++) {
                            from("direct:b" + i).process(Work.plainProcessor()).setProperty("b" + i + "Output", body());
                        }
                        from(MEASURED).to(measured.uri(state.equals("on")));
                    }
                });
        operation = operation(measured.workload(), camel.endpoint(MEASURED));
    }

    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        ops = 0;
        callsAtIterationStart = agentCalls.get();
    }

    @TearDown(Level.Iteration)
    public void afterIteration() {
        if (measuring && caseOf(option).workload().cached && ops > 0) {
            metrics.add(AGENT_CALLS_PER_OP, (agentCalls.get() - callsAtIterationStart) / (double) ops);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        metrics.write();
        camel.close();
    }

    @Benchmark
    public Object run() throws Exception {
        ops++;
        return operation.call();
    }

    /** The operation of a workload, after whatever setup it needs, checked once. */
    private Callable<Object> operation(Workload workload, Endpoint endpoint) throws Exception {
        switch (workload) {
            case BARE_STEP -> {
                Callable<Object> op = () -> camel.request(endpoint, INPUT);
                expect(op.call(), Work.transform(INPUT));
                return op;
            }
            case SMALL_MISSES -> {
                Callable<Object> op = () -> camel.request(endpoint, "ticket " + ++sequence);
                expect(op.call(), Work.transform("ticket " + sequence));
                return op;
            }
            case PARALLEL_BRANCHES -> {
                Map<String, Object> properties = new HashMap<>();
                for (int i = 0; i < PROPERTIES; i++) {
                    properties.put("key" + i, "value" + i);
                }
                Callable<Object> op = () -> camel.request(endpoint, INPUT, properties);
                Object body = camel.request(endpoint, INPUT, properties).getMessage().getBody();
                if (!(body instanceof Map<?, ?> outputs) || outputs.size() != BRANCHES) {
                    throw new IllegalStateException("flujo:parallel replied " + body);
                }
                return op;
            }
            case LARGE_INPUTS -> {
                char[] buffer = text("large input", LARGE_INPUT_CHARS).toCharArray();
                // inputs 1, 2, 3, 3, 4, 5, 6, 6, ...: 3 of 4 ops send a new input, the 4th the previous one again
                Callable<Object> op = () -> {
                    long n = ++sequence;
                    return camel.request(endpoint, numbered(buffer, n - n / 4));
                };
                expect(op.call(), Work.transform(numbered(buffer, sequence - sequence / 4)));
                return op;
            }
            case SAME_INPUT_IN_FLIGHT -> {
                AsyncProducer producer = camel.asyncProducer(endpoint);
                Callable<Object> op = () -> camel.requestAllAtOnce(producer,
                        Collections.nCopies(IN_FLIGHT, "question " + ++sequence));
                expect(op.call(), Collections.nCopies(IN_FLIGHT, Work.transform("question " + sequence)));
                return op;
            }
            case LARGE_OUTPUT_HITS, LARGE_OUTPUT_HITS_AND_MISSES -> {
                List<String> inputs = new ArrayList<>(CACHED_OUTPUTS);
                for (int i = 0; i < CACHED_OUTPUTS; i++) {
                    inputs.add("document " + i);
                }
                fillMeasuringHeap(endpoint, inputs);
                boolean misses = workload == Workload.LARGE_OUTPUT_HITS_AND_MISSES;
                Callable<Object> op = () -> {
                    long n = ++sequence;
                    return camel.request(endpoint, misses && n % 4 == 0
                            ? "new document " + n
                            : inputs.get((int) (n % CACHED_OUTPUTS)));
                };
                long calls = agentCalls.get();
                expect(camel.request(endpoint, inputs.get(1)), expand(inputs.get(1)));
                if (agentCalls.get() != calls) {
                    throw new IllegalStateException("a cached output was not a hit");
                }
                return op;
            }
            default -> throw new IllegalStateException("no operation for " + workload);
        }
    }

    /** Caches the inputs' outputs and records the heap that retains, per entry. */
    private void fillMeasuringHeap(Endpoint endpoint, List<String> inputs) {
        camel.request(endpoint, "warm-up document"); // whatever the first exchange creates once is not counted
        long before = ExtraMetrics.usedHeapAfterGc();
        for (String input : inputs) {
            camel.request(endpoint, input);
        }
        long after = ExtraMetrics.usedHeapAfterGc();
        metrics.add(RETAINED_BYTES_PER_ENTRY, (after - before) / (double) inputs.size());
    }

    private FlujoAgent counted(FlujoAgent agent) {
        return request -> {
            agentCalls.incrementAndGet();
            return agent.call(request);
        };
    }

    private static void expect(Object actual, Object expected) {
        if (!expected.equals(actual)) {
            String shown = String.valueOf(actual);
            throw new IllegalStateException("unexpected reply: " + shown.substring(0, Math.min(200, shown.length())));
        }
    }

    /** The buffer with its first 12 characters replaced by the number, as a new string. */
    private static String numbered(char[] buffer, long number) {
        long n = number;
        for (int i = 11; i >= 0; i--) {
            buffer[i] = (char) ('0' + n % 10);
            n /= 10;
        }
        return new String(buffer);
    }

    /** The large output of an input: the input, then prose-like text it chooses; {@value #LARGE_OUTPUT_CHARS} chars. */
    static String expand(Object input) {
        return text(String.valueOf(input), LARGE_OUTPUT_CHARS);
    }

    private static final String[] WORDS = {
            "the", "customer", "reports", "that", "an", "invoice", "was", "charged",
            "twice", "for", "order", "and", "asks", "refund", "of", "payment", "support", "agent", "checked", "account",
            "history", "confirmed", "duplicate", "transaction", "on", "card", "will", "be", "reversed", "within", "days",
            "apologized" };

    /** Deterministic prose-like text of exactly {@code chars} characters, starting with the seed. */
    static String text(String seed, int chars) {
        StringBuilder sb = new StringBuilder(chars + 16).append(seed).append(':');
        int x = seed.hashCode() | 1;
        while (sb.length() < chars) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            sb.append(' ').append(WORDS[(x >>> 8) & (WORDS.length - 1)]);
        }
        sb.setLength(chars);
        return sb.toString();
    }
}
