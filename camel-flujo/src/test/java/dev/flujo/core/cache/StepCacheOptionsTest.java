package dev.flujo.core.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.context.FlujoContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /*
     * From the review of issue 5, fixed since: StepCache.reconfigured (StepCache.java:71-82) shares the Caffeine cache
     * of the previous instance but not its resize state: `shrunk` and `targetMaximum` are per instance, and
     * refusedForMemory() synchronizes on `this`. The plan a runtime change replaced stays in use by the exchanges in
     * flight, and their writes go through the old instance. Under memory pressure such a write shrinks the shared cache
     * to a quarter of the OLD size; when the pressure is gone, the new instance never restores it (its own `shrunk` is
     * false, so it sees no transition) and the cache stays at a quarter of the old size until the next pressure episode
     * seen by the new instance. (The reverse also happens: an old instance that was shrunk restores its old target size
     * over the new one.) Fix: keep the resize state (target size, shrunk flag, its lock) in one object shared by every
     * instance over the same Caffeine cache, e.g. a `Sizing` holder passed on by reconfigured(), and let the old
     * instance see the new target.
     */
    @Test
    void aLateWriteThroughTheReplacedCacheDoesNotLeaveTheNewCacheShrunkAfterThePressureEnds() {
        AtomicLong usedHeap = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        // each plan gets its own guard of the same heap (MemoryGuard.forHeap per plan build)
        MemoryGuard oldGuard = new MemoryGuard(1000, usedHeap::get, nanos::get);
        MemoryGuard newGuard = new MemoryGuard(1000, usedHeap::get, nanos::get);
        StepCache old = new StepCache(
                "fp", List.of(), 100, null, () -> 0L,
                new StepCache.Options(false, null, oldGuard));
        StepCache resized = old.reconfigured("fp", List.of(), 1000, null,
                new StepCache.Options(false, null, newGuard));
        assertEquals(1000, resized.currentMaximum());

        // memory pressure; an exchange that started on the old plan ends and writes through the old instance
        usedHeap.set(5000);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        old.put(old.keyFor("late", FlujoContext.empty()), "late output");

        // the pressure is gone; the new plan writes
        usedHeap.set(10);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        resized.put(resized.keyFor("fresh", FlujoContext.empty()), "fresh output");

        assertFalse(resized.underMemoryPressure());
        assertEquals(1000, resized.currentMaximum(),
                "no pressure any more, yet the cache is stuck at a quarter of the replaced plan's size");
    }

    // from the review of issue 5 (a pin: behaviour that is right)
    @Test
    void compressedEntriesComeBackWithTheirTypeAndTheirNonAsciiText() {
        StepCache cache = new StepCache(
                "fp", List.of(), 100, null, () -> 0L,
                new StepCache.Options(false, new CodecPool(2, 100), null));
        String text = "Grüße aus Zürich, 東京, emoji \uD83D\uDE00 - ".repeat(60);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_16);
        CacheKey textKey = cache.keyFor("t", FlujoContext.empty());
        CacheKey bytesKey = cache.keyFor("b", FlujoContext.empty());

        cache.put(textKey, text);
        cache.put(bytesKey, bytes);

        assertEquals(text, cache.get(textKey));
        byte[] restored = assertInstanceOf(byte[].class, cache.get(bytesKey));
        assertArrayEquals(bytes, restored);
    }
}
