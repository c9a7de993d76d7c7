package dev.flujo.core.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import dev.flujo.core.result.StepResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code enableOptimizedTelemetry} does: the step's thread only appends its result to a buffer, and the delegate
 * (the meters) is told of results a batch at a time - when the buffer reaches the batch size, on the thread whose
 * result filled it, or when the host calls {@link #flush()} (every {@code telemetryFlushIntervalSeconds} and when the
 * endpoint stops), so that no result waits longer than that.
 * <p>
 * The buffer is swapped out under a short lock and handed over outside it, so a slow delegate never holds up the steps
 * that keep appending, and every result goes to exactly one batch: none is lost or told twice, whatever the
 * interleaving of appends and flushes. Within a batch the delegate sees the results in the order they ended; two
 * batches handed over at once by different threads may interleave, as unbatched results from concurrent steps do. A
 * delegate that throws is logged and skipped for that result only (as {@link StepObserver} promises the step), so the
 * rest of the batch and later batches are still told.
 */
public final class BatchingObserver implements StepObserver {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingObserver.class);

    private final StepObserver delegate;
    private final int batchSize;
    private final LongAdder flushes = new LongAdder();
    private final Object lock = new Object();
    private List<StepResult> buffer;
    private boolean closed;

    /** @param batchSize results per batch, at least 1 */
    public BatchingObserver(StepObserver delegate, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.delegate = delegate;
        this.batchSize = batchSize;
        this.buffer = newBuffer();
    }

    @Override
    public void stepEnded(StepResult result) {
        List<StepResult> full = null;
        synchronized (lock) {
            if (closed) {
                full = List.of(result);
            } else {
                buffer.add(result);
                if (buffer.size() >= batchSize) {
                    full = buffer;
                    buffer = newBuffer();
                }
            }
        }
        if (full != null) {
            handOver(full);
        }
    }

    /** Hands whatever is buffered to the delegate, on the calling thread; nothing when the buffer is empty. */
    public void flush() {
        List<StepResult> rest;
        synchronized (lock) {
            if (buffer.isEmpty()) {
                return;
            }
            rest = buffer;
            buffer = newBuffer();
        }
        handOver(rest);
    }

    /**
     * Flushes and stops batching: results that still arrive (executions in flight when the host replaced this observer)
     * go straight to the delegate, so none is left in a buffer nobody flushes.
     */
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        flush();
    }

    /** Results buffered, not yet handed to the delegate. */
    public long pending() {
        synchronized (lock) {
            return buffer.size();
        }
    }

    /** Batches handed to the delegate so far, full or flushed. */
    public long flushes() {
        return flushes.sum();
    }

    private void handOver(List<StepResult> batch) {
        flushes.increment();
        int failed = 0;
        RuntimeException first = null;
        for (StepResult result : batch) {
            try {
                delegate.stepEnded(result);
            } catch (RuntimeException e) {
                failed++;
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            // one line per batch, not per result: a broken delegate must not flood the log at full throughput
            LOG.warn("Telemetry observer failed on {} of {} results of a batch; they are not recorded", failed,
                    batch.size(), first);
        }
    }

    /** Pre-sized for a full batch, up to a bound so that a huge batch size does not allocate up front. */
    private List<StepResult> newBuffer() {
        return new ArrayList<>(Math.min(batchSize, 1024));
    }
}
