package dev.flujo.core.cache;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.flujo.core.context.FlujoContext;

/**
 * The output cache of one step: a Caffeine cache (W-TinyLFU eviction, size bound, optional time-to-live) of
 * successful outputs. Only successful outputs are stored and a {@code null} output is never cached.
 */
public final class StepCache {

    private final String fingerprint;
    private final String[] keyContext;
    private final Cache<CacheKey, Object> cache;

    public StepCache(String fingerprint, List<String> keyContext, long maxSize, Duration ttl, Ticker ticker) {
        this.fingerprint = fingerprint;
        this.keyContext = keyContext.toArray(String[]::new);
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(maxSize).ticker(ticker);
        if (ttl != null) {
            builder.expireAfterWrite(ttl);
        }
        this.cache = builder.build();
    }

    public CacheKey keyFor(Object input, FlujoContext context) {
        if (keyContext.length == 0) {
            return new CacheKey(fingerprint, input, null);
        }
        Object[] values = new Object[keyContext.length];
        for (int i = 0; i < keyContext.length; i++) {
            values[i] = context.get(keyContext[i]);
        }
        return new CacheKey(fingerprint, input, values);
    }

    /** @return the cached output, or {@code null} on a miss */
    public Object get(CacheKey key) {
        return cache.getIfPresent(key);
    }

    public void put(CacheKey key, Object output) {
        if (output != null) {
            cache.put(key, output);
        }
    }

    public long estimatedSize() {
        return cache.estimatedSize();
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }
}
