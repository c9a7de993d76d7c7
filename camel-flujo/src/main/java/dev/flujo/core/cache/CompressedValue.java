package dev.flujo.core.cache;

import java.nio.charset.StandardCharsets;

/**
 * What the step cache holds instead of a large text or byte output ({@code cacheCompression}): the output deflated,
 * restored on every hit. Agent outputs are mostly prose or JSON, which deflates to a fraction of its size, so a cache
 * of a given entry count holds far less heap.
 *
 * <p>
 * A plain final class rather than a record: a record would compare its byte array by identity. Equality is not needed -
 * the cache compares keys, never values - so this class keeps identity equality, and the array stays private so that no
 * caller can change a cached output.
 */
public final class CompressedValue {

    /** Outputs smaller than this (in bytes, UTF-8 for text) stay as they are: deflating them saves too little. */
    public static final int THRESHOLD_BYTES = 1024;

    /** A UTF-16 char becomes at most this many UTF-8 bytes (a surrogate pair becomes 4, 2 per char). */
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;

    private final byte[] deflated;
    private final int originalLength;
    private final boolean text;

    private CompressedValue(byte[] deflated, int originalLength, boolean text) {
        this.deflated = deflated;
        this.originalLength = originalLength;
        this.text = text;
    }

    /**
     * @return a {@code CompressedValue} for a {@link String} whose UTF-8 form, or a {@code byte[]}, of at least
     *         {@link #THRESHOLD_BYTES} bytes that deflates to fewer bytes; {@code output} itself otherwise
     */
    public static Object compressIfLarge(Object output, CodecPool pool) {
        byte[] raw;
        if (output instanceof String s) {
            // the length check first spares small strings the encoding; a lone surrogate would not survive UTF-8
            if ((long) s.length() * MAX_UTF8_BYTES_PER_CHAR < THRESHOLD_BYTES || !survivesUtf8(s)) {
                return output;
            }
            raw = s.getBytes(StandardCharsets.UTF_8);
        } else if (output instanceof byte[] bytes) {
            raw = bytes;
        } else {
            return output;
        }
        if (raw.length < THRESHOLD_BYTES) {
            return output;
        }
        byte[] deflated = pool.deflate(raw);
        return deflated.length < raw.length
                ? new CompressedValue(deflated, raw.length, output instanceof String)
                : output;
    }

    /** @return an equal {@link String}, or a new {@code byte[]} with the original content */
    public Object restore(CodecPool pool) {
        byte[] raw = pool.inflate(deflated, originalLength);
        return text ? new String(raw, StandardCharsets.UTF_8) : raw;
    }

    /** The bytes held: the deflated length. */
    public int storedBytes() {
        return deflated.length;
    }

    /** Whether encoding to UTF-8 and back gives {@code s} again, i.e. it has no unpaired surrogate. */
    private static boolean survivesUtf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
