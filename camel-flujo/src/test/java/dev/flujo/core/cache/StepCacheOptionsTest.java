package dev.flujo.core.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.context.FlujoContext;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the optimization options change in a step cache: compression, the codec pool, the memory guard, resizing. */
class StepCacheOptionsTest {

    private static final String LARGE = "The quick brown fox jumps over the lazy dog. ".repeat(100);

    private final AtomicLong usedHeap = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final MemoryGuard guard = new MemoryGuard(1000, usedHeap::get, nanos::get);

    private static StepCache cache(long maxSize, StepCache.Options options) {
        return new StepCache("fp", List.of(), maxSize, null, () -> 0L, options);
    }

    private static CacheKey key(StepCache cache, Object input) {
        return cache.keyFor(input, FlujoContext.empty());
    }

    @Test
    void compressionKeepsLargeTextDeflatedAndServesItBackEqual() {
        CodecPool pool = new CodecPool(4, 1000);
        StepCache cache = cache(100, new StepCache.Options(false, pool, null));

        for (int i = 0; i < 50; i++) {
            cache.put(key(cache, "q" + i), LARGE + i);
        }
        cache.put(key(cache, "small"), "small output");

        assertInstanceOf(CompressedValue.class, cache.rawValue(key(cache, "q7")));
        assertEquals("small output", cache.rawValue(key(cache, "small")), "small outputs are kept as they are");
        assertEquals(LARGE + 7, cache.get(key(cache, "q7")));
        assertTrue(pool.created() <= 2, "one deflater and one inflater serve every call: " + pool.created());
    }

    @Test
    void withoutThePoolEveryCompressionCreatesAndReleasesACodec() {
        CodecPool unpooled = CodecPool.unpooled();
        StepCache cache = cache(100, new StepCache.Options(false, unpooled, null));
        long before = unpooled.created();

        for (int i = 0; i < 5; i++) {
            cache.put(key(cache, "q" + i), LARGE + i);
        }

        assertEquals(5, unpooled.created() - before);
    }

    @Test
    void withoutCompressionOutputsAreStoredAsTheyAre() {
        StepCache cache = cache(100, StepCache.Options.NONE);
        cache.put(key(cache, "q"), LARGE);
        assertSame(LARGE, cache.rawValue(key(cache, "q")));
    }

    @Test
    void underMemoryPressureTheCacheShrinksAndRefusesEntriesThenRecovers() {
        StepCache cache = cache(100, new StepCache.Options(false, null, guard));
        cache.put(key(cache, "before"), "kept");

        usedHeap.set(5000);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        cache.put(key(cache, "during"), "refused");

        assertNull(cache.get(key(cache, "during")));
        assertTrue(cache.underMemoryPressure());
        assertEquals(25, cache.currentMaximum(), "a quarter of its size");
        assertEquals(100, cache.maximumSize(), "the size it returns to");
        assertEquals(1, cache.refusedUnderPressure());

        usedHeap.set(10);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        cache.put(key(cache, "after"), "stored");

        assertEquals("stored", cache.get(key(cache, "after")));
        assertFalse(cache.underMemoryPressure());
        assertEquals(100, cache.currentMaximum());
    }

    @Test
    void withoutTheGuardPressureIsIgnored() {
        StepCache cache = cache(100, StepCache.Options.NONE);
        usedHeap.set(Long.MAX_VALUE);
        cache.put(key(cache, "q"), "stored");
        assertEquals("stored", cache.get(key(cache, "q")));
    }

    @Test
    void aRuntimeChangeKeepsTheEntriesWhenTheKeysStayTheSame() {
        StepCache cache = cache(100, StepCache.Options.NONE);
        cache.put(key(cache, "q"), "answer");

        StepCache resized = cache.reconfigured("fp", List.of(), 500, null, StepCache.Options.NONE);
        assertNotNull(resized);
        assertEquals("answer", resized.get(key(resized, "q")));
        assertEquals(500, resized.currentMaximum());

        assertNull(cache.reconfigured("fp", List.of("tenant"), 100, null, StepCache.Options.NONE),
                "other keys: a new cache");
        assertNull(cache.reconfigured("fp", List.of(), 100, null, new StepCache.Options(true, null, null)),
                "other hashing: a new cache");
    }

    @Test
    void wideKeysFindTheSameEntriesAsEachOtherAndTellDifferentInputsApart() {
        StepCache cache = cache(100, new StepCache.Options(true, null, null));
        cache.put(key(cache, LARGE), "answer");

        assertTrue(key(cache, LARGE).isWide());
        assertEquals("answer", cache.get(key(cache, new String(LARGE))));
        assertNull(cache.get(key(cache, LARGE + "!")));
        assertEquals(key(cache, "a"), key(cache, "a"));
        assertFalse(key(cache, 42).isWide(), "only text and bytes are hashed wide");
    }
}
