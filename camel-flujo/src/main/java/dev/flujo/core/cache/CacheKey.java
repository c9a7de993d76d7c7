package dev.flujo.core.cache;

import java.util.Arrays;
import java.util.Objects;

/**
 * The key of a cached step output: the step fingerprint, the input and the values of the listed context keys.
 *
 * <p>The hash is computed once; equality compares the full key (never a hash alone), so two inputs that collide
 * can never be served each other's output. Arrays are compared by content. Inputs must not be mutated after they
 * were used as a key (the Camel adapter turns streams into strings first).
 */
public final class CacheKey {

    private static final Object[] NO_VALUES = new Object[0];

    private final String fingerprint;
    private final Object input;
    private final Object[] contextValues;
    private final int hash;

    public CacheKey(String fingerprint, Object input, Object[] contextValues) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.input = input;
        this.contextValues = contextValues == null ? NO_VALUES : contextValues;
        this.hash = 31 * (31 * fingerprint.hashCode() + hashOf(input)) + Arrays.deepHashCode(this.contextValues);
    }

    /** Content hash for arrays (like {@link Objects#deepEquals}), the object's own hash otherwise. */
    private static int hashOf(Object input) {
        if (input == null) {
            return 0;
        }
        if (input.getClass().isArray()) {
            return Arrays.deepHashCode(new Object[] {input});
        }
        return input.hashCode();
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CacheKey other) || other.hash != hash) {
            return false;
        }
        return fingerprint.equals(other.fingerprint)
                && Objects.deepEquals(input, other.input)
                && Arrays.deepEquals(contextValues, other.contextValues);
    }

    @Override
    public String toString() {
        // neither the input (large, personal) nor the fingerprint (it may hold an agent URI with a key) is printed
        return "CacheKey[hash=" + Integer.toHexString(hash) + "]";
    }
}
