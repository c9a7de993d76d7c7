package dev.flujo.core.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.flujo.core.context.FlujoContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheKeyTest {

    @Test
    void equalKeysAreEqualWithEqualHashes() {
        CacheKey a = new CacheKey("step|agent", "input", new Object[] { "acme" });
        CacheKey b = new CacheKey("step|agent", "input", new Object[] { "acme" });

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void collidingInputsAreNotEqualKeys() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        CacheKey aa = new CacheKey("fp", "Aa", null);
        CacheKey bb = new CacheKey("fp", "BB", null);

        assertEquals(aa.hashCode(), bb.hashCode(), "the hashes collide");
        assertNotEquals(aa, bb, "but the full keys differ");
    }

    @Test
    void collidingContextValuesAreNotEqualKeys() {
        CacheKey aa = new CacheKey("fp", "same", new Object[] { "Aa" });
        CacheKey bb = new CacheKey("fp", "same", new Object[] { "BB" });

        assertEquals(aa.hashCode(), bb.hashCode());
        assertNotEquals(aa, bb);
    }

    @Test
    void byteArraysCompareByContent() {
        CacheKey a = new CacheKey("fp", new byte[] { 1, 2, 3 }, null);
        CacheKey b = new CacheKey("fp", new byte[] { 1, 2, 3 }, null);
        CacheKey c = new CacheKey("fp", new byte[] { 1, 2, 4 }, null);

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
    }

    @Test
    void nestedArraysInContextValuesCompareByContent() {
        CacheKey a = new CacheKey("fp", "in", new Object[] { new int[] { 1, 2 }, new String[] { "x" } });
        CacheKey b = new CacheKey("fp", "in", new Object[] { new int[] { 1, 2 }, new String[] { "x" } });

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void fingerprintIsPartOfTheKey() {
        assertNotEquals(new CacheKey("step-a", "in", null), new CacheKey("step-b", "in", null));
    }

    @Test
    void nullInputAndAbsentContextValues() {
        CacheKey a = new CacheKey("fp", null, new Object[] { null });
        CacheKey b = new CacheKey("fp", null, new Object[] { null });

        assertEquals(a, b);
        assertNotEquals(a, new CacheKey("fp", null, new Object[] { "x" }));
        assertNotEquals(new CacheKey("fp", null, null), a, "no listed keys differs from one absent listed key");
        assertFalse(a.equals(null));
        assertFalse(a.equals("fp"));
        assertThrows(NullPointerException.class, () -> new CacheKey(null, "in", null));
    }

    @Test
    void toStringNeverShowsTheInputNorTheFingerprint() {
        // the fingerprint holds the agent reference, which may be a URI with an API key
        String s = new CacheKey("step|agent=https://llm?apiKey=hunter2", "my secret prompt", null).toString();
        assertFalse(s.contains("secret"), s);
        assertFalse(s.contains("hunter2"), s);
        assertTrue(s.startsWith("CacheKey[hash="), s);
    }

    @Test
    void stepCacheKeysUseTheListedContextValues() {
        StepCache cache = new StepCache("fp", List.of("tenant"), 100, null, () -> 0L);

        CacheKey acme = cache.keyFor("q", FlujoContext.of(Map.of("tenant", "acme", "user", "ann")));
        CacheKey acmeBob = cache.keyFor("q", FlujoContext.of(Map.of("tenant", "acme", "user", "bob")));
        CacheKey globex = cache.keyFor("q", FlujoContext.of(Map.of("tenant", "globex")));

        assertEquals(acme, acmeBob);
        assertNotEquals(acme, globex);
    }

    @Test
    void stepCacheStoresNonNullOutputsAndExpiresOnItsTicker() {
        AtomicLong nanos = new AtomicLong();
        StepCache cache = new StepCache("fp", List.of(), 100, Duration.ofSeconds(60), nanos::get);
        CacheKey key = cache.keyFor("q", FlujoContext.empty());

        cache.put(key, null);
        assertNull(cache.get(key));
        cache.put(key, "out");
        assertEquals("out", cache.get(key));

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals("out", cache.get(key));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertNull(cache.get(key));

        cache.put(key, "again");
        cache.invalidateAll();
        assertNull(cache.get(key));
    }
}
