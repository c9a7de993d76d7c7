package dev.flujo.camel;

import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.exec.FlujoPlan;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Runs the endpoint's step (or composite step) on each exchange, asynchronously:
 * {@link #process(Exchange, AsyncCallback)} returns as soon as the agent is called, and the callback is called exactly
 * once when the step ends - on success, failure, time-out or limit breach.
 *
 * <p>
 * After the step the body is its output and the {@code CamelFlujo*} headers describe it; a failure is set on the
 * exchange as the core's typed exception, so {@code onException(FlujoStepFailedException.class)} and
 * {@code onException(UsageLimitExceededException.class)} match it.
 */
public class FlujoProducer extends DefaultAsyncProducer {

    private final FlujoEndpoint endpoint;
    private final boolean pauses;
    private ExecutorCore core;

    public FlujoProducer(FlujoEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.pauses = endpoint.getKind() == FlujoKind.HUMAN;
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(endpoint);
        core = endpoint.getComponent().executorCore();
        super.doStart();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        FlujoRun run;
        CompletableFuture<StepResult> step;
        // read per exchange (one volatile read): after an endpoint restart the plan and its agents are new
        FlujoPlan plan = endpoint.getPlan();
        try {
            if (plan == null) {
                throw new IllegalStateException("flujo step '" + endpoint.getName() + "' is not started");
            }
            run = ExchangeContext.runOf(exchange);
            if (pauses) {
                ExchangeContext.checkOwnsRun(exchange, endpoint.getName());
            }
            step = plan.execute(core, input(exchange), new ExchangeContext(exchange), run,
                    ExchangeContext.fallbackChainOf(exchange));
        } catch (Throwable t) {
            exchange.setException(t);
            callback.done(true);
            return true;
        }
        if (step.isDone()) {
            // a synchronous agent (or a cache hit): finish on this thread, no async hand-off
            step.whenComplete((result, error) -> complete(exchange, plan, run, result, error));
            callback.done(true);
            return true;
        }
        step.whenComplete((result, error) -> {
            complete(exchange, plan, run, result, error);
            callback.done(false);
        });
        return false;
    }

    /** Streams are read once into a String, so that retries and cache keys see the same input. */
    static Object input(Exchange exchange) {
        return readOnce(exchange.getMessage());
    }

    /**
     * A message body, with a stream read into a String: a step's input and an endpoint agent's reply (an http agent
     * answers with a stream) are read by validators, cached, kept in the run's history and stored with a paused run -
     * none of which a stream survives.
     */
    public static Object readOnce(Message message) {
        Object body = message.getBody();
        if (body instanceof InputStream || body instanceof StreamCache) {
            return message.getBody(String.class);
        }
        return body;
    }

    private void complete(Exchange exchange, FlujoPlan plan, FlujoRun run, StepResult result, Throwable error) {
        try {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                StepResult failed = cause instanceof FlujoStepFailedException f ? f.getResult() : run.lastResult(plan.name());
                if (failed != null && endpoint.getConfiguration().isResultHeaders()) {
                    setHeaders(exchange.getMessage(), failed);
                }
                exchange.setException(cause);
                return;
            }
            applyContextUpdates(exchange, result.contextUpdates());
            Message message = exchange.getMessage();
            message.setBody(result.output());
            if (endpoint.getConfiguration().isResultHeaders()) {
                setHeaders(message, result);
            }
            if (Boolean.TRUE.equals(result.metadata().get(StepResult.META_PAUSED))) {
                // the run waits for a person: what follows in the route runs after flujo:resume, at resumeUri
                message.setHeader(FlujoConstants.STATUS, FlujoConstants.STATUS_PAUSED);
                message.setHeader(FlujoConstants.RUN_ID, result.metadata().get(StepResult.META_PAUSE_ID));
                exchange.setRouteStop(true);
            }
        } catch (Throwable t) {
            exchange.setException(t);
        }
    }

    /**
     * An agent step's writes are checked during the attempt (StepPlan.reservedContextKey) and a reserved sinkTo fails
     * at start; a composite's come from branches and merge strategies, which may be user code: a write to a Camel
     * property (the run, say) is refused here, before any write is applied.
     */
    private void applyContextUpdates(Exchange exchange, Map<String, Object> updates) {
        for (String key : updates.keySet()) {
            if (ExchangeContext.isReserved(key)) {
                throw new FlujoConfigurationException(
                        "Step '" + endpoint.getName() + "' tried to write the Camel"
                                                      + " property '" + key
                                                      + "' (a branch or merge strategy): Camel* properties are not context");
            }
        }
        updates.forEach(exchange::setProperty);
    }

    private static void setHeaders(Message message, StepResult result) {
        message.setHeader(FlujoConstants.STEP_NAME, result.name());
        message.setHeader(FlujoConstants.SUCCESS, result.success());
        message.setHeader(FlujoConstants.ATTEMPTS, result.attempts());
        message.setHeader(FlujoConstants.CACHE_HIT, result.cacheHit());
        message.setHeader(FlujoConstants.INPUT_TOKENS, result.usage().inputTokens());
        message.setHeader(FlujoConstants.OUTPUT_TOKENS, result.usage().outputTokens());
        message.setHeader(FlujoConstants.COST_USD, result.usage().costOrZero());
        message.setHeader(FlujoConstants.USAGE_BOOKED, Boolean.TRUE);
        message.setHeader(FlujoConstants.LATENCY_NANOS, result.latencyNanos());
        Object model = result.metadata().get(StepResult.META_MODEL);
        if (model != null) {
            message.setHeader(FlujoConstants.MODEL, model);
        }
        Object exitReason = result.metadata().get(StepResult.META_EXIT_REASON);
        if (exitReason != null) {
            message.setHeader(FlujoConstants.EXIT_REASON, exitReason);
        }
    }
}
