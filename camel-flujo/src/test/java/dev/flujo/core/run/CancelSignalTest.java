package dev.flujo.core.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CancelSignalTest {

    @Test
    void listenersRunOnceWithTheReasonInRegistrationOrder() {
        CancelSignal signal = new CancelSignal();
        List<String> calls = new ArrayList<>();
        signal.onCancel(r -> calls.add("first:" + r.getMessage()));
        signal.onCancel(r -> calls.add("second:" + r.getMessage()));
        IllegalStateException why = new IllegalStateException("stop");

        assertNull(signal.reason());
        assertTrue(signal.cancel(why));
        assertFalse(signal.cancel(new IllegalStateException("again")), "the first cancel wins");

        assertEquals(List.of("first:stop", "second:stop"), calls);
        assertSame(why, signal.reason());
    }

    @Test
    void aListenerRegisteredAfterTheCancelRunsAtOnceWithTheFirstReason() {
        CancelSignal signal = new CancelSignal();
        IllegalStateException why = new IllegalStateException("stop");
        signal.cancel(why);
        List<Throwable> seen = new ArrayList<>();

        CancelSignal.Registration registration = signal.onCancel(seen::add);

        assertEquals(List.of(why), seen);
        registration.remove(); // a no-op, and harmless
        signal.cancel(new IllegalStateException("later"));
        assertEquals(1, seen.size());
    }

    @Test
    void aRemovedListenerIsNotCalled() {
        CancelSignal signal = new CancelSignal();
        AtomicInteger removedCalls = new AtomicInteger();
        AtomicInteger keptCalls = new AtomicInteger();
        CancelSignal.Registration removed = signal.onCancel(r -> removedCalls.incrementAndGet());
        signal.onCancel(r -> keptCalls.incrementAndGet());

        removed.remove();
        signal.cancel(new IllegalStateException("stop"));

        assertEquals(0, removedCalls.get());
        assertEquals(1, keptCalls.get());
    }

    @Test
    void aListenerMayRemoveItselfOrRegisterAnotherWhileBeingNotified() {
        CancelSignal signal = new CancelSignal();
        List<String> calls = new CopyOnWriteArrayList<>();
        CancelSignal.Registration[] self = new CancelSignal.Registration[1];
        self[0] = signal.onCancel(r -> {
            self[0].remove();
            signal.onCancel(late -> calls.add("registered during notification"));
            calls.add("first");
        });

        signal.cancel(new IllegalStateException("stop"));

        assertEquals(List.of("registered during notification", "first"), calls);
    }

    @Test
    void ofConcurrentCancelsExactlyOneWinsAndEachListenerRunsOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            CancelSignal signal = new CancelSignal();
            AtomicInteger notified = new AtomicInteger();
            signal.onCancel(r -> notified.incrementAndGet());
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> wins = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    wins.add(pool.submit(() -> {
                        go.await();
                        return signal.cancel(new IllegalStateException("racer"));
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> w : wins) {
                    won += w.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won);
                assertEquals(1, notified.get());
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromBeingNotified() {
        CancelSignal signal = new CancelSignal();
        AtomicInteger notified = new AtomicInteger();
        signal.onCancel(r -> {
            throw new IllegalStateException("listener bug");
        });
        signal.onCancel(r -> notified.incrementAndGet());

        try {
            signal.cancel(new IllegalStateException("stop"));
        } catch (RuntimeException ignored) {
            // whether cancel() reports the listener's failure is secondary; the other listener must still run
        }

        assertEquals(1, notified.get());
    }
}
