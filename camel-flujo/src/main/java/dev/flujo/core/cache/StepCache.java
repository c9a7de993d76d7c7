package dev.flujo.core.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.flujo.core.context.FlujoContext;

/**
 * The output cache of one step: a Caffeine cache (W-TinyLFU eviction, size bound, optional time-to-live) of successful
 * outputs. Only successful outputs are stored and a {@code null} output is never cached.
 *
 * <p>
 * What the optimization options add ({@link Options}):
 * <ul>
 * <li>wide keys ({@code enableAlgorithmOptimization}): 128-bit hashes of text inputs, see {@link CacheKey};</li>
 * <li>compression ({@code cacheCompression}): large text outputs are kept deflated ({@link CompressedValue}) and
 * restored on a hit, with the codecs from a {@link CodecPool};</li>
 * <li>a memory guard ({@code enableMemoryOptimization}): while the heap is under pressure the cache shrinks to a
 * quarter of its size and refuses new entries; it grows back once the pressure is gone.</li>
 * </ul>
 * Executions that miss the same key at the same time can share one agent call ({@code enableCacheOptimization}):
 * {@link #lead} and {@link #finish} keep the calls in flight.
 */
public final class StepCache {

    /** @param compression the codecs of compressed entries, {@code null} = no compression */
    public record Options(boolean wideKeys, CodecPool compression, MemoryGuard memoryGuard) {
        public static final Options NONE = new Options(false, null, null);
    }

    private final String fingerprint;
    private final String[] keyContext;
    private final Duration ttl;
    private final Cache<CacheKey, Object> cache;
    private final Map<CacheKey, CompletableFuture<Object>> inFlight;
    private final Options options;
    private final LongAdder refusedUnderPressure;
    private final Sizing sizing;

    /**
     * The size the cache should have and whether memory pressure has shrunk it: one per Caffeine cache, shared by every
     * StepCache over it (a runtime change makes a new StepCache while exchanges in flight still write through the old
     * one), so they never undo each other's resizing.
     */
    private static final class Sizing {
        volatile long target;
        volatile boolean shrunk;

        Sizing(long target) {
            this.target = target;
        }
    }

    public StepCache(String fingerprint, List<String> keyContext, long maxSize, Duration ttl, Ticker ticker) {
        this(fingerprint, keyContext, maxSize, ttl, ticker, Options.NONE);
    }

    public StepCache(String fingerprint, List<String> keyContext, long maxSize, Duration ttl, Ticker ticker,
                     Options options) {
        this.fingerprint = fingerprint;
        this.keyContext = keyContext.toArray(String[]::new);
        this.ttl = ttl;
        this.options = Objects.requireNonNull(options, "options");
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(maxSize).ticker(ticker);
        if (ttl != null) {
            builder.expireAfterWrite(ttl);
        }
        this.cache = builder.build();
        this.inFlight = new ConcurrentHashMap<>();
        this.refusedUnderPressure = new LongAdder();
        this.sizing = new Sizing(maxSize);
    }

    /** The entries and calls in flight of {@code previous}, with new size and options (a runtime change). */
    private StepCache(StepCache previous, long maxSize, Options options) {
        this.fingerprint = previous.fingerprint;
        this.keyContext = previous.keyContext;
        this.ttl = previous.ttl;
        this.cache = previous.cache;
        this.inFlight = previous.inFlight;
        this.refusedUnderPressure = previous.refusedUnderPressure;
        this.options = options;
        this.sizing = previous.sizing;
        synchronized (sizing) {
            sizing.target = maxSize;
            if (options.memoryGuard() == null) {
                sizing.shrunk = false; // no guard any more: nothing will ever grow it back
            }
            setMaximum(sizing.shrunk ? Math.max(1, maxSize / 4) : maxSize);
        }
    }

    /**
     * This cache's entries under new settings, when the keys stay the same (fingerprint, key context, time-to-live,
     * hashing); otherwise {@code null}, and the caller starts an empty cache.
     */
    public StepCache reconfigured(
            String fingerprint, List<String> keyContext, long maxSize, Duration ttl,
            Options options) {
        boolean sameKeys = this.fingerprint.equals(fingerprint) && List.of(this.keyContext).equals(keyContext)
                && Objects.equals(this.ttl, ttl) && this.options.wideKeys() == options.wideKeys();
        return sameKeys ? new StepCache(this, maxSize, options) : null;
    }

    /**
     * The key of {@code input} in {@code context}: the fingerprint, the input and the values of the listed context keys
     * ({@code cacheKeyContext}), in the listed order. An absent key is the same as a null value (the context holds no
     * nulls) and differs from the text {@code "null"}; keys that are not listed never change the key.
     */
    public CacheKey keyFor(Object input, FlujoContext context) {
        Object[] values = null;
        if (keyContext.length > 0) {
            values = new Object[keyContext.length];
            for (int i = 0; i < keyContext.length; i++) {
                values[i] = context.get(keyContext[i]);
            }
        }
        return options.wideKeys() ? CacheKey.wide(fingerprint, input, values) : new CacheKey(fingerprint, input, values);
    }

    /** @return the cached output, or {@code null} on a miss */
    public Object get(CacheKey key) {
        Object value = cache.getIfPresent(key);
        // entries stay readable whatever the current options: compression may have been switched off at runtime
        return value instanceof CompressedValue compressed ? compressed.restore(codecs()) : value;
    }

    /** What the cache holds for a key, as stored (compressed or not); {@code null} on a miss. For tests. */
    Object rawValue(CacheKey key) {
        return cache.getIfPresent(key);
    }

    public void put(CacheKey key, Object output) {
        if (output == null || refusedForMemory()) {
            return;
        }
        CodecPool codecs = options.compression();
        cache.put(key, codecs == null ? output : CompressedValue.compressIfLarge(output, codecs));
    }

    private CodecPool codecs() {
        return options.compression() != null ? options.compression() : CodecPool.unpooled();
    }

    /** Shrinks the cache when memory comes under pressure, grows it back when the pressure is gone. */
    private boolean refusedForMemory() {
        MemoryGuard guard = options.memoryGuard();
        if (guard == null) {
            return false;
        }
        boolean pressure = guard.underPressure();
        if (pressure != sizing.shrunk) {
            synchronized (sizing) {
                if (pressure != sizing.shrunk) {
                    sizing.shrunk = pressure;
                    setMaximum(pressure ? Math.max(1, sizing.target / 4) : sizing.target);
                }
            }
        }
        if (pressure) {
            refusedUnderPressure.increment();
        }
        return pressure;
    }

    /**
     * Registers {@code call} as the call in flight for {@code key}, unless another one already is.
     *
     * @return the call already in flight (wait for its output), or {@code null} when {@code call} leads: its owner must
     *         {@link #finish} it whatever happens
     */
    public CompletableFuture<Object> lead(CacheKey key, CompletableFuture<Object> call) {
        return inFlight.putIfAbsent(key, call);
    }

    /** Ends a led call: its followers get {@code output} ({@code null}: nothing to share, they call themselves). */
    public void finish(CacheKey key, CompletableFuture<Object> call, Object output) {
        inFlight.remove(key, call);
        call.complete(output);
    }

    /** How this cache hashes, compresses and guards memory. */
    public Options options() {
        return options;
    }

    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** The size the cache is meant to have (the automatic optimizer may change it). */
    public long maximumSize() {
        return sizing.target;
    }

    /** Changes the cache's size at runtime; under memory pressure it takes effect once the pressure is gone. */
    public void maximumSize(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("cache size must be positive, was " + size);
        }
        synchronized (sizing) {
            sizing.target = size;
            if (!sizing.shrunk) {
                setMaximum(size);
            }
        }
    }

    private void setMaximum(long size) {
        cache.policy().eviction().ifPresent(eviction -> eviction.setMaximum(size));
    }

    /** The maximum Caffeine enforces now: a quarter of {@link #maximumSize()} under memory pressure. */
    public long currentMaximum() {
        return cache.policy().eviction().map(e -> e.getMaximum()).orElse(sizing.target);
    }

    /** New entries refused because memory was under pressure. */
    public long refusedUnderPressure() {
        return refusedUnderPressure.sum();
    }

    public boolean underMemoryPressure() {
        return sizing.shrunk;
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }
}
