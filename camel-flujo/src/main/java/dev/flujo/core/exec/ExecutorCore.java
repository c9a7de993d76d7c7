package dev.flujo.core.exec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.AgentTimeoutException;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.CancelSignal;
import dev.flujo.core.run.FlujoRun;

/**
 * Runs steps. Stateless apart from the services it is given, so one instance serves every endpoint of a component.
 *
 * <p>
 * Asynchronous throughout: {@link #execute} returns at once with a future, and no thread of the core waits while an
 * agent works, a retry waits for its backoff or a call for its rate-limit permit. An agent that answers asynchronously
 * (a bean returning a pending {@code CompletionStage}, an asynchronous producer) holds no thread at all; one that
 * blocks holds the thread it runs on. Time-outs are armed on one shared scheduler; when one fires, the rest of the step
 * continues on the {@code continuationExecutor} so a slow retry never occupies the scheduler thread.
 *
 * <p>
 * Blocking agents ({@link dev.flujo.core.agent.FlujoAgent#blocksCaller()}): a call bounded by a time-out (or in a
 * branch run, which a cancellation can abandon) is made on the optional {@code blockingExecutor}, so that the caller's
 * thread is released at once and is free when the time-out fires; the pool thread, not the caller, then waits for the
 * agent. Why a flag on the agent and a pool given by the host rather than, say, every call on a pool: an asynchronous
 * agent parks no thread and must not pay a thread hop, and only the host knows which agents block (a synchronous Camel
 * producer) and how many threads it can spare. A call still queued when its time-out (cancellation, stop) fires is not
 * made at all. A call the pool refuses (pool and queue full, or the pool stopping) is made on the caller's thread, as
 * without a pool: it is not lost, the step is still bounded by its time-out, only the caller's thread is held as
 * before. Without a time-out a blocking agent runs on the caller's thread, which would wait for its answer anyway.
 */
public final class ExecutorCore {

    private final ScheduledExecutorService timer;
    private final Executor continuationExecutor;
    private final Executor branchExecutor;
    /** Where the bounded calls of blocking agents are made; {@code null}: on the caller's thread. */
    private final Executor blockingExecutor;
    private final LongSupplier nanoClock;
    /**
     * Agent calls still waiting for their answer and retries waiting for their time, with their step's name: what
     * {@link #stop} abandons.
     */
    private final Map<CompletableFuture<?>, String> callsInFlight = new ConcurrentHashMap<>();
    private volatile Throwable stopped;

    public ExecutorCore(ScheduledExecutorService timer, Executor continuationExecutor) {
        this(timer, continuationExecutor, continuationExecutor, System::nanoTime);
    }

    public ExecutorCore(ScheduledExecutorService timer, Executor continuationExecutor, LongSupplier nanoClock) {
        this(timer, continuationExecutor, continuationExecutor, nanoClock);
    }

    /**
     * @param branchExecutor runs the branches of composite steps. Kept apart from the continuation executor in Camel:
     *                       branch routes may block a thread (a {@code direct:} route calling a blocking agent), and
     *                       time-outs must still fire when every branch thread is blocked
     */
    public ExecutorCore(ScheduledExecutorService timer, Executor continuationExecutor, Executor branchExecutor,
                        LongSupplier nanoClock) {
        this(timer, continuationExecutor, branchExecutor, null, nanoClock);
    }

    /**
     * @param blockingExecutor makes the calls of blocking agents
     *                         ({@link dev.flujo.core.agent.FlujoAgent#blocksCaller()}) that a time-out bounds, so that
     *                         the caller's thread is free when the time-out fires; {@code null} makes them on the
     *                         caller's thread. Should be bounded and reject when full (a refused call is made on the
     *                         caller's thread)
     */
    public ExecutorCore(ScheduledExecutorService timer, Executor continuationExecutor, Executor branchExecutor,
                        Executor blockingExecutor, LongSupplier nanoClock) {
        this.timer = Objects.requireNonNull(timer, "timer");
        this.continuationExecutor = Objects.requireNonNull(continuationExecutor, "continuationExecutor");
        this.branchExecutor = Objects.requireNonNull(branchExecutor, "branchExecutor");
        this.blockingExecutor = blockingExecutor;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Runs one step on one input.
     *
     * @return a future completing with the successful {@link StepResult}, or exceptionally with
     *         {@link dev.flujo.core.FlujoStepFailedException} (all attempts and the fallback failed),
     *         {@link dev.flujo.core.usage.UsageLimitExceededException} (the run's budget is spent) or
     *         {@link dev.flujo.core.FlujoConfigurationException} (a fallback or redirect cycle, an unresolvable
     *         redirect). Either way the step's result has been recorded in the run's history.
     */
    public CompletableFuture<StepResult> execute(StepPlan plan, Object input, FlujoContext context, FlujoRun run) {
        return execute(plan, input, context, run, List.of());
    }

    /**
     * Runs one step inside a fallback chain: {@code fallbackChain} lists the steps whose fallback this call is part of
     * ({@link AgentRequest#fallbackChain()}). A step that is already in the chain fails at once with a
     * {@link dev.flujo.core.FlujoConfigurationException} naming the chain, instead of looping.
     */
    public CompletableFuture<StepResult> execute(
            StepPlan plan, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        return new StepExecution(this, plan, input, context, run, fallbackChain).start();
    }

    /** The core's clock, in nanoseconds (injectable for tests). */
    public long now() {
        return nanoClock.getAsLong();
    }

    /**
     * Stops this core (its host is stopping): every agent call still waiting for its answer is abandoned as a
     * cancellation abandons it - its step fails at once with a {@link FlujoCancelledException}, with no retry and no
     * fallback, and the answer, if it comes, is dropped (its usage still booked) - and a later call fails the same way
     * without being made. So no caller waits for an agent that will never answer, time-out or not.
     */
    public void stop(Throwable reason) {
        stopped = Objects.requireNonNull(reason, "reason");
        callsInFlight.forEach((reply, stepName) -> reply.completeExceptionally(
                new FlujoCancelledException(stepName, reason)));
    }

    /**
     * A wait that parks no thread: completes after {@code nanos} on the continuation executor (a retry's backoff, a
     * rate-limit wait), or at once exceptionally with a {@link FlujoCancelledException} when the run is cancelled (a
     * sibling branch failed, the budget is spent) or this core stops first.
     */
    CompletableFuture<Void> delay(String stepName, long nanos, FlujoRun run) {
        CompletableFuture<Void> wait = track(stepName);
        if (wait.isDone()) {
            return wait; // the core has stopped
        }
        CancelSignal.Registration cancellation = run.onCancel(
                reason -> wait.completeExceptionally(new FlujoCancelledException(stepName, reason)));
        ScheduledFuture<?> alarm = later(nanos, () -> wait.complete(null));
        wait.whenComplete((r, e) -> {
            alarm.cancel(false);
            if (cancellation != null) {
                cancellation.remove();
            }
        });
        return wait;
    }

    /**
     * Runs a task on the continuation executor after {@code nanos}, so that what follows never occupies the timer; a
     * full or stopping pool runs it on the timer rather than lose it (a lost time-out or retry would hang its step).
     */
    private ScheduledFuture<?> later(long nanos, Runnable task) {
        return timer.schedule(() -> {
            try {
                continuationExecutor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs a task on the branch executor: composite steps start their branches here, so that branches whose endpoints
     * work on the calling thread ({@code direct:} routes) still run side by side. A full or stopping pool runs the task
     * on the calling thread rather than lose it.
     */
    public void dispatch(Runnable task) {
        try {
            branchExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Calls an agent, bounded by the time-out, and hands the reply (or the error, or the time-out) to {@code onReply}
     * exactly once. A reply after the time-out is dropped rather than applied; only {@code lateReply} sees it (to book
     * what it consumed).
     */
    void invoke(
            String stepName, NamedAgent agent, AgentRequest request, Duration timeout, FlujoRun run,
            BiConsumer<AgentResponse, Throwable> onReply, Consumer<AgentResponse> lateReply) {
        if (timeout == null && !run.isBranch()) {
            invokeUnbounded(stepName, agent, request, onReply, lateReply);
            return;
        }
        // the step continues from the reply, not from this method's return: an agent that blocks inside call()
        // must not hold up the step once its time-out has fired
        CompletableFuture<AgentResponse> reply = track(stepName, onReply);
        // a branch run can be cancelled (a sibling failed): the call in flight is then abandoned like a time-out
        CancelSignal.Registration cancellation = run.onCancel(
                reason -> reply.completeExceptionally(new FlujoCancelledException(stepName, reason)));
        if (reply.isDone()) {
            return; // cancelled before the call: do not make it
        }
        // armed before the call, so an agent that works on the calling thread (a direct: route, a blocking bean)
        // is bounded too: the step moves on without it, and its answer, when it comes, is late
        ScheduledFuture<?> alarm = timeout == null
                ? null
                : later(timeout.toNanos(),
                        () -> reply.completeExceptionally(new AgentTimeoutException(stepName, agent.name(), timeout)));
        Runnable release = () -> {
            if (alarm != null) {
                alarm.cancel(false);
            }
            if (cancellation != null) {
                cancellation.remove();
            }
        };
        if (blockingExecutor == null || !agent.agent().blocksCaller()) {
            callAndRace(agent, request, reply, release, lateReply);
            return;
        }
        // a blocking agent: the call is made on the pool, so this thread returns now and the step goes on from the
        // reply - at the time-out, if the agent is slower
        reply.whenComplete((r, e) -> release.run());
        Runnable pooled = () -> {
            if (reply.isDone()) {
                return; // timed out, cancelled or stopped while queued: the call is not made at all
            }
            callAndRace(agent, request, reply, release, lateReply);
        };
        try {
            blockingExecutor.execute(pooled);
        } catch (RejectedExecutionException e) {
            pooled.run(); // pool and queue full, or stopping: not lost, made on the caller's thread as without a pool
        }
    }

    /** Makes the call and races its answer against {@code reply}, which a time-out or a cancellation may complete. */
    private static void callAndRace(
            NamedAgent agent, AgentRequest request, CompletableFuture<AgentResponse> reply, Runnable release,
            Consumer<AgentResponse> lateReply) {
        CompletionStage<AgentResponse> stage;
        try {
            stage = call(agent, request);
        } catch (Throwable t) {
            release.run();
            reply.completeExceptionally(t);
            return;
        }
        stage.whenComplete((response, error) -> deliver(agent, response, error, (answer, failure) -> {
            release.run();
            forward(reply, answer, failure, lateReply);
        }));
        reply.whenComplete((r, e) -> {
            if (e instanceof AgentTimeoutException || e instanceof FlujoCancelledException) {
                release.run();
                cancelQuietly(stage);
            }
        });
    }

    /**
     * Without a time-out there is nothing to race, so no future of our own is needed: an agent that has already
     * answered (the common synchronous case) is handed on directly. A call still waiting for its answer gets a reply
     * future all the same, which {@link #stop} can abandon.
     */
    private void invokeUnbounded(
            String stepName, NamedAgent agent, AgentRequest request,
            BiConsumer<AgentResponse, Throwable> onReply, Consumer<AgentResponse> lateReply) {
        Throwable stop = stopped;
        if (stop != null) {
            onReply.accept(null, new FlujoCancelledException(stepName, stop));
            return;
        }
        CompletionStage<AgentResponse> stage;
        try {
            stage = call(agent, request);
        } catch (Throwable t) {
            onReply.accept(null, t);
            return;
        }
        if (answered(stage)) {
            deliver(agent, stage.toCompletableFuture().join(), null, onReply);
            return;
        }
        CompletableFuture<AgentResponse> reply = track(stepName, onReply);
        stage.whenComplete((response, error) -> deliver(agent, response, error,
                (answer, failure) -> forward(reply, answer, failure, lateReply)));
        reply.whenComplete((r, e) -> {
            if (e instanceof FlujoCancelledException) {
                cancelQuietly(stage);
            }
        });
    }

    /**
     * The future the step continues from: it hands the reply (or the error, the time-out, the cancellation) to
     * {@code onReply}, and {@link #stop} knows it until it completes.
     */
    private CompletableFuture<AgentResponse> track(String stepName, BiConsumer<AgentResponse, Throwable> onReply) {
        CompletableFuture<AgentResponse> reply = track(stepName);
        reply.whenComplete(onReply);
        return reply;
    }

    /** A future {@link #stop} knows until it completes (at once exceptionally when the core has stopped already). */
    private <T> CompletableFuture<T> track(String stepName) {
        CompletableFuture<T> pending = new CompletableFuture<>();
        callsInFlight.put(pending, stepName);
        pending.whenComplete((r, e) -> callsInFlight.remove(pending));
        Throwable stop = stopped;
        if (stop != null) {
            pending.completeExceptionally(new FlujoCancelledException(stepName, stop));
        }
        return pending;
    }

    /** Completes the reply with the agent's answer; an answer that comes too late is only booked. */
    private static void forward(
            CompletableFuture<AgentResponse> reply, AgentResponse answer, Throwable failure,
            Consumer<AgentResponse> lateReply) {
        if (failure != null) {
            reply.completeExceptionally(failure);
        } else if (!reply.complete(answer)) {
            // the time-out, a cancellation or the stop won: the output is dropped, the usage is still reported
            lateReply.accept(answer);
        }
    }

    /**
     * Whether the stage has already answered normally. A minimal stage ({@code minimalCompletionStage()}) is a
     * CompletableFuture that refuses to be asked: it is treated as not answered yet, and waited for.
     */
    private static boolean answered(CompletionStage<?> stage) {
        try {
            return stage instanceof CompletableFuture<?> f && f.isDone() && !f.isCompletedExceptionally();
        } catch (UnsupportedOperationException minimalStage) {
            return false;
        }
    }

    private static CompletionStage<AgentResponse> call(NamedAgent agent, AgentRequest request) {
        CompletionStage<AgentResponse> stage = agent.agent().call(request);
        if (stage == null) {
            throw new IllegalStateException("Agent '" + agent.name() + "' returned no CompletionStage");
        }
        return stage;
    }

    /** Hands on an agent's answer, turning a null response into an error and unwrapping completion wrappers. */
    private static void deliver(
            NamedAgent agent, AgentResponse response, Throwable error,
            BiConsumer<AgentResponse, Throwable> onReply) {
        if (error != null) {
            onReply.accept(null, unwrap(error));
        } else if (response == null) {
            onReply.accept(null, new IllegalStateException("Agent '" + agent.name() + "' completed with no AgentResponse"));
        } else {
            onReply.accept(response, null);
        }
    }

    /** Tells a bean agent its answer is no longer wanted; stages that cannot be cancelled are left alone. */
    private static void cancelQuietly(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(false);
        } catch (UnsupportedOperationException ignored) {
            // a minimal CompletionStage: nothing to cancel, and its late answer is dropped anyway
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
