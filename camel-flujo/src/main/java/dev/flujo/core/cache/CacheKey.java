package dev.flujo.core.cache;

import java.util.Arrays;
import java.util.Objects;

import net.openhft.hashing.LongTupleHashFunction;

/**
 * The key of a cached step output: the step fingerprint, the input and the values of the listed context keys.
 *
 * <p>
 * The hash is computed once; equality compares the full key (never a hash alone), so two inputs that collide can never
 * be served each other's output. Arrays are compared by content, also arrays nested in arrays; an array inside a map or
 * a list compares as that map or list compares it, by identity, so an equal copy is a miss (never another input's hit).
 * Values of different types are different keys ({@code 1} and {@code 1L}, {@code "1"} and {@code 1}, a text and its
 * bytes). Inputs must not be mutated after they were used as a key (the Camel adapter turns streams into strings
 * first). CacheKeyProperties checks all of this on generated keys.
 *
 * <p>
 * {@code enableAlgorithmOptimization} ({@link #wide}): a text or byte input is hashed with 128-bit xxHash
 * (zero-allocation-hashing) instead of {@link String#hashCode()}, which walks a new string char by char on every
 * exchange; keys whose 128-bit hashes differ are told apart without comparing their inputs. Equality still compares the
 * full input when the hashes agree. docs/benchmarks.md has what it measured.
 */
public final class CacheKey {

    private static final Object[] NO_VALUES = new Object[0];
    private static final LongTupleHashFunction XX128 = LongTupleHashFunction.xx128();

    private final String fingerprint;
    private final Object input;
    private final Object[] contextValues;
    private final int hash;
    /** The 128-bit hash of a text or byte input (wide keys only). */
    private final long wideLow;
    private final long wideHigh;
    private final boolean wide;

    public CacheKey(String fingerprint, Object input, Object[] contextValues) {
        this(fingerprint, input, contextValues, false);
    }

    private CacheKey(String fingerprint, Object input, Object[] contextValues, boolean wideHash) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.input = input;
        this.contextValues = contextValues == null ? NO_VALUES : contextValues;
        long[] wideHash128 = wideHash ? wideHashOf(input) : null;
        this.wide = wideHash128 != null;
        this.wideLow = wide ? wideHash128[0] : 0;
        this.wideHigh = wide ? wideHash128[1] : 0;
        int inputHash = wide ? Long.hashCode(wideLow ^ wideHigh) : hashOf(input);
        this.hash = 31 * (31 * fingerprint.hashCode() + inputHash) + Arrays.deepHashCode(this.contextValues);
    }

    /**
     * A step fingerprint from named parts, such that different values never give the same text: each value is written
     * with its length ({@code agent=5:#echo}) and an absent one as {@code -} ({@code fallback=-}), so a value that
     * holds {@code |} or {@code name=} text cannot be read as two parts, nor two parts as one, and an unset option
     * differs from the text {@code "null"}. Joining {@code name=value} parts with {@code |} did neither.
     *
     * @param namesAndValues name, value, name, value, ...; names are fixed words without {@code =}
     */
    public static String fingerprint(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fingerprint parts come as name, value pairs");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = namesAndValues[i];
            if (name == null || name.indexOf('=') >= 0) {
                throw new IllegalArgumentException("fingerprint part name: " + name);
            }
            String value = namesAndValues[i + 1];
            text.append(i == 0 ? "" : "|").append(name).append('=');
            if (value == null) {
                text.append('-');
            } else {
                text.append(value.length()).append(':').append(value);
            }
        }
        return text.toString();
    }

    /** A key whose text or byte input is hashed with 128-bit xxHash (other inputs as by the plain constructor). */
    public static CacheKey wide(String fingerprint, Object input, Object[] contextValues) {
        return new CacheKey(fingerprint, input, contextValues, true);
    }

    private static long[] wideHashOf(Object input) {
        if (input instanceof String text) {
            return XX128.hashChars(text);
        }
        if (input instanceof byte[] bytes) {
            return XX128.hashBytes(bytes);
        }
        return null;
    }

    /** Content hash for arrays (like {@link Objects#deepEquals}), the object's own hash otherwise. */
    private static int hashOf(Object input) {
        if (input == null) {
            return 0;
        }
        if (input.getClass().isArray()) {
            return Arrays.deepHashCode(new Object[] { input });
        }
        return input.hashCode();
    }

    /** Whether the input was hashed with 128-bit xxHash ({@code enableAlgorithmOptimization}, text or bytes). */
    public boolean isWide() {
        return wide;
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
        if (wide && other.wide && (wideLow != other.wideLow || wideHigh != other.wideHigh)) {
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
