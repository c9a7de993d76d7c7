package dev.flujo.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The step cache: whether it is on, its size and lifetime, its key, and the cache optimizations.
 *
 * @param cache                       cache successful outputs
 * @param cacheTtl                    how long a cached output lives after it was written; {@code null} = until evicted
 * @param cacheMaxSize                the most entries the step cache holds
 * @param cacheKeyContext             context keys whose values are part of the cache key (e.g. a tenant id)
 * @param enableAlgorithmOptimization a 128-bit content hash of text cache keys (full-key equality kept)
 * @param enableCacheOptimization     concurrent misses of the same key share one agent call
 * @param cacheCompression            keep large text outputs compressed in the cache
 * @param enableMemoryOptimization    shrink the cache and refuse new entries under memory pressure
 * @param memoryPressureThresholdMb   used heap above which memory is under pressure; 0 = 90% of the maximum
 * @param enableObjectPool            pool the compression codecs of cacheCompression (native zlib state)
 * @param objectPoolMaxSize           idle objects the pool keeps
 * @param objectPoolCleanupThreshold  borrows after which an idle pooled object is released
 */
public record CacheOptions(boolean cache, Duration cacheTtl, long cacheMaxSize, List<String> cacheKeyContext,
        boolean enableAlgorithmOptimization, boolean enableCacheOptimization, boolean cacheCompression,
        boolean enableMemoryOptimization, long memoryPressureThresholdMb, boolean enableObjectPool,
        int objectPoolMaxSize, int objectPoolCleanupThreshold) {

    /** The most MB that still fits in a long count of bytes. */
    public static final long MAX_MEMORY_PRESSURE_THRESHOLD_MB = Long.MAX_VALUE >> 20;
    public static final CacheOptions DEFAULTS = new CacheOptions(
            false, null, 10_000, List.of(), false, true, false,
            false, 0, false, 16, 1000);

    public CacheOptions {
        // not List.copyOf: a null entry must survive until validate() can report it, naming the option
        cacheKeyContext = cacheKeyContext == null
                ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(cacheKeyContext));
    }

    void validate(List<String> problems) {
        Checks.positive(problems, "cacheTtl", cacheTtl);
        if (cacheMaxSize <= 0) {
            problems.add("cacheMaxSize must be positive, was " + cacheMaxSize);
        }
        for (String key : cacheKeyContext) {
            if (key == null || key.isBlank()) {
                problems.add("cacheKeyContext must list non-empty context keys, was " + cacheKeyContext);
                break;
            }
        }
        if (memoryPressureThresholdMb < 0 || memoryPressureThresholdMb > MAX_MEMORY_PRESSURE_THRESHOLD_MB) {
            problems.add("memoryPressureThresholdMb must be between 0 (= 90% of the maximum heap) and "
                         + MAX_MEMORY_PRESSURE_THRESHOLD_MB + ", was " + memoryPressureThresholdMb);
        }
        Checks.atLeastOne(problems, "objectPoolMaxSize", objectPoolMaxSize);
        Checks.atLeastOne(problems, "objectPoolCleanupThreshold", objectPoolCleanupThreshold);
    }
}
