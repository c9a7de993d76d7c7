package dev.flujo.core.exec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.flujo.core.StepFutures;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.PluginInput;
import dev.flujo.core.step.PluginOutcome;
import dev.flujo.core.step.ValidationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real ExecutorCore on a single-thread timer and a single-thread continuation executor, plus helpers. */
abstract class ExecutorCoreTestSupport {

    /** Safety net for waiting on futures; never asserted on. */
    static final long SAFETY_SECONDS = 10;

    ScheduledExecutorService timer;
    ExecutorService continuation;
    ExecutorCore core;
    FlujoRun run;

    @BeforeEach
    void startCore() {
        timer = Executors.newSingleThreadScheduledExecutor();
        continuation = Executors.newSingleThreadExecutor();
        core = new ExecutorCore(timer, continuation);
        run = FlujoRun.create();
    }

    @AfterEach
    void stopCore() throws InterruptedException {
        timer.shutdownNow();
        continuation.shutdownNow();
        assertTrue(timer.awaitTermination(SAFETY_SECONDS, TimeUnit.SECONDS));
        assertTrue(continuation.awaitTermination(SAFETY_SECONDS, TimeUnit.SECONDS));
    }

    static OptimizationConfig.Builder config() {
        return OptimizationConfig.builder();
    }

    static OptimizationConfig retries(int maxRetries) {
        return OptimizationConfig.builder().set("maxRetries", maxRetries).build();
    }

    static StepPlan.Builder plan(String name, OptimizationConfig config, ScriptedAgent agent) {
        return StepPlan.builder(name, config).agent(agent.asNamed());
    }

    CompletableFuture<StepResult> execute(StepPlan plan, Object input) {
        return core.execute(plan, input, FlujoContext.empty(), run);
    }

    CompletableFuture<StepResult> execute(StepPlan plan, Object input, FlujoContext context) {
        return core.execute(plan, input, context, run);
    }

    static StepResult await(CompletableFuture<StepResult> future) {
        return StepFutures.await(future);
    }

    static <T extends Throwable> T awaitFailure(CompletableFuture<?> future, Class<T> type) {
        return StepFutures.awaitFailure(future, type);
    }

    static FlujoValidator validator(String name, Function<Object, ValidationResult> check) {
        return new FlujoValidator() {
            @Override
            public ValidationResult validate(Object output, FlujoContext context) {
                return check.apply(output);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @FunctionalInterface
    interface PluginBody {
        PluginOutcome apply(PluginInput input) throws Exception;
    }

    static FlujoPlugin plugin(String name, int priority, PluginBody body) {
        return new FlujoPlugin() {
            @Override
            public PluginOutcome apply(PluginInput input) throws Exception {
                return body.apply(input);
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
