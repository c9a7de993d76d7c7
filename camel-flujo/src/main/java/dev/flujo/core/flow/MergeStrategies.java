package dev.flujo.core.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.flujo.core.context.FlujoContext;

/**
 * The built-in merge strategies ({@code mergeStrategy=NAME}). Branches are always taken in declared order, never in the
 * order they happened to finish, so a merge is deterministic.
 */
public enum MergeStrategies implements MergeStrategy {

    /** The branches' writes are dropped; the context is as before the step. */
    NO_MERGE {
        @Override
        public Map<String, Object> merge(FlujoContext parent, List<BranchWrites> branches) {
            return Map.of();
        }
    },

    /**
     * The default. A key written by one branch takes its value; a key written by several is combined relative to the
     * value they started from (a branch that wrote it back unchanged changed nothing): maps merge recursively, lists
     * append (each branch's additions to the list it started from, in declared order: every branch's, also when two
     * branches added the same items), equal scalars are one value, and different scalars (or a map, a list and a
     * scalar) are a {@link MergeConflictException} naming the key and the branches.
     *
     * <p>
     * What it promises (MergeStrategiesProperties checks each): every key and sub-key a branch changed or added is in
     * the result, and no key that no branch wrote; a branch that wrote back the parent's values changes nothing;
     * branches that wrote disjoint keys may be declared in any order; and for writes that <em>extend</em> the parent's
     * values (a list that starts with the parent's list, a map that keeps the parent map's sub-keys) it is associative:
     * merging a, b, c is merging merge(a, b) with c, and a with merge(b, c), so a parallel step nested in another
     * merges as if it were flat.
     *
     * <p>
     * What it does not promise: associativity for writes that <em>shrink</em> a value. A branch that alone wrote a list
     * not starting with the parent's list (or a map without one of its sub-keys) replaced it; merged with other
     * branches the same list is appended whole after the parent's, and the dropped sub-key stays when another branch
     * kept it. So, from a parent list {@code [s]}, one branch writing {@code []} clears it but two give {@code [s]}.
     * Lists follow declared order, so reordering branches that appended to one list reorders the items.
     */
    CONTEXT_UPDATE {
        @Override
        public Map<String, Object> merge(FlujoContext parent, List<BranchWrites> branches) {
            Map<String, Object> merged = new LinkedHashMap<>();
            writersByKey(branches).forEach((key, writers) -> merged.put(key,
                    combine(key, parent.get(key), writers)));
            return merged;
        }
    },

    /** Every key takes the value of the last declared branch that wrote it. Associative, like {@link #KEEP_FIRST}. */
    OVERWRITE {
        @Override
        public Map<String, Object> merge(FlujoContext parent, List<BranchWrites> branches) {
            Map<String, Object> merged = new LinkedHashMap<>();
            branches.forEach(b -> merged.putAll(b.writes()));
            return merged;
        }
    },

    /** Every key takes the value of the first declared branch that wrote it. */
    KEEP_FIRST {
        @Override
        public Map<String, Object> merge(FlujoContext parent, List<BranchWrites> branches) {
            Map<String, Object> merged = new LinkedHashMap<>();
            branches.forEach(b -> b.writes().forEach(merged::putIfAbsent));
            return merged;
        }
    },

    /** Like {@link #OVERWRITE} for keys one branch wrote; any key two branches wrote with different values fails. */
    ERROR_ON_CONFLICT {
        @Override
        public Map<String, Object> merge(FlujoContext parent, List<BranchWrites> branches) {
            Map<String, Object> merged = new LinkedHashMap<>();
            writersByKey(branches).forEach((key, writers) -> {
                Object first = writers.get(0).value;
                if (writers.stream().anyMatch(w -> !Objects.equals(w.value, first))) {
                    throw new MergeConflictException(name(), key, names(writers));
                }
                merged.put(key, first);
            });
            return merged;
        }
    };

    /** One branch's value for one key (or a nested key). */
    private record Written(String branch, Object value) {
    }

    private static Map<String, List<Written>> writersByKey(List<BranchWrites> branches) {
        Map<String, List<Written>> byKey = new LinkedHashMap<>();
        for (BranchWrites b : branches) {
            b.writes().forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>(2)).add(new Written(b.branch(), v)));
        }
        return byKey;
    }

    private static List<String> names(List<Written> writers) {
        return writers.stream().map(Written::branch).toList();
    }

    private static Object combine(String path, Object base, List<Written> allWriters) {
        // a branch that wrote back the value it started from changed nothing (e.g. it rewrote a whole map to change
        // one field): only the branches that changed the value can conflict
        List<Written> writers = base == null
                ? allWriters
                : allWriters.stream().filter(w -> !Objects.equals(w.value, base)).toList();
        if (writers.isEmpty()) {
            return base;
        }
        Object first = writers.get(0).value;
        if (writers.size() == 1) {
            return first;
        }
        // maps and lists are combined even when equal: two branches that added the same item to a list added it
        // twice, and an equal shortcut would keep it once or twice depending on whether a third branch changed the
        // list too (and nesting a parallel step in another would change the result)
        if (writers.stream().allMatch(w -> w.value instanceof Map<?, ?>)) {
            return combineMaps(path, base instanceof Map<?, ?> m ? m : Map.of(), writers);
        }
        if (writers.stream().allMatch(w -> w.value instanceof List<?>)) {
            return appendLists(base instanceof List<?> l ? l : List.of(), writers);
        }
        if (writers.stream().allMatch(w -> Objects.equals(w.value, first))) {
            return first;
        }
        throw new MergeConflictException(CONTEXT_UPDATE.name(), path, names(writers));
    }

    private static Map<Object, Object> combineMaps(String path, Map<?, ?> base, List<Written> writers) {
        Map<Object, List<Written>> bySubKey = new LinkedHashMap<>();
        for (Written w : writers) {
            ((Map<?, ?>) w.value).forEach((k, v) -> bySubKey.computeIfAbsent(k, x -> new ArrayList<>(2))
                    .add(new Written(w.branch, v)));
        }
        Map<Object, Object> merged = new LinkedHashMap<>();
        bySubKey.forEach((k, subWriters) -> merged.put(k, combine(path + "." + k, valueOf(base, k), subWriters)));
        return merged;
    }

    /** {@code base.get(key)}, also for a null key, which immutable maps ({@code Map.of}) refuse to look up. */
    private static Object valueOf(Map<?, ?> base, Object key) {
        if (key != null) {
            return base.get(key);
        }
        for (Map.Entry<?, ?> e : base.entrySet()) {
            if (e.getKey() == null) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Each branch started from the same list (the parent's value, or none): what it added is what follows that prefix.
     * A branch whose list does not start with it (it replaced the list) contributes its whole list.
     */
    private static List<Object> appendLists(List<?> base, List<Written> writers) {
        List<Object> merged = new ArrayList<>(base);
        for (Written w : writers) {
            List<?> list = (List<?>) w.value;
            boolean extendsBase = list.size() >= base.size() && list.subList(0, base.size()).equals(base);
            merged.addAll(extendsBase ? list.subList(base.size(), list.size()) : list);
        }
        return merged;
    }
}
