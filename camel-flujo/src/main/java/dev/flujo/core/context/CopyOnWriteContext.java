package dev.flujo.core.context;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A writable context whose {@link #copy()} costs O(1).
 *
 * <p>
 * Values live in a chain of frozen layers plus one private, lazily created overlay. Copying freezes the overlay into a
 * new shared layer (no entries are copied) and gives both sides an empty overlay, so each side's next write goes to its
 * own map. Reads walk the layers newest first; the chain is flattened once it grows past {@link #MAX_DEPTH} so a long
 * series of copy-then-write cannot make reads slow.
 *
 * <p>
 * Every {@link #put} is also recorded in {@link #writes()}, the changes this copy made since it was created, which is
 * what merge strategies combine when branches finish. Not thread-safe: one copy per branch.
 */
public final class CopyOnWriteContext implements FlujoContext {

    static final int MAX_DEPTH = 8;

    /** An immutable, shared slice of values; {@code parent} holds older values. */
    private record Layer(Map<String, Object> values, Layer parent, int depth) {
    }

    private static final Layer EMPTY = new Layer(Map.of(), null, 0);

    private Layer frozen;
    private Map<String, Object> overlay;
    private Map<String, Object> writes;

    private CopyOnWriteContext(Layer frozen) {
        this.frozen = frozen;
    }

    /** A context holding a snapshot of the given values (the map is copied once; null values are skipped). */
    public static CopyOnWriteContext of(Map<String, ?> values) {
        if (values.isEmpty()) {
            return new CopyOnWriteContext(EMPTY);
        }
        Map<String, Object> snapshot = new HashMap<>(values.size() * 2);
        values.forEach((k, v) -> {
            if (v != null) {
                snapshot.put(k, v);
            }
        });
        return new CopyOnWriteContext(new Layer(snapshot, null, 1));
    }

    /**
     * A branch's copy of {@code context}: copy-on-write (O(1)) with {@code enableContextOptimization}, else an eager
     * copy of every entry (the plain approach, kept to measure against; both are isolated both ways).
     */
    public static CopyOnWriteContext branchCopy(CopyOnWriteContext context, boolean copyOnWrite) {
        return copyOnWrite ? context.copy() : of(context.asMap());
    }

    /** Whether this copy still shares stored values with {@code other} (copy-on-write), rather than its own. */
    public boolean sharesStorageWith(CopyOnWriteContext other) {
        for (Layer mine = frozen; mine != null && mine != EMPTY; mine = mine.parent) {
            for (Layer theirs = other.frozen; theirs != null; theirs = theirs.parent) {
                if (mine == theirs) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public Object get(String key) {
        if (overlay != null) {
            Object v = overlay.get(key);
            if (v != null) {
                return v;
            }
        }
        for (Layer l = frozen; l != null; l = l.parent) {
            Object v = l.values.get(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Sets a value in this copy only. A {@code null} value is rejected: the context holds no nulls. */
    public CopyOnWriteContext put(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of context key '" + key + "'");
        if (overlay == null) {
            overlay = new HashMap<>();
        }
        overlay.put(key, value);
        if (writes == null) {
            writes = new LinkedHashMap<>();
        }
        writes.put(key, value);
        return this;
    }

    public CopyOnWriteContext putAll(Map<String, ?> values) {
        values.forEach(this::put);
        return this;
    }

    /** The values this copy wrote since it was created, in write order (last write per key). */
    public Map<String, Object> writes() {
        return writes == null ? Map.of() : Collections.unmodifiableMap(writes);
    }

    @Override
    public CopyOnWriteContext copy() {
        if (overlay != null) {
            frozen = frozen.depth >= MAX_DEPTH
                    ? new Layer(flatten(), null, 1)
                    : new Layer(overlay, frozen, frozen.depth + 1);
            overlay = null;
        }
        return new CopyOnWriteContext(frozen);
    }

    @Override
    public Set<String> keys() {
        return asMap().keySet();
    }

    /**
     * A snapshot of all values; O(n), meant for inspection rather than the hot path - except for an unwritten copy of a
     * flat context (a branch's context before its first write), whose one shared layer is returned as a read-only view
     * without copying: the layer is frozen, so the view is a snapshot too.
     */
    @Override
    public Map<String, Object> asMap() {
        if (overlay == null && frozen.parent == null) {
            return Collections.unmodifiableMap(frozen.values);
        }
        return Collections.unmodifiableMap(flatten());
    }

    private Map<String, Object> flatten() {
        Map<String, Object> all = new HashMap<>();
        putLayer(all, frozen);
        if (overlay != null) {
            all.putAll(overlay);
        }
        return all;
    }

    private static void putLayer(Map<String, Object> into, Layer layer) {
        if (layer == null) {
            return;
        }
        putLayer(into, layer.parent);
        into.putAll(layer.values);
    }

    @Override
    public String toString() {
        return "CopyOnWriteContext" + asMap();
    }
}
