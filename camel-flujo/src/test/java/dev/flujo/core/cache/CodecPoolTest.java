package dev.flujo.core.cache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecPoolTest {

    private static final byte[] REPETITIVE = "{\"answer\":\"the same sentence again and again\"}\n".repeat(200)
            .getBytes(StandardCharsets.UTF_8);

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] roundTrip(CodecPool pool, byte[] data) {
        return pool.inflate(pool.deflate(data), data.length);
    }

    @Test
    void roundTripsRandomRepetitiveAndEmptyData() {
        for (CodecPool pool : List.of(CodecPool.unpooled(), new CodecPool(4, 1000))) {
            byte[] random = randomBytes(10_000, 42);
            assertArrayEquals(random, roundTrip(pool, random));
            assertArrayEquals(REPETITIVE, roundTrip(pool, REPETITIVE));
            assertArrayEquals(new byte[0], roundTrip(pool, new byte[0]));
            assertTrue(pool.deflate(REPETITIVE).length < REPETITIVE.length / 10, "repetitive data deflates well");
        }
    }

    @Test
    void sequentialDeflatesOfAPoolReuseOneDeflater() {
        CodecPool pool = new CodecPool(4, 1000);

        for (int i = 0; i < 1000; i++) {
            pool.deflate(REPETITIVE);
        }

        assertEquals(1, pool.created(), "one deflater, reused 999 times");
        assertEquals(0, pool.released());
        assertEquals(1, pool.idle());
    }

    @Test
    void sequentialRoundTripsOfAPoolReuseOneCodecOfEachKind() {
        CodecPool pool = new CodecPool(4, 1000);

        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(REPETITIVE, roundTrip(pool, REPETITIVE));
        }

        assertEquals(2, pool.created(), "a deflater and an inflater");
        assertEquals(2, pool.idle());
    }

    @Test
    void unpooledCreatesAndReleasesOneCodecPerCall() {
        CodecPool pool = CodecPool.unpooled();

        for (int i = 0; i < 10; i++) {
            roundTrip(pool, REPETITIVE);
        }

        assertEquals(20, pool.created());
        assertEquals(20, pool.released());
        assertEquals(0, pool.idle());
    }

    @Test
    void codecsGivenBackToAFullPoolAreReleased() throws Exception {
        int threads = 8;
        int maxIdle = 3;
        CodecPool pool = new CodecPool(maxIdle, 1000);
        CountDownLatch allBorrowed = new CountDownLatch(threads);
        CountDownLatch giveBack = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Deflater>> borrowed = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                borrowed.add(executor.submit(() -> {
                    Deflater deflater = pool.borrowDeflater();
                    allBorrowed.countDown();
                    giveBack.await();
                    pool.giveBack(deflater);
                    return deflater;
                }));
            }
            assertTrue(allBorrowed.await(10, TimeUnit.SECONDS), "all threads hold a deflater");
            assertEquals(threads, pool.created(), "no idle deflater to share, so each thread got a new one");
            giveBack.countDown();

            Set<Deflater> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<Deflater> future : borrowed) {
                distinct.add(future.get(10, TimeUnit.SECONDS));
            }
            assertEquals(threads, distinct.size(), "no deflater was handed to two threads");
        } finally {
            executor.shutdownNow();
        }
        assertEquals(maxIdle, pool.idle());
        assertEquals(threads - maxIdle, pool.released());
    }

    @Test
    void concurrentRoundTripsNeverShareACodec() throws Exception {
        int threads = 8;
        // no cleanup: idle codecs are never released, so any codec beyond one per thread and kind would be a new one
        CodecPool pool = new CodecPool(threads, Integer.MAX_VALUE);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte[] data = ("thread " + t + " writes its own text; ").repeat(100 + t)
                        .getBytes(StandardCharsets.UTF_8);
                results.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        if (!Arrays.equals(data, roundTrip(pool, data))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            start.countDown();
            for (Future<Boolean> result : results) {
                assertTrue(result.get(30, TimeUnit.SECONDS), "every round trip gives the thread's own data back");
            }
        } finally {
            executor.shutdownNow();
        }
        assertTrue(pool.created() <= 2L * threads, "at most one codec of each kind per thread, was " + pool.created());
        assertEquals(0, pool.released());
    }

    @Test
    void aCodecIdleForMoreThanTheCleanupThresholdIsReleasedAndTheHotOneKept() {
        int threshold = 10;
        CodecPool pool = new CodecPool(4, threshold);
        Deflater cold = pool.borrowDeflater();
        Deflater hot = pool.borrowDeflater();
        pool.giveBack(cold);
        pool.giveBack(hot);

        for (int i = 0; i < threshold; i++) {
            Deflater borrowed = pool.borrowDeflater();
            assertSame(hot, borrowed, "the last one given back is on top");
            pool.giveBack(borrowed);
        }
        assertEquals(2, pool.idle(), "idle for exactly the threshold: kept");
        assertEquals(0, pool.released());

        Deflater borrowed = pool.borrowDeflater();
        pool.giveBack(borrowed);

        assertSame(hot, borrowed);
        assertEquals(1, pool.released(), "idle for more than the threshold: released");
        assertEquals(1, pool.idle());
        assertEquals(2, pool.created());
    }

    @Test
    void deflatesAlsoReleaseAnIdleInflater() {
        int threshold = 5;
        CodecPool pool = new CodecPool(4, threshold);
        pool.inflate(pool.deflate(REPETITIVE), REPETITIVE.length);
        assertEquals(2, pool.idle());

        for (int i = 0; i <= threshold; i++) {
            pool.deflate(REPETITIVE);
        }

        assertEquals(1, pool.released(), "the inflater, not borrowed during the last deflates");
        assertEquals(1, pool.idle());
    }

    @Test
    void corruptInputFailsWithIllegalStateException() {
        CodecPool pool = new CodecPool(4, 1000);
        byte[] deflated = pool.deflate(REPETITIVE);
        byte[] flipped = deflated.clone();
        flipped[flipped.length / 2] ^= (byte) 0xFF;
        byte[] truncated = Arrays.copyOf(deflated, deflated.length / 2);

        assertThrows(IllegalStateException.class, () -> pool.inflate(randomBytes(500, 7), 2000), "not zlib");
        assertThrows(IllegalStateException.class, () -> pool.inflate(flipped, REPETITIVE.length), "flipped byte");
        assertThrows(IllegalStateException.class, () -> pool.inflate(truncated, REPETITIVE.length), "truncated");
        assertThrows(IllegalStateException.class, () -> pool.inflate(deflated, REPETITIVE.length - 1), "too long");
        assertThrows(IllegalStateException.class, () -> pool.inflate(deflated, REPETITIVE.length + 1), "too short");

        assertArrayEquals(REPETITIVE, pool.inflate(deflated, REPETITIVE.length), "the reset inflater works again");
        assertEquals(2, pool.created(), "the failed inflater was reset and reused, not replaced");
    }

    @Test
    void aBorrowedInflaterIsResetWhenGivenBack() {
        CodecPool pool = new CodecPool(4, 1000);
        Inflater inflater = pool.borrowInflater();
        inflater.setInput(pool.deflate(REPETITIVE));
        pool.giveBack(inflater);

        Inflater again = pool.borrowInflater();

        assertSame(inflater, again);
        assertEquals(0, again.getRemaining(), "no input left over from the last use");
        assertEquals(0, again.getBytesRead());
    }

    @Test
    void rejectsANegativeMaxIdleAndAThresholdBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new CodecPool(-1, 1000));
        assertThrows(IllegalArgumentException.class, () -> new CodecPool(4, 0));
    }
}
