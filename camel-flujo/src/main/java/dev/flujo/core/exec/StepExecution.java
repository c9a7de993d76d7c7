package dev.flujo.core.exec;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.flujo.core.FlujoCancelledException;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.OutputRejectedException;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.AgentTimeoutException;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.agent.RetryAfterException;
import dev.flujo.core.cache.CacheKey;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.resilience.AgentRateLimits;
import dev.flujo.core.resilience.CircuitOpenException;
import dev.flujo.core.resilience.ErrorClassifier;
import dev.flujo.core.resilience.RateLimitedException;
import dev.flujo.core.resilience.RetryAfter;
import dev.flujo.core.resilience.StepRejectedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.step.OutputPhase;
import dev.flujo.core.step.PhaseResult;
import dev.flujo.core.step.PluginInput;
import dev.flujo.core.usage.LimitBreach;
import dev.flujo.core.usage.UsageLimitExceededException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One execution of one step: the phases in order, as callbacks so that no thread of the step waits on an asynchronous
 * agent, a backoff or a rate limit.
 *
 * <pre>
 * start:    fallback-cycle guard (the call path's chain) → apply limits → cache lookup (a hit costs nothing)
 * attempt:  prompt processors → rate-limit permits (a scheduled wait) → breaker → reserve usage → agent (time-out)
 *           → reconcile usage → output phases (processors, validators, plugins; a redirect calls another agent)
 * after:    success → context writes, cache, result
 *           failure → retry with feedback (a failed call after the backoff / Retry-After, a rejected answer at once)
 *                     | fallback (one more attempt with the fallback agent) | fail
 *           fatal (usage limit, cycle) → stop now, keep the partial results
 * </pre>
 *
 * Only one agent call of an execution is ever in flight, and each callback runs after the previous one completed (a
 * happens-before edge through the future), so the mutable fields need no locking.
 */
final class StepExecution {

    /** How an attempt ended. */
    private sealed interface Outcome {
    }

    private record Ok(Object output) implements Outcome {
    }

    /**
     * @param retryable  false when trying the same agent again cannot help (its breaker is open, the error is fatal)
     * @param callFailed the call itself failed (an error, a time-out), so the retry waits for the backoff; false for an
     *                   answer the phases rejected, retried at once
     * @param retryAfter the wait the failure asked for (Retry-After), or {@code null}
     */
    private record Failed(String feedback, List<String> validationFailures, Throwable cause, boolean retryable,
            boolean callFailed, Duration retryAfter)
            implements
                Outcome {

        /** An answer the phases rejected (or a phase that failed): retried at once, with its feedback. */
        Failed(String feedback, List<String> validationFailures, Throwable cause) {
            this(feedback, validationFailures, cause, true, false, null);
        }
    }

    /** Stops the step at once: a usage-limit breach (with the output that went over it) or a configuration error. */
    private record Fatal(LimitBreach breach, Object output, Throwable error) implements Outcome {
    }

    private final ExecutorCore core;
    private final StepPlan plan;
    private final Object input;
    private final FlujoContext context;
    private final FlujoRun run;
    private final List<String> fallbackChain;
    private final long startNanos;
    private final CompletableFuture<StepResult> result = new CompletableFuture<>();

    private int attempts;
    private Usage usage = Usage.ZERO;
    private final List<String> feedback = new ArrayList<>(2);
    private final Map<String, Object> metadata = new LinkedHashMap<>(4);
    private List<String> redirects;
    private Throwable lastCause;
    private CacheKey cacheKey;
    private long retryWaitNanos;
    /** The last answer the phases rejected, handed to the next attempt; null after a failed call. */
    private Object rejectedOutput;
    private long rateLimitWaitNanos;

    StepExecution(ExecutorCore core, StepPlan plan, Object input, FlujoContext context, FlujoRun run,
                  List<String> fallbackChain) {
        this.core = core;
        this.plan = plan;
        this.input = input;
        this.context = context;
        this.run = run;
        this.fallbackChain = fallbackChain == null ? List.of() : fallbackChain;
        this.startNanos = core.now();
    }

    CompletableFuture<StepResult> start() {
        try {
            begin();
        } catch (Throwable t) {
            crash(t);
        }
        return result;
    }

    private void begin() {
        if (fallbackChain.contains(plan.name())) {
            List<String> chain = new ArrayList<>(fallbackChain);
            chain.add(plan.name()); // shown as the revisit, e.g. a -> b -> a
            finishFatal(new Fatal(
                    null, null, new FlujoConfigurationException(
                            "Fallback chain revisits step '"
                                                                + plan.name()
                                                                + "' (a fallback or plugin redirect leads back to a step that is running it): "
                                                                + String.join(" -> ", chain))));
            return;
        }
        run.ledger().applyLimits(plan.limits());
        StepCache cache = plan.cache();
        if (cache != null) {
            cacheKey = cache.keyFor(input, context);
            Object cached = cache.get(cacheKey);
            metadata.put(StepResult.META_CACHE_HIT, cached != null);
            if (cached != null) {
                succeed(cached);
                return;
            }
            if (plan.sharesCacheMisses() && followsCallInFlight(cache)) {
                return;
            }
        }
        proceed();
    }

    /**
     * enableCacheOptimization: when an execution of the same key is already calling the agent, wait for its output
     * instead of paying for the same call again; otherwise lead, so later identical misses wait for this one.
     *
     * @return true when this execution follows another (it continues when that one ends)
     */
    private boolean followsCallInFlight(StepCache cache) {
        CompletableFuture<Object> call = new CompletableFuture<>();
        CompletableFuture<Object> leader = cache.lead(cacheKey, call);
        if (leader == null) {
            Object stored = cache.get(cacheKey);
            if (stored != null) {
                // the previous leader stored its answer between this execution's lookup and lead(): use it
                cache.finish(cacheKey, call, stored);
                metadata.put(StepResult.META_CACHE_HIT, true);
                succeed(stored);
                return true;
            }
            CacheKey key = cacheKey;
            // a fallback's output is never cached, so it is not shared either: followers then call the agent
            result.whenComplete((r, e) -> cache.finish(key, call, e == null && !r.fallbackUsed() ? r.output() : null));
            return false;
        }
        leader.whenComplete((shared, ignored) -> {
            try {
                if (shared != null) {
                    metadata.put(StepResult.META_CACHE_HIT, true);
                    metadata.put(StepResult.META_CACHE_SHARED, true);
                    succeed(shared);
                } else {
                    proceed();
                }
            } catch (Throwable t) {
                crash(t);
            }
        });
        return true;
    }

    /** Past the cache: take a slot (bulkhead, adaptive limit), then the first attempt. */
    private void proceed() {
        Bulkhead bulkhead = plan.bulkhead();
        if (bulkhead != null) {
            // waits on this thread up to maxConcurrentExecutionsWait for a slot (a cache hit never gets here)
            if (!bulkhead.tryAcquirePermission()) {
                metadata.put(StepResult.META_REJECTED, true);
                finishFatal(new Fatal(
                        null, null, new StepRejectedException(
                                plan.name(),
                                plan.config().protection().maxConcurrentExecutions(),
                                plan.config().protection().maxConcurrentExecutionsWait())));
                return;
            }
            result.whenComplete((r, e) -> bulkhead.onComplete());
        }
        AdaptiveConcurrencyLimit limit = plan.concurrencyLimit();
        if (limit != null) {
            AdaptiveConcurrencyLimit.Permit permit = limit.tryAcquire();
            if (permit == null) {
                metadata.put(StepResult.META_REJECTED, true);
                finishFatal(new Fatal(
                        null, null, StepRejectedException.overAdaptiveLimit(plan.name(), limit.limit(),
                                plan.config().protection().maxConcurrentExecutionsWait())));
                return;
            }
            result.whenComplete((r, e) -> endPermit(permit, r, e));
        }
        attempt(1);
    }

    /**
     * Tells the adaptive limit how the execution went: a success is a latency sample, a time-out is a sign of overload,
     * anything else (a rejected answer, a breach, a cancellation) says nothing about capacity.
     */
    private void endPermit(AdaptiveConcurrencyLimit.Permit permit, StepResult r, Throwable e) {
        if (e == null) {
            permit.succeeded();
        } else if (Boolean.TRUE.equals(metadata.get(StepResult.META_TIMED_OUT))) {
            permit.dropped();
        } else {
            permit.ignored();
        }
    }

    private void attempt(int n) {
        attempts = n;
        runAttempt(plan.agent(), n, fallbackChain, outcome -> afterAttempt(outcome, n));
    }

    private void afterAttempt(Outcome outcome, int n) {
        if (outcome instanceof Ok ok) {
            succeed(ok.output);
        } else if (outcome instanceof Fatal fatal) {
            finishFatal(fatal);
        } else {
            Failed failed = (Failed) outcome;
            noteFailure(failed);
            if (n < plan.maxAttempts() && failed.retryable) {
                retry(failed, n);
            } else if (plan.fallback() != null) {
                runFallback();
            } else {
                fail(lastCause);
            }
        }
    }

    /**
     * The next attempt: at once after a rejected answer; after the backoff (at least the Retry-After) after a failed
     * call. The wait is a scheduled continuation, and a cancellation or the core's stop ends it at once.
     */
    private void retry(Failed failed, int n) {
        long waitNanos = failed.callFailed ? plan.backoff().waitNanos(n, failed.retryAfter) : 0;
        if (waitNanos <= 0) {
            attempt(n + 1);
            return;
        }
        retryWaitNanos += waitNanos;
        core.delay(plan.name(), waitNanos, run).whenComplete((ignored, cancelled) -> {
            try {
                if (cancelled != null) {
                    finishFatal(new Fatal(null, null, ExecutorCore.unwrap(cancelled)));
                } else {
                    attempt(n + 1);
                }
            } catch (Throwable t) {
                crash(t);
            }
        });
    }

    /** The fallback is one more attempt, with another agent and the same phases; it runs once. */
    private void runFallback() {
        NamedAgent fallback = plan.fallback();
        metadata.put(StepResult.META_FALLBACK, true);
        metadata.put(StepResult.META_FALLBACK_AGENT, fallback.name());
        metadata.put(StepResult.META_ORIGINAL_ERROR, lastCause != null ? describe(lastCause) : lastFeedback());
        runAttempt(fallback, attempts + 1, throughThisStep(fallbackChain), outcome -> {
            if (outcome instanceof Failed failed) {
                noteFailure(new Failed(
                        "fallback " + fallback.name() + ": " + failed.feedback,
                        failed.validationFailures, failed.cause));
                fail(lastCause);
            } else {
                afterAttempt(outcome, Integer.MAX_VALUE);
            }
        });
    }

    private void runAttempt(NamedAgent agent, int n, List<String> chain, Consumer<Outcome> then) {
        Object prompt;
        try {
            prompt = plan.prompt().apply(input, context);
        } catch (Exception e) {
            then.accept(new Failed("prompt processor failed: " + describe(e), List.of(), e));
            return;
        }
        AgentRequest request = new AgentRequest(
                plan.name(), prompt, context, n, lastFeedback(), feedback, chain,
                rejectedOutput, plan.structuredOutput() == null ? null : plan.structuredOutput().schema());
        callAgent(agent, request, null, then);
    }

    /** @param visited the agents this attempt already called through redirects; null for the attempt's first call */
    private void callAgent(NamedAgent agent, AgentRequest request, List<String> visited, Consumer<Outcome> then) {
        Throwable cancelled = run.cancellation();
        if (cancelled != null) {
            // a sibling branch failed or spent the budget: no further agent call for this branch
            then.accept(new Fatal(null, null, new FlujoCancelledException(plan.name(), cancelled)));
            return;
        }
        AgentRateLimits.Limiters limiters = plan.rateLimitsFor(agent);
        if (limiters == null) {
            callPermitted(agent, request, visited, null, 0, then);
            return;
        }
        long tokens = plan.expectedTokens() > 0 ? plan.expectedTokens() : estimateTokens(request.input());
        long wait = limiters.reserve(tokens);
        if (wait < 0) {
            RateLimitedException limited = new RateLimitedException(
                    plan.name(), agent.name(), limiters.describe(wait), limiters.options().rateLimitWait());
            metadata.put(StepResult.META_RATE_LIMITED, limited.getLimit());
            then.accept(new Failed(limited.getMessage(), List.of(), limited, false, false, null));
            return;
        }
        if (wait == 0) {
            callPermitted(agent, request, visited, limiters, tokens, then);
            return;
        }
        // the permits are booked: the call goes out when they are due, and no thread waits meanwhile
        rateLimitWaitNanos += wait;
        core.delay(plan.name(), wait, run).whenComplete((ignored, stopped) -> {
            try {
                if (stopped != null) {
                    limiters.refund(tokens); // the call is not made
                    then.accept(new Fatal(null, null, ExecutorCore.unwrap(stopped)));
                } else {
                    callPermitted(agent, request, visited, limiters, tokens, then);
                }
            } catch (Throwable t) {
                crash(t);
            }
        });
    }

    /**
     * What a call reserves against a token rate limit when {@code expectedTokens} is not set: about one token per four
     * characters of the prompt (the rule of thumb of OpenAI's tokenizers for English), at least one.
     */
    private static long estimateTokens(Object prompt) {
        if (prompt == null) {
            return 1;
        }
        int chars = prompt instanceof CharSequence text ? text.length() : String.valueOf(prompt).length();
        return Math.max(1, (chars + 3) / 4);
    }

    /** Past the rate limits: the breaker, the budget reservation, the call. */
    private void callPermitted(
            NamedAgent agent, AgentRequest request, List<String> visited,
            AgentRateLimits.Limiters limiters, long reservedTokens, Consumer<Outcome> then) {
        long expectedTokens = plan.expectedTokens();
        var expectedCost = plan.expectedCostUsd();
        CircuitBreaker breaker = plan.breakerFor(agent);
        if (breaker != null && !breaker.tryAcquirePermission()) {
            CircuitOpenException open = new CircuitOpenException(
                    plan.name(), agent.name(), breaker.getName(),
                    breaker.getState().name());
            metadata.put(StepResult.META_CIRCUIT_OPEN, breaker.getName());
            if (limiters != null) {
                limiters.refund(reservedTokens); // not called: its tokens go back to the agent's bucket
            }
            then.accept(new Failed(open.getMessage(), List.of(), open, false, false, null));
            return;
        }
        LimitBreach refused = run.ledger().reserve(expectedTokens, expectedCost);
        if (refused != null) {
            if (breaker != null) {
                breaker.releasePermission();
            }
            if (limiters != null) {
                limiters.refund(reservedTokens);
            }
            then.accept(new Fatal(refused, null, null));
            return;
        }
        long callStart = breaker == null ? 0 : breaker.getCurrentTimestamp();
        core.invoke(plan.name(), agent, request, plan.timeout(), run, (response, error) -> {
            try {
                if (breaker != null) {
                    recordCall(breaker, callStart, error);
                }
                Usage actual = error == null ? plan.pricing().price(response.usage()) : Usage.ZERO;
                usage = usage.plus(actual);
                if (limiters != null) {
                    limiters.charge(reservedTokens, actual.totalTokens());
                }
                LimitBreach breach = run.ledger().reconcile(expectedTokens, expectedCost, actual);
                if (error != null) {
                    rejectedOutput = null;
                    then.accept(agentFailure(agent, ExecutorCore.unwrap(error)));
                } else if (breach != null) {
                    then.accept(new Fatal(breach, response.output(), null));
                } else {
                    if (response.model() != null) {
                        metadata.put(StepResult.META_MODEL, response.model());
                    }
                    checkOutput(agent, request, response.output(), visited, then);
                }
            } catch (Throwable t) {
                crash(t);
            }
        }, this::bookLateUsage);
    }

    /** A failed or timed-out call counts against the agent; a call abandoned by cancellation does not count. */
    private static void recordCall(CircuitBreaker breaker, long start, Throwable error) {
        long duration = breaker.getCurrentTimestamp() - start;
        Throwable cause = error == null ? null : ExecutorCore.unwrap(error);
        if (cause == null) {
            breaker.onSuccess(duration, breaker.getTimestampUnit());
        } else if (cause instanceof FlujoCancelledException) {
            breaker.releasePermission();
        } else {
            breaker.onError(duration, breaker.getTimestampUnit(), cause);
        }
    }

    /**
     * The chain of a call made on this step's behalf (its fallback, a plugin's redirect): the given chain ending with
     * this step, added once even when a redirect follows the fallback or another redirect.
     */
    private List<String> throughThisStep(List<String> chain) {
        if (!chain.isEmpty() && chain.get(chain.size() - 1).equals(plan.name())) {
            return chain;
        }
        List<String> through = new ArrayList<>(chain.size() + 1);
        through.addAll(chain);
        through.add(plan.name());
        return through;
    }

    /**
     * A reply that came after its time-out: its output is dropped, but what it consumed was spent, so it is booked to
     * the run's totals (where the next reservation sees it). Not to this step's usage: its result may be final.
     */
    private void bookLateUsage(AgentResponse late) {
        run.ledger().reconcile(0, BigDecimal.ZERO, plan.pricing().price(late.usage()));
    }

    /**
     * Something threw where nothing should (an {@link Error} from a validator, a bug): the step still ends, so the
     * caller's callback is never lost.
     */
    private void crash(Throwable t) {
        if (!result.isDone()) {
            fail(t);
        }
    }

    private void checkOutput(
            NamedAgent agent, AgentRequest request, Object output, List<String> visited,
            Consumer<Outcome> then) {
        if (plan.outputPhases().isEmpty()) {
            then.accept(new Ok(output));
            return;
        }
        PluginInput current = new PluginInput(
                plan.name(), request.input(), output, context, request.attempt(),
                agent.name());
        for (OutputPhase phase : plan.outputPhases()) {
            PhaseResult decided;
            try {
                decided = phase.apply(current);
            } catch (RuntimeException e) {
                then.accept(new Failed("output phase failed: " + describe(e), List.of(), e));
                return;
            }
            if (decided instanceof PhaseResult.Continue next) {
                current = new PluginInput(
                        plan.name(), request.input(), next.output(), context, request.attempt(),
                        agent.name());
            } else if (decided instanceof PhaseResult.Fail failed) {
                rejectedOutput = output;
                then.accept(new Failed(failed.feedback(), failed.validationFailures(), failed.cause()));
                return;
            } else {
                redirect(((PhaseResult.Redirect) decided).agent(), agent, request, visited, then);
                return;
            }
        }
        then.accept(new Ok(current.output()));
    }

    private void redirect(
            String reference, NamedAgent from, AgentRequest request, List<String> visited,
            Consumer<Outcome> then) {
        NamedAgent target;
        try {
            target = plan.agentResolver().resolve(reference);
        } catch (RuntimeException e) {
            then.accept(new Fatal(null, null, e));
            return;
        }
        List<String> path = new ArrayList<>(visited == null ? List.of(from.name()) : visited);
        boolean cycle = path.contains(target.name());
        path.add(target.name());
        if (cycle) {
            then.accept(new Fatal(
                    null, null, new FlujoConfigurationException(
                            "Plugin redirect cycle in step '" + plan.name() + "': " + String.join(" -> ", path))));
            return;
        }
        if (redirects == null) {
            redirects = new ArrayList<>(2);
        }
        redirects.add(target.name());
        // like a fallback, a redirect target that runs this step again (a route back to it) is a cycle
        AgentRequest redirected = new AgentRequest(
                request.stepName(), request.input(), request.context(),
                request.attempt(), request.feedback(), request.feedbackHistory(),
                throughThisStep(request.fallbackChain()), request.rejectedOutput(), request.outputSchema());
        callAgent(target, redirected, path, then);
    }

    /**
     * An agent error fails the attempt, except errors that retrying cannot fix, which are surfaced unchanged: a
     * configuration error, a usage-limit breach raised by a nested step (e.g. inside a fallback route) or the
     * cancellation of the branch this step runs in.
     */
    private Outcome agentFailure(NamedAgent agent, Throwable error) {
        Throwable fatal = findFatal(error);
        if (fatal != null) {
            return new Fatal(null, null, fatal);
        }
        if (error instanceof AgentTimeoutException) {
            metadata.put(StepResult.META_TIMED_OUT, true);
        }
        boolean retryable = plan.errorClassifier() == null
                || plan.errorClassifier().classify(error) == ErrorClassifier.ErrorClass.RETRYABLE;
        if (!retryable) {
            metadata.put(StepResult.META_FATAL_ERROR, true);
        }
        Duration retryAfter = RetryAfter.of(error, Clock.systemUTC());
        if (retryAfter != null) {
            metadata.put(StepResult.META_RETRY_AFTER_MS, retryAfter.toMillis());
            if (retryable && plan.backoff().refuses(retryAfter)) {
                // waiting that long would hold the run past any sensible bound: the fallback answers, or the step fails
                // saying how long the provider asked for
                RetryAfterException refused = new RetryAfterException(
                        "agent " + agent.name() + " asked to retry after " + retryAfter.toMillis()
                                                                      + " ms, longer than retryMaxDelay "
                                                                      + plan.backoff().maxDelay().toMillis()
                                                                      + " ms: not retried",
                        retryAfter, error);
                return new Failed(
                        refused.getMessage() + " (" + describe(error) + ")", List.of(), refused, false, true,
                        retryAfter);
            }
        }
        return new Failed(
                "agent " + agent.name() + " failed: " + describe(error), List.of(), error, retryable, true,
                retryAfter);
    }

    private static Throwable findFatal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FlujoConfigurationException || t instanceof UsageLimitExceededException
                    || t instanceof FlujoCancelledException) {
                return t;
            }
        }
        return null;
    }

    private void noteFailure(Failed failed) {
        feedback.add(failed.feedback);
        if (!failed.validationFailures.isEmpty()) {
            metadata.put(StepResult.META_VALIDATION_FAILURES, failed.validationFailures);
        }
        lastCause = failed.cause != null
                ? failed.cause
                : new OutputRejectedException(failed.feedback, failed.validationFailures);
    }

    private String lastFeedback() {
        return feedback.isEmpty() ? null : feedback.get(feedback.size() - 1);
    }

    private void succeed(Object output) {
        Map<String, Object> writes = contextWrites(output);
        // a fallback's answer is a stand-in: caching it would keep serving it after the primary agent recovers
        if (cacheKey != null && !Boolean.TRUE.equals(metadata.get(StepResult.META_CACHE_HIT))
                && !Boolean.TRUE.equals(metadata.get(StepResult.META_FALLBACK))) {
            plan.cache().put(cacheKey, output);
        }
        StepResult stepResult = record(output, true, writes);
        result.complete(stepResult);
    }

    private Map<String, Object> contextWrites(Object output) {
        if (!plan.updatesContext() && plan.sinkTo() == null) {
            return Map.of();
        }
        Map<String, Object> writes = new LinkedHashMap<>();
        if (plan.updatesContext()) {
            // ContextUpdatePhase has checked the shape, except for cached outputs, which passed it when stored
            ((Map<?, ?>) output).forEach((k, v) -> writes.put((String) k, v));
        }
        if (plan.sinkTo() != null && output != null) {
            writes.put(plan.sinkTo(), output);
        }
        return writes;
    }

    private void fail(Throwable cause) {
        StepResult stepResult = record(null, false, Map.of());
        result.completeExceptionally(new FlujoStepFailedException(stepResult, run.history(), cause));
    }

    private void finishFatal(Fatal fatal) {
        if (fatal.breach != null) {
            metadata.put(StepResult.META_LIMIT_EXCEEDED, fatal.breach.describe());
            record(fatal.output, false, Map.of());
            UsageLimitExceededException exceeded = new UsageLimitExceededException(
                    plan.name(), fatal.breach,
                    run.limits(), run.usage(), run.history());
            run.recordBreach(exceeded);
            result.completeExceptionally(exceeded);
        } else {
            record(null, false, Map.of());
            result.completeExceptionally(fatal.error);
        }
    }

    private StepResult record(Object output, boolean success, Map<String, Object> writes) {
        if (retryWaitNanos > 0) {
            metadata.put(StepResult.META_RETRY_WAIT_MS, retryWaitNanos / 1_000_000);
        }
        if (rateLimitWaitNanos > 0) {
            metadata.put(StepResult.META_RATE_LIMIT_WAIT_MS, rateLimitWaitNanos / 1_000_000);
        }
        if (redirects != null) {
            metadata.put(StepResult.META_REDIRECTS, List.copyOf(redirects));
        }
        StepResult stepResult = new StepResult(
                plan.name(), output, success, attempts, core.now() - startNanos, usage,
                feedback, metadata, writes, List.of());
        run.record(stepResult);
        if (plan.observer() != null) {
            observe(stepResult);
        }
        return stepResult;
    }

    private void observe(StepResult stepResult) {
        try {
            plan.observer().stepEnded(stepResult);
        } catch (RuntimeException e) {
            // telemetry must never fail a step
        }
    }

    /** Feedback a model reads: the error's type and message, bounded (a cause chain can be pages long). */
    private static String describe(Throwable t) {
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }

    private static final int MAX_DESCRIPTION = 500;

}
