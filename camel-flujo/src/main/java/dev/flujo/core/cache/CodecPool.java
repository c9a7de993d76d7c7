package dev.flujo.core.cache;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Deflates and inflates byte arrays with zlib codecs ({@link Deflater}, {@link Inflater}), pooled or not.
 *
 * <p>
 * The codecs are the only per-exchange objects worth pooling: each holds native zlib memory (a deflater about 256 KB)
 * and is costly to create, while everything else an exchange allocates is a cheap JVM allocation. The pool keeps at
 * most {@code maxIdle} idle codecs of each kind; a codec given back to a full shelf is {@code end()}ed at once instead
 * of waiting for the garbage collector to free its native memory.
 *
 * <p>
 * Idle codecs are released by a usage clock rather than a timer thread: every borrow (of either kind) ticks the clock,
 * and an idle codec that was not borrowed during the last {@code cleanupThreshold} borrows is {@code end()}ed. The
 * shelves are LIFO, so the hot codecs stay on top and are reused while the cold ones sink to the bottom, where they are
 * found and released. One clock for both kinds means idle inflaters are released even when only deflates happen (a
 * cache that is written but never hit).
 *
 * <p>
 * Thread-safe. A borrowed codec belongs to one thread until it is given back; it is {@code reset()} when given back, so
 * a pooled codec is always clean before it is reused.
 */
public final class CodecPool {

    private final int maxIdle;
    private final int cleanupThreshold;
    private final Object lock = new Object();
    private final Shelf<Deflater> deflaters = new Shelf<>(Deflater::new, Deflater::reset, Deflater::end);
    private final Shelf<Inflater> inflaters = new Shelf<>(Inflater::new, Inflater::reset, Inflater::end);
    private final LongAdder created = new LongAdder();
    private final LongAdder released = new LongAdder();
    /** Borrows so far, of either kind; guarded by {@link #lock}. */
    private long clock;

    /**
     * @param maxIdle          idle codecs kept of each kind; 0 keeps none (the same as {@link #unpooled()})
     * @param cleanupThreshold borrows after which a codec that stayed idle all along is released
     */
    public CodecPool(int maxIdle, int cleanupThreshold) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative, was " + maxIdle);
        }
        if (cleanupThreshold < 1) {
            throw new IllegalArgumentException("cleanupThreshold must be at least 1, was " + cleanupThreshold);
        }
        this.maxIdle = maxIdle;
        this.cleanupThreshold = cleanupThreshold;
    }

    /** A pool that keeps nothing: every call creates its codec and {@code end()}s it afterwards. */
    public static CodecPool unpooled() {
        return new CodecPool(0, 1);
    }

    /** @return {@code data} deflated in the zlib format (its checksum lets {@link #inflate} detect corruption) */
    public byte[] deflate(byte[] data) {
        Deflater deflater = borrowDeflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] out = new byte[Math.max(64, data.length / 4)];
            int length = 0;
            while (!deflater.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                length += deflater.deflate(out, length, out.length - length);
            }
            return Arrays.copyOf(out, length);
        } finally {
            giveBack(deflater);
        }
    }

    /**
     * @param  originalLength        the length of the data that was deflated
     * @return                       the inflated data, exactly {@code originalLength} bytes
     * @throws IllegalStateException when {@code compressed} is corrupt, truncated or does not inflate to
     *                               {@code originalLength} bytes
     */
    public byte[] inflate(byte[] compressed, int originalLength) {
        Inflater inflater = borrowInflater();
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[originalLength];
            int length = 0;
            while (!inflater.finished()) {
                // all input is there, so no progress means truncated input or more output than expected
                int inflated = inflater.inflate(out, length, out.length - length);
                if (inflated == 0 && !inflater.finished()) {
                    throw new IllegalStateException(
                            "Compressed cache value is truncated or longer than "
                                                    + originalLength + " bytes");
                }
                length += inflated;
            }
            if (length != originalLength) {
                throw new IllegalStateException(
                        "Compressed cache value inflated to " + length + " bytes, expected "
                                                + originalLength);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalStateException("Compressed cache value is corrupt", e);
        } finally {
            giveBack(inflater);
        }
    }

    /** Idle codecs of each kind kept ({@code objectPoolMaxSize}); 0 for an unpooled one. */
    public int maxIdle() {
        return maxIdle;
    }

    /** Borrows after which an idle codec is released ({@code objectPoolCleanupThreshold}). */
    public int cleanupThreshold() {
        return cleanupThreshold;
    }

    /** Codecs constructed so far, of both kinds. */
    public long created() {
        return created.sum();
    }

    /** Codecs {@code end()}ed so far (given back to a full shelf, or idle too long), of both kinds. */
    public long released() {
        return released.sum();
    }

    /** Codecs waiting in the pool now, of both kinds. */
    public int idle() {
        synchronized (lock) {
            return deflaters.size() + inflaters.size();
        }
    }

    // package-private so that tests can hold several codecs at once

    Deflater borrowDeflater() {
        return deflaters.borrow();
    }

    void giveBack(Deflater deflater) {
        deflaters.giveBack(deflater);
    }

    Inflater borrowInflater() {
        return inflaters.borrow();
    }

    void giveBack(Inflater inflater) {
        inflaters.giveBack(inflater);
    }

    /** The idle codecs of one kind, the last given back on top: stamps grow upwards, the stalest is at the bottom. */
    private final class Shelf<T> {

        private final Supplier<T> factory;
        private final Consumer<T> reset;
        private final Consumer<T> end;
        private final ArrayDeque<Idle<T>> idle = new ArrayDeque<>();

        Shelf(Supplier<T> factory, Consumer<T> reset, Consumer<T> end) {
            this.factory = factory;
            this.reset = reset;
            this.end = end;
        }

        T borrow() {
            Idle<T> top;
            synchronized (lock) {
                clock++;
                top = idle.pollFirst();
                deflaters.releaseStale();
                inflaters.releaseStale();
            }
            if (top != null) {
                return top.codec();
            }
            created.increment();
            return factory.get();
        }

        void giveBack(T codec) {
            reset.accept(codec);
            synchronized (lock) {
                if (idle.size() < maxIdle) {
                    idle.addFirst(new Idle<>(codec, clock));
                    return;
                }
            }
            release(codec);
        }

        /** Caller holds {@link #lock}. */
        void releaseStale() {
            while (!idle.isEmpty() && clock - idle.peekLast().since() > cleanupThreshold) {
                release(idle.pollLast().codec());
            }
        }

        int size() {
            return idle.size();
        }

        private void release(T codec) {
            end.accept(codec);
            released.increment();
        }
    }

    /** @param since the clock when the codec was given back */
    private record Idle<T>(T codec, long since) {
    }
}
