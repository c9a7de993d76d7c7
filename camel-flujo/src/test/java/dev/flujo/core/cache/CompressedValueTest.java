package dev.flujo.core.cache;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressedValueTest {

    private final CodecPool pool = new CodecPool(4, 1000);

    @Test
    void largeStringRoundTripsEqualIncludingNonAsciiText() {
        String text = "Grüße aus Zürich, 東京の天気は晴れ, emoji \uD83D\uDE00 and plain ASCII too. "
                .repeat(40);

        Object stored = CompressedValue.compressIfLarge(text, pool);

        CompressedValue compressed = assertInstanceOf(CompressedValue.class, stored);
        Object restored = compressed.restore(pool);
        assertInstanceOf(String.class, restored);
        assertEquals(text, restored);
        assertEquals(text, compressed.restore(CodecPool.unpooled()), "any pool restores it");
    }

    @Test
    void smallStringIsReturnedUnchanged() {
        String text = "a short answer";

        assertSame(text, CompressedValue.compressIfLarge(text, pool));
    }

    @Test
    void theThresholdCountsUtf8BytesNotChars() {
        String below = "a".repeat(CompressedValue.THRESHOLD_BYTES - 1);
        String at = "a".repeat(CompressedValue.THRESHOLD_BYTES);
        String fewCharsManyBytes = "東".repeat(342); // 342 chars, 1026 UTF-8 bytes

        assertSame(below, CompressedValue.compressIfLarge(below, pool));
        assertInstanceOf(CompressedValue.class, CompressedValue.compressIfLarge(at, pool));
        assertInstanceOf(CompressedValue.class, CompressedValue.compressIfLarge(fewCharsManyBytes, pool));
    }

    @Test
    void byteArrayRoundTripsToANewArrayWithEqualContent() {
        byte[] bytes = "binary-ish payload 0123456789 ".repeat(100).getBytes(StandardCharsets.US_ASCII);

        CompressedValue compressed = assertInstanceOf(CompressedValue.class,
                CompressedValue.compressIfLarge(bytes, pool));
        byte[] first = assertInstanceOf(byte[].class, compressed.restore(pool));
        byte[] second = assertInstanceOf(byte[].class, compressed.restore(pool));

        assertArrayEquals(bytes, first);
        assertArrayEquals(bytes, second);
        assertNotSame(bytes, first);
        assertNotSame(first, second, "a caller changing its restored array cannot change the cached value");
    }

    @Test
    void incompressibleRandomBytesStayUnchanged() {
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);

        assertSame(random, CompressedValue.compressIfLarge(random, pool));
    }

    @Test
    void smallByteArrayAndOtherTypesStayUnchanged() {
        byte[] small = new byte[CompressedValue.THRESHOLD_BYTES - 1];
        Map<String, Object> map = Map.of("text", "x".repeat(5000));
        List<String> list = List.of("y".repeat(5000));

        assertSame(small, CompressedValue.compressIfLarge(small, pool));
        assertSame(map, CompressedValue.compressIfLarge(map, pool));
        assertSame(list, CompressedValue.compressIfLarge(list, pool));
    }

    @Test
    void aStringWithALoneSurrogateStaysUnchangedBecauseUtf8WouldNotKeepIt() {
        String text = "x".repeat(2000) + '\uD83D' + "y".repeat(2000);

        assertSame(text, CompressedValue.compressIfLarge(text, pool));
    }

    @Test
    void repetitiveTextIsStoredInFewerBytes() {
        String text = "{\"status\":\"ok\",\"items\":[1,2,3]}\n".repeat(100);
        int original = text.getBytes(StandardCharsets.UTF_8).length;

        CompressedValue compressed = assertInstanceOf(CompressedValue.class,
                CompressedValue.compressIfLarge(text, pool));

        assertTrue(compressed.storedBytes() < original / 10,
                compressed.storedBytes() + " stored bytes for " + original + " original bytes");
    }
}
