package dev.flujo.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The scenarios of the report: which benchmark classes, which rows in which order, the reference rows, the targets. A
 * scenario whose rows do not fit the one-table-per-part form renders its own {@code table} (null: none).
 */
record Scenario(String title, String description, List<Part> parts, List<String> extraOnly, List<Target> targets,
        String notes, Function<BenchmarkReport, String> table) {

    /**
     * The rows one benchmark class adds to a scenario, in order, and the row their ratios are relative to. A scenario
     * with several parts compares different things (e.g. a context copy alone, then whole routes), so each part has its
     * own reference and a caption saying what it measures.
     */
    record Part(String caption, String className, List<String> order, String reference) {
    }

    /** A scenario of parts only. */
    Scenario(String title, String description, List<Part> parts, List<String> extraOnly, List<Target> targets,
             String notes) {
        this(title, description, parts, extraOnly, targets, notes, null);
    }

    /** A scenario of one benchmark class. */
    Scenario(String title, String description, String className, List<String> order, String reference,
             List<String> extraOnly, List<Target> targets, String notes) {
        this(title, description, List.of(new Part("", className, order, reference)), extraOnly, targets, notes);
    }

    private static final String CONCURRENCY = "ConcurrencyBenchmark.asyncAgent-inFlight10000";

    static final List<Scenario> ALL = List.of(
            new Scenario(
                    "1. Step overhead",
                    "`direct:` route → `flujo:step:x?agent=#noop` vs the same route with a plain `.process()` doing"
                                        + " the same work vs the bare function. Flujo's overhead is the difference between"
                                        + " `flujoStepRoute` and `plainProcessorRoute`.",
                    "StepOverheadBenchmark",
                    List.of("bareFunction", "coreExecuteOnly", "plainProcessorRoute", "plainToEndpointRoute",
                            "flujoStepRoute", "flujoStepRouteWithoutResultHeaders"),
                    "plainProcessorRoute",
                    List.of(),
                    List.of(Target.ratioAtMost("minimal `flujo:step` ≤ 1.5× the plain `.process()` route",
                            "StepOverheadBenchmark", "flujoStepRoute", "plainProcessorRoute", "", 1.5),
                            overheadNs(),
                            difference("of which: Camel's own cost of calling an endpoint with `to()` instead of"
                                       + " running an inline processor (`plainToEndpointRoute` − `plainProcessorRoute`)",
                                    "plainToEndpointRoute", "plainProcessorRoute"),
                            difference("of which: the Camel-free core running the step (`coreExecuteOnly` −"
                                       + " `bareFunction`)",
                                    "coreExecuteOnly", "bareFunction"),
                            adapterShare(),
                            difference("of which: writing the eight `CamelFlujo*` result headers (+ the usage marker)"
                                       + " into Camel's case-insensitive header map (`flujoStepRoute` −"
                                       + " `flujoStepRouteWithoutResultHeaders`)",
                                    "flujoStepRoute",
                                    "flujoStepRouteWithoutResultHeaders"),
                            Target.ratioAtMost("with `resultHeaders=false` (results read from `CamelFlujoRun`):"
                                               + " ≤ 1.5× the plain route",
                                    "StepOverheadBenchmark",
                                    "flujoStepRouteWithoutResultHeaders", "plainProcessorRoute", "", 1.5)),
                    "`coreExecuteOnly` runs the same step on `ExecutorCore` directly, without Camel;"
                                                                                                            + " `plainToEndpointRoute` sends to a trivial endpoint whose producer does the same work,"
                                                                                                            + " i.e. what any Camel endpoint costs. The rest of flujo's overhead is the adapter,"
                                                                                                            + " mostly the result headers the step contract asks for: each is a put into Camel's"
                                                                                                            + " case-insensitive `TreeMap`, comparing keys that share the 10-character `CamelFlujo`"
                                                                                                            + " prefix. `resultHeaders=false` leaves them out for routes that read the results from"
                                                                                                            + " the `CamelFlujoRun` property."),
            new Scenario(
                    "2. Full-featured step",
                    "The step with a validator, an output processor and usage limits with reservations, vs the"
                                             + " plain `.process()` route.",
                    "StepOverheadBenchmark",
                    List.of("plainProcessorRoute", "flujoFullFeaturedStepRoute"), "plainProcessorRoute",
                    List.of(),
                    List.of(Target.ratioAtMost("full-featured step ≤ 2.5× the plain `.process()` route",
                            "StepOverheadBenchmark", "flujoFullFeaturedStepRoute", "plainProcessorRoute", "", 2.5),
                            new Target(
                                    "what the validator, output processor and limits add to the minimal step"
                                       + " (`flujoFullFeaturedStepRoute` − `flujoStepRoute`)",
                                    r -> {
                                        Double full = r.score("StepOverheadBenchmark", "flujoFullFeaturedStepRoute", "");
                                        Double min = r.score("StepOverheadBenchmark", "flujoStepRoute", "");
                                        return full == null || min == null
                                                ? Target.Verdict.NOT_MEASURED
                                                : Target.Verdict.reported(String.format(Locale.ROOT, "%.0f ns",
                                                        full - min));
                                    })),
                    "The circuit breaker (`enableCircuitBreaker`) and the meters (`enablePerformanceMonitoring`),"
                                         + " both off by default, are not in this step: scenario 9 measures each of them on vs"
                                         + " off."),
            new Scenario(
                    "3. Pipeline of 5 steps",
                    "Five `flujo:step`s in one route vs five plain processors.",
                    "StepOverheadBenchmark",
                    List.of("plainFiveProcessorRoute", "flujoFiveStepRoute"), "plainFiveProcessorRoute",
                    List.of(), List.of(), ""),
            new Scenario(
                    "4. Cache hit path",
                    "`cache=true` with a repeated input vs the same step uncached, and vs a plain route reading"
                                         + " the value from camel-caffeine's `caffeine-cache` endpoint (GET). Inputs are fresh"
                                         + " string copies per operation, so hashes are computed as for a real request.",
                    "CacheBenchmark",
                    List.of("flujoUncachedStep", "flujoCacheHit", "camelCaffeineCacheGetRoute"),
                    "flujoUncachedStep", List.of(),
                    List.of(Target.ratioAtMost("cache hit end to end ≤ the uncached no-op step", "CacheBenchmark",
                            "flujoCacheHit", "flujoUncachedStep", "", 1.0),
                            Target.ratioAtMost("cache hit end to end ≤ the camel-caffeine route", "CacheBenchmark",
                                    "flujoCacheHit", "camelCaffeineCacheGetRoute", "", 1.0),
                            cacheDifference("what the hit path adds over the uncached step whose agent is a no-op"
                                            + " (`flujoCacheHit` − `flujoUncachedStep`)",
                                    "flujoUncachedStep"),
                            cacheDifference("what the hit path adds over the camel-caffeine route"
                                            + " (`flujoCacheHit` − `camelCaffeineCacheGetRoute`)",
                                    "camelCaffeineCacheGetRoute")),
                    "What limits these targets: the uncached step's agent is a no-op that costs nanoseconds, so"
                                                                    + " a hit can at best tie with it (the hit trades that call for a key hash and a Caffeine"
                                                                    + " lookup, scenario 4b); against a real model call a hit saves the call's whole latency"
                                                                    + " and cost. The camel-caffeine route does only the lookup, while a flujo hit still runs"
                                                                    + " the step machinery that scenario 1 measures (run, result, result headers)."),
            new Scenario(
                    "4b. Cache key cost",
                    "Building a key (fingerprint + input + one `cacheKeyContext` value) and hashing it, for a"
                                          + " 64-byte and a 10 KB input; `stringCopyOnly` is the cost of the fresh input copy"
                                          + " included in both.",
                    "CacheKeyBenchmark", List.of("stringCopyOnly", "cacheKey"), "stringCopyOnly",
                    List.of(), List.of(), ""),
            new Scenario(
                    "5. Context copy",
                    "Giving each branch its own context: first the copy alone, then end to end, `flujo:parallel`"
                                       + " against Camel's `multicast().parallelProcessing()`.",
                    List.of(new Part(
                            "The copy alone: giving 8 branches their own context and writing one"
                                     + " key in each, flujo's copy-on-write copy vs a deep copy of the map. (A parallel"
                                     + " step also takes one O(n) snapshot of the exchange properties, once per step,"
                                     + " not per branch.)",
                            "ContextCopyBenchmark", List.of("deepCopyBranches", "copyOnWriteBranches"),
                            "deepCopyBranches"),
                            new Part(
                                    "End to end: a `direct:` route fans the input out to N `direct:`"
                                     + " branch routes, each doing the transform and setting one property of its own;"
                                     + " the exchange comes in with `keys` user properties. Both contenders reply"
                                     + " with a map branch → output (declared order) and the properties the branches"
                                     + " set, checked at setup. `camelMulticast`: `multicast(strategy)"
                                     + ".parallelProcessing()` with an `AggregationStrategy` that builds the map and"
                                     + " copies the branches' properties. `flujoParallel`: `flujo:parallel` with its"
                                     + " defaults (`CONTEXT_UPDATE` merge, result headers on). `flujoParallelNoMerge`:"
                                     + " the same with `mergeStrategy=NO_MERGE`, which drops the branches' writes.",
                                    "ParallelBenchmark",
                                    List.of("camelMulticast", "flujoParallel", "flujoParallelNoMerge"),
                                    "camelMulticast")),
                    List.of(),
                    List.of(Target.speedupAtLeast("1,000-key context: copy-on-write ≥ 20× cheaper than a deep copy",
                            "ContextCopyBenchmark", "copyOnWriteBranches", "deepCopyBranches",
                            "branches=8, keys=1000", 20),
                            mergeCost("branches=2, keys=10"),
                            mergeCost("branches=8, keys=10")),
                    "Both end-to-end contenders hand the branches to a pool from Camel's default thread-pool"
                                                               + " profile (flujo: the component's FlujoBranches pool; multicast: its own), so on a"
                                                               + " 2-core machine the branches contend with the caller for the cores, and the times are"
                                                               + " mostly threads waking up: differences between them mean something only where they"
                                                               + " exceed the errors; `alloc B/op` does not depend on the load. What `NO_MERGE`"
                                                               + " saves is the merge strategy and putting its result on the exchange; each branch's"
                                                               + " writes are still found (its properties compared with what it was given) in both."
                                                               + " `flujoParallel` includes the `CamelFlujo*` result headers whose cost scenario 1"
                                                               + " shows; there are no targets for the end-to-end rows, only figures."),
            new Scenario(
                    "6. Concurrency",
                    "10,000 runs in flight against an agent that answers after 20 ms. `asyncAgent`: the reply is"
                                      + " completed by a 2-thread scheduler, no thread per call. `blockingAgent`, the"
                                      + " thread-per-call baseline: the agent sleeps on the caller's thread. Score = time to"
                                      + " complete one batch of 10,000.",
                    "ConcurrencyBenchmark", List.of("blockingAgent", "asyncAgent"), "blockingAgent",
                    List.of("ConcurrencyBenchmark."),
                    List.of(Target.extraBound("10,000 in flight with ≤ 50 threads in the JVM (JMH's own included)",
                            CONCURRENCY, "peakThreads", 50, false, " threads"),
                            throughputShare(), dispatchEstimate()),
                    "Throughput is runs per second over the batch; the ideal is in-flight / agent latency"
                                                                    + " (500,000/s here: no concurrency limit is configured). The batch time includes"
                                                                    + " starting all 10,000 runs from one thread, which is CPU work the ideal does not count,"
                                                                    + " and draining: 10,000 replies completed by a 2-thread scheduler, each running the"
                                                                    + " rest of its step and route on that thread, on 2 cores shared with the sender."),
            new Scenario(
                    "7. Peer: LangChain4j agentic",
                    "A sequence of 3 agents in `dev.langchain4j:langchain4j-agentic` over an in-JVM fake `ChatModel`"
                                                    + " vs a flujo pipeline of the same 3 steps over an agent doing the same work.",
                    "PeerBenchmark", List.of("langchain4jAgenticSequence", "flujoPipeline"),
                    "langchain4jAgenticSequence", List.of(),
                    List.of(Target.speedupAtLeast("flujo pipeline ≥ 2× faster than LangChain4j agentic",
                            "PeerBenchmark", "flujoPipeline", "langchain4jAgenticSequence", "", 2)),
                    ""),
            new Scenario(
                    "8. Memory",
                    "Heap retained per step-cache entry (10k and 100k entries; an entry's 20-character input and"
                                 + " output strings included), and heap after GC while running 1,000,000 cached steps"
                                 + " (sampled every 250,000 steps once the 10,000-entry cache is full).",
                    "MemoryBenchmark", List.of("retainedHeapPerCacheEntry"), "retainedHeapPerCacheEntry",
                    List.of("MemoryBenchmark.", "SoakBenchmark."),
                    List.of(Target.extraBound("heap flat after 1M steps: growth between samples ≤ 2 MB",
                            "SoakBenchmark.heapAfterOneMillionSteps", "largestGrowthBetweenSamplesMb", 2, false,
                            " MB")),
                    "The single-shot score of these rows is the time one shot took, not a memory figure; the"
                                     + " memory figures are the metrics listed above the table."),
            new Scenario(
                    "9. Optimization options, on vs off",
                    "Each performance option of issue 5 measured on and off through a real `flujo:` endpoint, on a"
                                                          + " workload where it can matter (listed below); one JMH fork per option and state, the"
                                                          + " rest of the endpoint's options the same. Every endpoint has `resultHeaders=false`, so"
                                                          + " that the result headers of scenario 1 do not add their noise around the difference."
                                                          + " The verdict is computed from the figures: two figures differ only when their ± error"
                                                          + " intervals do not overlap and they are at least "
                                                          + OptionComparison.MIN_SHARE_PERCENT
                                                          + "% apart (a time without an error estimate is `undetermined`); the extra metrics"
                                                          + " (agent calls per op, heap retained per cache entry) have no error estimate and differ"
                                                          + " when at least " + OptionComparison.MIN_EXTRA_SHARE_PERCENT
                                                          + "% apart. Compared are"
                                                          + " the time/op, `alloc B/op` and the extra metrics, lower being better in each. **pays**:"
                                                          + " on is better in something and worse in nothing; **costs**: the reverse;"
                                                          + " **trade-off**: both; **no measurable effect**: neither. `default` is the endpoint's"
                                                          + " default, read from `FlujoConfiguration`.",
                    List.of(), List.of(),
                    List.of(OptionComparison.defaultsTarget(), OptionComparison.candidatesTarget()),
                    "The resilience options (`enableCircuitBreaker`, `maxConcurrentExecutions`,"
                                                                                                     + " `enableConcurrencyOptimization`, `enableOptimizedErrorHandling`, the backoff `retryDelay`,"
                                                                                                     + " the rate limits `requestsPerMinute` and `tokensPerMinute`, set far above what one thread"
                                                                                                     + " reaches so that no call waits) and the monitoring"
                                                                                                     + " ones protect or observe rather than speed up: their rows are what they cost per"
                                                                                                     + " exchange on the happy path, where the best they can do is no measurable effect."
                                                                                                     + " `enableAutomaticOptimization` analyses every second here (on the component's"
                                                                                                     + " scheduler, not the exchange's thread). A `quick` run's wide errors make many rows"
                                                                                                     + " `no measurable effect`: a verdict of `pays` or `costs` there is a difference beyond"
                                                                                                     + " them.",
                    OptionComparison::table));

    private static Target overheadNs() {
        return new Target("flujo's overhead per step, in ns (no target; reported)", r -> {
            Double flujo = r.score("StepOverheadBenchmark", "flujoStepRoute", "");
            Double plain = r.score("StepOverheadBenchmark", "plainProcessorRoute", "");
            if (flujo == null || plain == null) {
                return Target.Verdict.NOT_MEASURED;
            }
            return Target.Verdict.reported(String.format(Locale.ROOT, "%.0f ns", flujo - plain));
        });
    }

    /** What limits the throughput target, measured: the batch split into starting the runs and draining them. */
    private static Target dispatchEstimate() {
        return new Target(
                "what limits it: the batch split into starting all runs from one thread, then waiting"
                          + " for the last to complete (the agent itself answers 20 ms after each call)",
                r -> {
                    Double dispatch = r.extra(CONCURRENCY, "dispatchMs");
                    Double drain = r.extra(CONCURRENCY, "drainAfterDispatchMs");
                    if (dispatch == null || drain == null) {
                        return Target.Verdict.NOT_MEASURED;
                    }
                    return Target.Verdict.reported(String.format(Locale.ROOT,
                            "%.0f ms starting + %.0f ms draining (ideal: all started at once, done 20 ms later)",
                            dispatch, drain));
                });
    }

    /**
     * What merging the branches' writes costs end to end: the default merge minus {@code NO_MERGE}, in time and in
     * allocation (which, unlike the time, does not move with the machine's load).
     */
    private static Target mergeCost(String params) {
        return new Target(
                "what merging the branches' writes costs, `" + params + "` (`flujoParallel` −"
                          + " `flujoParallelNoMerge`)",
                r -> {
                    Double merged = r.score("ParallelBenchmark", "flujoParallel", params);
                    Double unmerged = r.score("ParallelBenchmark", "flujoParallelNoMerge", params);
                    if (merged == null || unmerged == null) {
                        return Target.Verdict.NOT_MEASURED;
                    }
                    Double mergedAlloc = r.alloc("ParallelBenchmark", "flujoParallel", params);
                    Double unmergedAlloc = r.alloc("ParallelBenchmark", "flujoParallelNoMerge", params);
                    String alloc = mergedAlloc == null || unmergedAlloc == null
                            ? ""
                            : String.format(Locale.ROOT, ", %.0f B/op", mergedAlloc - unmergedAlloc);
                    return Target.Verdict.reported(String.format(Locale.ROOT, "%.0f ns", merged - unmerged) + alloc);
                });
    }

    private static Target cacheDifference(String text, String other) {
        return new Target(text, r -> {
            Double hit = r.score("CacheBenchmark", "flujoCacheHit", "");
            Double b = r.score("CacheBenchmark", other, "");
            return hit == null || b == null
                    ? Target.Verdict.NOT_MEASURED
                    : Target.Verdict.reported(String.format(Locale.ROOT, "%.0f ns", hit - b));
        });
    }

    private static Target difference(String text, String minuend, String subtrahend) {
        return new Target(text, r -> {
            Double a = r.score("StepOverheadBenchmark", minuend, "");
            Double b = r.score("StepOverheadBenchmark", subtrahend, "");
            return a == null || b == null
                    ? Target.Verdict.NOT_MEASURED
                    : Target.Verdict.reported(String.format(Locale.ROOT, "%.0f ns", a - b));
        });
    }

    private static Target adapterShare() {
        return new Target("of which: the adapter (the remainder)", r -> {
            Double flujo = r.score("StepOverheadBenchmark", "flujoStepRoute", "");
            Double toEndpoint = r.score("StepOverheadBenchmark", "plainToEndpointRoute", "");
            Double core = r.score("StepOverheadBenchmark", "coreExecuteOnly", "");
            Double bare = r.score("StepOverheadBenchmark", "bareFunction", "");
            if (flujo == null || toEndpoint == null || core == null || bare == null) {
                return Target.Verdict.NOT_MEASURED;
            }
            return Target.Verdict.reported(String.format(Locale.ROOT, "%.0f ns", flujo - toEndpoint - (core - bare)));
        });
    }

    private static Target throughputShare() {
        return new Target("throughput ≥ 80% of the ideal (in-flight / agent latency)", r -> {
            Double actual = r.extra(CONCURRENCY, "throughputPerSecond");
            Double ideal = r.extra(CONCURRENCY, "idealThroughputPerSecond");
            if (actual == null || ideal == null) {
                return Target.Verdict.NOT_MEASURED;
            }
            double share = actual / ideal;
            return new Target.Verdict(
                    String.format(Locale.ROOT, "%.0f%% (%s of %s runs/s)", share * 100,
                            BenchmarkReport.format(actual), BenchmarkReport.format(ideal)),
                    share >= 0.8);
        });
    }
}
