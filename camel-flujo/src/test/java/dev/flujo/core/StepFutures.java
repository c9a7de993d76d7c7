package dev.flujo.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.flujo.core.result.StepResult;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Waiting on a step's future in core tests, with a safety net that is never asserted on. */
public final class StepFutures {

    public static final long SAFETY_SECONDS = 10;

    private StepFutures() {
    }

    public static StepResult await(CompletableFuture<StepResult> future) {
        try {
            return future.get(SAFETY_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("step failed unexpectedly: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("step did not complete", e);
        }
    }

    public static <T extends Throwable> T awaitFailure(CompletableFuture<?> future, Class<T> type) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(SAFETY_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause(), () -> "unexpected failure: " + e.getCause());
    }
}
