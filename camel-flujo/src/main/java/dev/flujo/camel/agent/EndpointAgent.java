package dev.flujo.camel.agent;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.FlujoProducer;
import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.agent.RetryAfterException;
import dev.flujo.core.resilience.RetryAfter;
import dev.flujo.core.result.Usage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;

/**
 * An agent that is any Camel endpoint ({@code direct:llm}, {@code langchain4j-chat:x}, {@code http:...}).
 *
 * <p>
 * Each call sends a copy of the step's exchange (so the agent route sees headers and properties but cannot change the
 * step's exchange) with the prompt as body and, on retries, the feedback in {@code CamelFlujoFeedback}. The reply body
 * is the output; usage comes from the configured reply headers, unless a flujo step inside the agent route wrote them
 * ({@code CamelFlujoUsageBooked}), in which case it is already in the run. The producer is asynchronous and was created
 * and started with the endpoint, so a truly asynchronous endpoint parks no thread; a synchronous one blocks its caller
 * ({@link #blocksCaller()}).
 */
public final class EndpointAgent implements FlujoAgent {

    private final CamelContext camelContext;
    private final EndpointProducers.Call producer;
    private final UsageHeaders usageHeaders;

    /** The reply headers an endpoint agent reports usage in. */
    public record UsageHeaders(String inputTokens, String outputTokens, String cost) {
    }

    EndpointAgent(CamelContext camelContext, EndpointProducers.Call producer, UsageHeaders usageHeaders) {
        this.camelContext = camelContext;
        this.producer = producer;
        this.usageHeaders = usageHeaders;
    }

    /**
     * A synchronous producer (camel-http, langchain4j) or a {@code direct:} route answers on the calling thread: with a
     * time-out, such a call is made on the component's blocking-agent pool, so the caller is free at the time-out.
     */
    @Override
    public boolean blocksCaller() {
        return producer.blocksCaller();
    }

    @Override
    public CompletionStage<AgentResponse> call(AgentRequest request) {
        Exchange call = ExchangeContext.scratchExchange(request.context(), camelContext);
        // an agent answers: request-reply even when the step's own exchange is InOnly (e.g. seda agents)
        call.setPattern(ExchangePattern.InOut);
        Message message = call.getMessage();
        // usage headers of earlier steps must not be read back as this call's usage
        message.removeHeaders(FlujoConstants.PREFIX + "*");
        message.removeHeader(usageHeaders.inputTokens());
        message.removeHeader(usageHeaders.outputTokens());
        message.removeHeader(usageHeaders.cost());
        message.setBody(request.input());
        message.setHeader(FlujoConstants.STEP_NAME, request.stepName());
        message.setHeader(FlujoConstants.ATTEMPT, request.attempt());
        if (request.feedback() != null) {
            message.setHeader(FlujoConstants.FEEDBACK, request.feedback());
        }
        if (request.fallbackChain().isEmpty()) {
            call.removeProperty(FlujoConstants.FALLBACK_CHAIN);
        } else {
            call.setProperty(FlujoConstants.FALLBACK_CHAIN, request.fallbackChain());
        }
        CompletableFuture<AgentResponse> reply = new UncancellableFuture<>();
        try {
            producer.send(call, doneSync -> complete(call, reply));
        } catch (Throwable t) {
            reply.completeExceptionally(t);
        }
        return reply;
    }

    /**
     * A started route cannot be cancelled, so neither can its reply: after a time-out the late reply still arrives and
     * the step books what it consumed, instead of a cancelled future swallowing it.
     */
    private static final class UncancellableFuture<T> extends CompletableFuture<T> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }
    }

    private void complete(Exchange call, CompletableFuture<AgentResponse> reply) {
        Object retryAfter = call.getMessage().getHeader(FlujoConstants.RETRY_AFTER);
        if (retryAfter != null) {
            reply.completeExceptionally(retryAfter(retryAfter, call.getException()));
            return;
        }
        if (call.getException() != null) {
            reply.completeExceptionally(call.getException());
            return;
        }
        try {
            Message out = call.getMessage();
            reply.complete(AgentResponse.of(FlujoProducer.readOnce(out), usageOf(out)));
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        }
    }

    /** The route said when to try again (CamelFlujoRetryAfter): a failed call, with the route's error if it had one. */
    private static Throwable retryAfter(Object value, Exception routeError) {
        Duration wait = value instanceof Duration d ? d
                : value instanceof Number seconds ? Duration.ofMillis(Math.round(seconds.doubleValue() * 1000))
                : value.toString().trim().toUpperCase(java.util.Locale.ROOT).startsWith("P") ? parseDuration(value.toString())
                : RetryAfter.parse(value.toString(), Clock.systemUTC());
        if (wait == null || wait.isNegative()) {
            return new IllegalArgumentException(
                    "Reply header " + FlujoConstants.RETRY_AFTER + " is not seconds, an HTTP date or a duration: "
                                                + value,
                    routeError);
        }
        return new RetryAfterException(
                "the agent route asked to retry after " + wait.toMillis() + " ms"
                                       + (routeError != null ? ": " + routeError.getMessage() : ""),
                wait, routeError);
    }

    private static Duration parseDuration(String text) {
        try {
            return Duration.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private Usage usageOf(Message out) {
        if (Boolean.TRUE.equals(out.getHeader(FlujoConstants.USAGE_BOOKED, Boolean.class))) {
            // the usage headers were written by a flujo step inside the agent route: already in the run's totals
            return Usage.ZERO;
        }
        long in = tokens(out, usageHeaders.inputTokens());
        long outTokens = tokens(out, usageHeaders.outputTokens());
        Object cost = out.getHeader(usageHeaders.cost());
        if (cost == null) {
            return in == 0 && outTokens == 0 ? Usage.ZERO : Usage.tokens(in, outTokens);
        }
        return new Usage(in, outTokens, decimal(usageHeaders.cost(), cost));
    }

    private static long tokens(Message out, String header) {
        Object value = out.getHeader(header);
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Reply header " + header + " is not a token count: " + value, e);
        }
    }

    private static BigDecimal decimal(String header, Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        try {
            return new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Reply header " + header + " is not a cost in USD: " + value, e);
        }
    }
}
