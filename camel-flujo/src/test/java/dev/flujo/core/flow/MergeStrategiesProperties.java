package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.reliability.PropertyFigures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the built-in merge strategies promise (docs/kinds/parallel.md), checked on generated branch writes: keys from a
 * four-key alphabet so that branches collide, values that are small numbers, short strings, lists and maps of them
 * (nested up to two levels, with the odd {@code null} inside a list or map: the context itself holds no nulls, so
 * top-level values are never null). Each property's javadoc is the promise it checks.
 *
 * <p>
 * Tagged {@code property}: it runs in the test command with jqwik's default tries and in the stress profile with
 * {@code jqwik.tries.default} raised, which records its figure ({@link PropertyFigures}).
 */
@Tag("property")
@AddLifecycleHook(PropertyFigures.class)
@PropertyFigures.What(what = "Context merge strategies, generated branch writes (jqwik): no lost keys, last/first"
                             + " writer wins, associativity, echoes change nothing, list additions in declared order, conflicts named,"
                             + " same outcome whatever order the branches finish in",
                      found = "found: CONTEXT_UPDATE kept two branches' equal list additions once, but twice when a third branch"
                              + " also changed the list (not associative); fixed: every branch's additions are kept")
class MergeStrategiesProperties {

    private static final List<String> KEYS = List.of("k1", "k2", "k3", "k4");
    private static final List<String> SUB_KEYS = List.of("p", "q", "r");

    // --- no lost keys, nothing invented --------------------------------------------------------------------------

    /**
     * No lost keys: OVERWRITE, KEEP_FIRST, and CONTEXT_UPDATE and ERROR_ON_CONFLICT when they do not fail, write every
     * key any branch wrote and no key that no branch wrote.
     */
    @Property
    void everyWrittenKeyIsMergedAndNoOther(
            @ForAll("mergingStrategies") MergeStrategies strategy,
            @ForAll("parents") FlujoContext parent,
            @ForAll("branchWrites") List<BranchWrites> branches) {
        Map<String, Object> merged;
        try {
            merged = strategy.merge(parent, branches);
        } catch (MergeConflictException conflict) {
            assertTrue(strategy == MergeStrategies.CONTEXT_UPDATE || strategy == MergeStrategies.ERROR_ON_CONFLICT,
                    strategy + " never fails: " + conflict.getMessage());
            Statistics.label("outcome").collect(strategy, "conflict");
            return;
        }
        Statistics.label("outcome").collect(strategy, "merged");
        assertEquals(writtenKeys(branches), merged.keySet());
        Statistics.label("outcome").coverage(c -> {
            c.check(MergeStrategies.CONTEXT_UPDATE, "merged").percentage(p -> p > 5);
            c.check(MergeStrategies.ERROR_ON_CONFLICT, "merged").percentage(p -> p > 5);
        });
    }

    /**
     * CONTEXT_UPDATE keeps every key and sub-key a branch changed or added (at any depth of nested maps); a sub-key a
     * branch only kept as it was may go when another branch replaced that map without it.
     */
    @Property
    void contextUpdateKeepsEveryChangedKeyAndSubKey(
            @ForAll("parents") FlujoContext parent,
            @ForAll("branchWrites") List<BranchWrites> branches) {
        Map<String, Object> merged;
        try {
            merged = MergeStrategies.CONTEXT_UPDATE.merge(parent, branches);
        } catch (MergeConflictException conflict) {
            Statistics.collect("conflict");
            return;
        }
        Statistics.collect("merged");
        for (BranchWrites b : branches) {
            b.writes().forEach((key, value) -> {
                for (List<Object> path : changedPaths(List.of(key), value, parent.get(key))) {
                    assertTrue(hasPath(merged, path), () -> "lost " + path + " written by " + b.branch() + ": " + merged);
                }
            });
        }
        Statistics.coverage(c -> c.check("merged").percentage(p -> p > 20));
    }

    /** NO_MERGE writes nothing, whatever the branches wrote. */
    @Property
    void noMergeWritesNothing(
            @ForAll("parents") FlujoContext parent,
            @ForAll("branchWrites") List<BranchWrites> branches) {
        assertEquals(Map.of(), MergeStrategies.NO_MERGE.merge(parent, branches));
    }

    // --- who wins -------------------------------------------------------------------------------------------------

    /** OVERWRITE: each key takes the value of the last declared branch that wrote it; KEEP_FIRST: of the first. */
    @Property
    void overwriteIsLastWriterWinsAndKeepFirstFirstWriterWins(
            @ForAll("parents") FlujoContext parent,
            @ForAll("branchWrites") List<BranchWrites> branches) {
        Map<String, Object> last = new HashMap<>();
        Map<String, Object> first = new HashMap<>();
        for (BranchWrites b : branches) {
            last.putAll(b.writes());
            b.writes().forEach(first::putIfAbsent);
        }
        assertEquals(last, MergeStrategies.OVERWRITE.merge(parent, branches));
        assertEquals(first, MergeStrategies.KEEP_FIRST.merge(parent, branches));
    }

    /**
     * ERROR_ON_CONFLICT fails iff two branches wrote different values to one key; the exception names such a key and
     * every branch that wrote it, in declared order. Otherwise it writes each key's one value.
     */
    @Property
    void errorOnConflictFailsExactlyWhenTwoBranchesDisagree(
            @ForAll("parents") FlujoContext parent,
            @ForAll("branchWrites") List<BranchWrites> branches) {
        Set<String> disagreed = new LinkedHashSet<>();
        Map<String, Object> one = new HashMap<>();
        for (BranchWrites b : branches) {
            b.writes().forEach((k, v) -> {
                if (one.containsKey(k) && !Objects.equals(one.get(k), v)) {
                    disagreed.add(k);
                }
                one.putIfAbsent(k, v);
            });
        }
        Statistics.collect(disagreed.isEmpty() ? "agreed" : "disagreed");
        if (disagreed.isEmpty()) {
            assertEquals(one, MergeStrategies.ERROR_ON_CONFLICT.merge(parent, branches));
            return;
        }
        MergeConflictException e = assertThrows(MergeConflictException.class,
                () -> MergeStrategies.ERROR_ON_CONFLICT.merge(parent, branches));
        assertTrue(disagreed.contains(e.getKey()), () -> e.getKey() + " is not one of " + disagreed);
        assertEquals(writersOf(e.getKey(), branches), e.getBranches());
        assertTrue(e.getMessage().contains("'" + e.getKey() + "'"), e.getMessage());
        Statistics.coverage(c -> c.check("agreed").percentage(p -> p > 10));
    }

    // --- associativity --------------------------------------------------------------------------------------------

    /**
     * OVERWRITE and KEEP_FIRST are associative: merging branches a, b, c gives what merging merge(a, b), as one branch,
     * with c gives, and what merging a with merge(b, c) gives (a parallel step nested in another merges as if it were
     * flat).
     */
    @Property
    void overwriteAndKeepFirstAreAssociative(
            @ForAll("whoWins") MergeStrategies strategy,
            @ForAll("parents") FlujoContext parent,
            @ForAll("branch") BranchWrites a, @ForAll("branch") BranchWrites b,
            @ForAll("branch") BranchWrites c) {
        Map<String, Object> flat = strategy.merge(parent, List.of(a, b, c));
        Map<String, Object> left = strategy.merge(parent,
                List.of(new BranchWrites("ab", strategy.merge(parent, List.of(a, b))), c));
        Map<String, Object> right = strategy.merge(parent,
                List.of(a, new BranchWrites("bc", strategy.merge(parent, List.of(b, c)))));

        assertEquals(flat, left);
        assertEquals(flat, right);
    }

    /**
     * CONTEXT_UPDATE is associative for writes that extend the parent's values (a list the parent's list followed by
     * additions, a map that keeps the parent map's sub-keys): merging a, b, c, merging merge(a, b) with c and merging a
     * with merge(b, c) give the same writes, or all fail. Two branches that add the same items to a list are no
     * exception. Writes that shrink a value (a list that does not start with the parent's, a map without one of the
     * parent's sub-keys) are not covered: see the strategy's javadoc.
     */
    @Property
    void contextUpdateIsAssociativeForWritesThatExtendTheParent(
            @ForAll("extendingWrites") Tuple.Tuple2<FlujoContext, List<BranchWrites>> generated) {
        FlujoContext parent = generated.get1();
        List<BranchWrites> abc = generated.get2();
        BranchWrites a = abc.get(0);
        BranchWrites b = abc.get(1);
        BranchWrites c = abc.get(2);
        MergeStrategy merge = MergeStrategies.CONTEXT_UPDATE;

        Object flat = outcome(() -> merge.merge(parent, List.of(a, b, c)));
        Object left = outcome(() -> merge.merge(parent,
                List.of(new BranchWrites("ab", merge.merge(parent, List.of(a, b))), c)));
        Object right = outcome(() -> merge.merge(parent,
                List.of(a, new BranchWrites("bc", merge.merge(parent, List.of(b, c))))));

        Statistics.collect(flat instanceof MergeConflictException ? "conflict" : "merged");
        assertEquals(describe(flat), describe(left), "merge(merge(a, b), c)");
        assertEquals(describe(flat), describe(right), "merge(a, merge(b, c))");
        Statistics.coverage(cov -> cov.check("merged").percentage(p -> p > 30));
    }

    // --- what CONTEXT_UPDATE promises beyond that ----------------------------------------------------------------

    /**
     * CONTEXT_UPDATE: a branch that writes back values the parent already had changes nothing, wherever it is declared:
     * the context after the merge is the same as without it, and a merge that failed still fails.
     */
    @Property
    void contextUpdateIgnoresABranchThatWritesBackTheParentsValues(
            @ForAll("parents") FlujoContext parent,
            @ForAll("branchWrites") List<BranchWrites> branches,
            @ForAll("echoKeys") Set<String> echoed,
            @ForAll("positions") int position) {
        Map<String, Object> echo = new LinkedHashMap<>();
        echoed.stream().filter(k -> parent.get(k) != null).forEach(k -> echo.put(k, parent.get(k)));
        List<BranchWrites> withEcho = new ArrayList<>(branches);
        withEcho.add(Math.min(position, branches.size()), new BranchWrites("echo", echo));

        Object without = applied(parent, outcome(() -> MergeStrategies.CONTEXT_UPDATE.merge(parent, branches)));
        Object with = applied(parent, outcome(() -> MergeStrategies.CONTEXT_UPDATE.merge(parent, withEcho)));

        assertEquals(describe(without), describe(with));
    }

    /**
     * CONTEXT_UPDATE: when branches write disjoint keys the order they are declared in does not matter, and each key
     * takes its one writer's value.
     */
    @Property
    void contextUpdateOfDisjointKeysDoesNotDependOnOrder(
            @ForAll("parents") FlujoContext parent,
            @ForAll("disjointBranchWrites") List<BranchWrites> branches) {
        Map<String, Object> union = new HashMap<>();
        branches.forEach(b -> union.putAll(b.writes()));
        List<BranchWrites> reversed = new ArrayList<>(branches);
        Collections.reverse(reversed);

        assertEquals(union, MergeStrategies.CONTEXT_UPDATE.merge(parent, branches));
        assertEquals(union, MergeStrategies.CONTEXT_UPDATE.merge(parent, reversed));
    }

    /**
     * CONTEXT_UPDATE appends each branch's additions to the parent's list (or to none) in declared order: every
     * branch's, even when two branches added the same items.
     */
    @Property
    void contextUpdateAppendsEveryBranchsListAdditionsInDeclaredOrder(
            @ForAll("optionalLists") List<Object> start,
            @ForAll("additions") List<List<Object>> additions) {
        FlujoContext parent = start == null ? FlujoContext.empty() : FlujoContext.of(Map.of("log", start));
        List<Object> base = start == null ? List.of() : start;
        List<BranchWrites> branches = new ArrayList<>();
        List<Object> expected = new ArrayList<>(base);
        for (int i = 0; i < additions.size(); i++) {
            List<Object> written = new ArrayList<>(base);
            written.addAll(additions.get(i));
            branches.add(new BranchWrites("b" + i, Map.of("log", written)));
            expected.addAll(additions.get(i));
        }
        Statistics.collect(additions.size() > 1 && additions.stream().distinct().count() < additions.size()
                ? "equal additions" : "distinct additions");

        assertEquals(Map.of("log", expected), MergeStrategies.CONTEXT_UPDATE.merge(parent, branches));
    }

    // --- determinism ----------------------------------------------------------------------------------------------

    private static ScheduledExecutorService timer;
    private static ExecutorService pool;
    private static ExecutorCore core;

    @BeforeContainer
    static void startCore() {
        timer = Executors.newSingleThreadScheduledExecutor();
        pool = Executors.newFixedThreadPool(4);
        core = new ExecutorCore(timer, pool);
    }

    @AfterContainer
    static void stopCore() throws InterruptedException {
        timer.shutdownNow();
        pool.shutdownNow();
        assertTrue(timer.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /**
     * Determinism: a parallel step's merged writes (or its merge failure) are the same whatever order its branches
     * finish in: they are what the strategy makes of the branches' changes in declared order. The branches here all
     * start, then finish in a generated order.
     */
    @Property
    void aParallelStepMergesTheSameWhateverOrderItsBranchesFinishIn(
            @ForAll("strategies") MergeStrategies strategy, @ForAll("parents") FlujoContext parent,
            @ForAll("branchWrites") List<BranchWrites> branches, @ForAll("seeds") long seed)
            throws Exception {
        List<CompletableFuture<Object>> finish = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(branches.size());
        Map<String, FlujoBranch> declared = new LinkedHashMap<>();
        for (BranchWrites b : branches) {
            CompletableFuture<Object> done = new CompletableFuture<>();
            finish.add(done);
            declared.put(b.branch(), call -> {
                call.context().putAll(b.writes());
                started.countDown();
                return done;
            });
        }
        CompletableFuture<StepResult> step = new ParallelPlan(
                CompositeStep.of("par", "parallel"), declared, strategy,
                null, 0, null).execute(core, "in", parent, FlujoRun.create(), List.of());
        assertTrue(started.await(10, TimeUnit.SECONDS), "every branch started");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < finish.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(seed));
        order.forEach(i -> finish.get(i).complete("out" + i));

        Object expected = outcome(() -> strategy.merge(parent, changesOf(parent, branches)));
        Object actual = step.handle((result, failed) -> failed == null
                ? result.contextUpdates()
                : assertInstanceOf(MergeConflictException.class,
                        assertInstanceOf(FlujoStepFailedException.class, unwrapped(failed)).getCause()))
                .get(10, TimeUnit.SECONDS);
        assertEquals(exactly(expected), exactly(actual), "finish order " + order);
    }

    // --- generators -----------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<MergeStrategies> strategies() {
        return Arbitraries.of(MergeStrategies.class);
    }

    @Provide
    Arbitrary<MergeStrategies> mergingStrategies() {
        return Arbitraries.of(MergeStrategies.OVERWRITE, MergeStrategies.KEEP_FIRST, MergeStrategies.CONTEXT_UPDATE,
                MergeStrategies.ERROR_ON_CONFLICT);
    }

    @Provide
    Arbitrary<MergeStrategies> whoWins() {
        return Arbitraries.of(MergeStrategies.OVERWRITE, MergeStrategies.KEEP_FIRST);
    }

    @Provide
    Arbitrary<FlujoContext> parents() {
        return Arbitraries.maps(Arbitraries.of(KEYS), value(2)).ofMaxSize(4).map(m -> (FlujoContext) FlujoContext.of(m));
    }

    @Provide
    Arbitrary<BranchWrites> branch() {
        return writes().map(w -> new BranchWrites("b", w));
    }

    @Provide
    Arbitrary<List<BranchWrites>> branchWrites() {
        return writes().list().ofMinSize(1).ofMaxSize(4).map(MergeStrategiesProperties::named);
    }

    @Provide
    Arbitrary<List<BranchWrites>> disjointBranchWrites() {
        // each key goes to one of up to four branches, or to none
        return Combinators.combine(Arbitraries.integers().between(-1, 3).list().ofSize(KEYS.size()),
                value(2).list().ofSize(KEYS.size())).as((owners, values) -> {
                    List<Map<String, Object>> writes = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        writes.add(new LinkedHashMap<>());
                    }
                    for (int k = 0; k < KEYS.size(); k++) {
                        if (owners.get(k) >= 0) {
                            writes.get(owners.get(k)).put(KEYS.get(k), values.get(k));
                        }
                    }
                    return named(writes);
                });
    }

    @Provide
    Arbitrary<Set<String>> echoKeys() {
        return Arbitraries.subsetOf(KEYS);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 4);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<List<Object>> optionalLists() {
        return scalar().list().ofMaxSize(3).map(l -> (List<Object>) new ArrayList<>(l)).injectNull(0.2);
    }

    @Provide
    Arbitrary<List<List<Object>>> additions() {
        Arbitrary<List<Object>> one = Arbitraries.of("x", "y").map(s -> (Object) s).list().ofMinSize(1).ofMaxSize(2);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    /** A parent and three branches whose writes extend the parent's values (lists grow, maps keep sub-keys). */
    @Provide
    Arbitrary<Tuple.Tuple2<FlujoContext, List<BranchWrites>>> extendingWrites() {
        Arbitrary<Map<String, Delta>> branch = Arbitraries.maps(Arbitraries.of(KEYS), delta(2)).ofMaxSize(3);
        return Combinators.combine(Arbitraries.maps(Arbitraries.of(KEYS), value(2)).ofMaxSize(4),
                branch.list().ofSize(3)).as(
                        (parentValues, deltas) -> Tuple.of(FlujoContext.of(parentValues),
                                named(deltas.stream().map(d -> applied(d, parentValues)).toList())));
    }

    private static Arbitrary<Map<String, Object>> writes() {
        return Arbitraries.maps(Arbitraries.of(KEYS), value(2)).ofMaxSize(3);
    }

    private static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 2).map(i -> (Object) i),
                Arbitraries.of("x", "y").map(s -> (Object) s));
    }

    /** A scalar, or a list or map of values one level less deep; inside a container the odd value is null. */
    private static Arbitrary<Object> value(int depth) {
        if (depth == 0) {
            return scalar();
        }
        Arbitrary<Object> inner = value(depth - 1).injectNull(0.05);
        Arbitrary<Object> list = inner.list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.of(SUB_KEYS), inner).ofMaxSize(3)
                .map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(Tuple.of(4, scalar()), Tuple.of(2, list), Tuple.of(2, map));
    }

    /**
     * How a branch changes one value so that the result extends it: keep it, add items to a list, change some sub-keys
     * of a map (keeping the others), or put a scalar (two branches setting different scalars is a conflict, as it
     * should be). Generated independently of the parent, so it shrinks well.
     */
    private sealed interface Delta {
    }

    private record Keep() implements Delta {
    }

    private record Add(List<Object> items) implements Delta {
    }

    private record Sub(Map<String, Delta> changes) implements Delta {
    }

    private record Put(Object scalar) implements Delta {
    }

    private static Arbitrary<Delta> delta(int depth) {
        Arbitrary<Delta> keep = Arbitraries.just(new Keep());
        Arbitrary<Delta> add = Arbitraries.of("x", "y").map(s -> (Object) s).list().ofMinSize(1).ofMaxSize(2)
                .map(Add::new);
        Arbitrary<Delta> set = scalar().map(Put::new);
        if (depth == 0) {
            return Arbitraries.frequencyOf(Tuple.of(1, keep), Tuple.of(3, add), Tuple.of(1, set));
        }
        Arbitrary<Delta> sub = Arbitraries.maps(Arbitraries.of(SUB_KEYS), delta(depth - 1)).ofMinSize(1).ofMaxSize(2)
                .map(Sub::new);
        return Arbitraries.frequencyOf(Tuple.of(1, keep), Tuple.of(3, add), Tuple.of(3, sub), Tuple.of(1, set));
    }

    private static Map<String, Object> applied(Map<String, Delta> deltas, Map<String, Object> parent) {
        Map<String, Object> writes = new LinkedHashMap<>();
        deltas.forEach((key, d) -> {
            Object value = applied(d, parent.get(key));
            if (value != null) {
                writes.put(key, value);
            }
        });
        return writes;
    }

    /** The value {@code d} makes of {@code base}; {@code null} (no write) for keeping nothing. */
    private static Object applied(Delta d, Object base) {
        if (d instanceof Add add && (base == null || base instanceof List<?>)) {
            List<Object> grown = base == null ? new ArrayList<>() : new ArrayList<>((List<?>) base);
            grown.addAll(add.items());
            return grown;
        }
        if (d instanceof Sub sub && (base == null || base instanceof Map<?, ?>)) {
            Map<Object, Object> grown = base == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<?, ?>) base);
            sub.changes().forEach((k, subDelta) -> {
                Object value = applied(subDelta, grown.get(k));
                if (value != null) {
                    grown.put(k, value);
                }
            });
            return grown;
        }
        if (d instanceof Put put && !(base instanceof List<?>) && !(base instanceof Map<?, ?>)) {
            return put.scalar();
        }
        return base; // keep, or a change that does not fit the value: the value as it was
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static List<BranchWrites> named(List<Map<String, Object>> writes) {
        List<BranchWrites> named = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            named.add(new BranchWrites("b" + i, writes.get(i)));
        }
        return named;
    }

    private static Set<String> writtenKeys(List<BranchWrites> branches) {
        Set<String> keys = new java.util.HashSet<>();
        branches.forEach(b -> keys.addAll(b.writes().keySet()));
        return keys;
    }

    private static List<String> writersOf(String key, List<BranchWrites> branches) {
        return branches.stream().filter(b -> b.writes().containsKey(key)).map(BranchWrites::branch).toList();
    }

    /** What a parallel step hands its strategy: each branch's writes less those of the value the key already had. */
    private static List<BranchWrites> changesOf(FlujoContext parent, List<BranchWrites> branches) {
        return branches.stream().map(b -> {
            Map<String, Object> changed = new LinkedHashMap<>();
            b.writes().forEach((k, v) -> {
                if (!Objects.equals(parent.get(k), v)) {
                    changed.put(k, v);
                }
            });
            return new BranchWrites(b.branch(), changed);
        }).toList();
    }

    /** The paths (key, sub-key, ...) at which {@code value} changes or adds to {@code base}. */
    private static List<List<Object>> changedPaths(List<Object> path, Object value, Object base) {
        if (Objects.equals(value, base)) {
            return List.of();
        }
        List<List<Object>> paths = new ArrayList<>();
        paths.add(path);
        if (value instanceof Map<?, ?> map) {
            Map<?, ?> baseMap = base instanceof Map<?, ?> m ? m : Map.of();
            map.forEach((k, v) -> {
                List<Object> sub = new ArrayList<>(path);
                sub.add(k);
                paths.addAll(changedPaths(sub, v, baseMap.get(k)));
            });
        }
        return paths;
    }

    private static boolean hasPath(Map<?, ?> merged, List<Object> path) {
        Object at = merged;
        for (Object step : path) {
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(step)) {
                return false;
            }
            at = map.get(step);
        }
        return true;
    }

    private static Throwable unwrapped(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** The merged writes, or the conflict the merge failed with. */
    private static Object outcome(Supplier<Map<String, Object>> merge) {
        try {
            return merge.get();
        } catch (MergeConflictException conflict) {
            return conflict;
        }
    }

    /** The context the writes leave behind; a conflict as it is. */
    private static Object applied(FlujoContext parent, Object outcome) {
        if (outcome instanceof MergeConflictException) {
            return outcome;
        }
        Map<String, Object> after = new HashMap<>(parent.asMap());
        @SuppressWarnings("unchecked")
        Map<String, Object> writes = (Map<String, Object>) outcome;
        after.putAll(writes);
        return after;
    }

    /** Comparable form of an outcome, a conflict by the key and branches it names. */
    private static Object exactly(Object outcome) {
        return outcome instanceof MergeConflictException e
                ? "conflict on " + e.getKey() + " by " + e.getBranches()
                : outcome;
    }

    /** Comparable form of an outcome: the writes, or "conflict" (which key a failing merge names first may vary). */
    private static Object describe(Object outcome) {
        return outcome instanceof MergeConflictException ? "conflict" : outcome;
    }
}
