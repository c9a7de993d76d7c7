package dev.flujo.core.context;

import java.util.Map;
import java.util.Set;

/**
 * The read-only view of a run's context that agents, processors, validators and plugins see.
 *
 * <p>
 * In Camel the context is the exchange's user properties (see {@code dev.flujo.camel.context.ExchangeContext}). Steps
 * never write through this view: their writes ({@code updatesContext}, {@code sinkTo}) are returned in the
 * {@link dev.flujo.core.result.StepResult} and applied only after the step succeeded, so a failed attempt leaves no
 * trace in the context.
 */
public interface FlujoContext {

    /** @return the value, or {@code null} if the key is absent */
    Object get(String key);

    /**
     * @return                    the value converted by a cast, or {@code null} if absent
     * @throws ClassCastException naming the key when the value is of another type
     */
    default <T> T get(String key, Class<T> type) {
        Object value = get(key);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new ClassCastException(
                "Context key '" + key + "' holds a " + value.getClass().getName()
                                     + ", not a " + type.getName());
    }

    default boolean containsKey(String key) {
        return get(key) != null;
    }

    /** The keys present, as an unmodifiable set. */
    Set<String> keys();

    /** An unmodifiable view (or snapshot) of the whole context. */
    Map<String, Object> asMap();

    /**
     * A copy-on-write branch copy: O(1) until the copy is written, and isolated both ways: writes to the copy are never
     * seen here, and later writes here are never seen by the copy.
     */
    CopyOnWriteContext copy();

    static FlujoContext empty() {
        return CopyOnWriteContext.of(Map.of());
    }

    static CopyOnWriteContext of(Map<String, ?> values) {
        return CopyOnWriteContext.of(values);
    }
}
