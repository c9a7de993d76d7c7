package dev.flujo.reliability;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Exchanges sent without waiting (the flujo producer is asynchronous, so no thread is held per exchange), each tracked
 * until it ends: a test asserts that every one ended, and how.
 */
final class InFlight {

    /** How a run ended. */
    enum End {
        COMPLETED,
        PAUSED,
        FAILED
    }

    private final List<CompletableFuture<Exchange>> replies;

    private InFlight(List<CompletableFuture<Exchange>> replies) {
        this.replies = replies;
    }

    /** Sends {@code n} exchanges to {@code uri}, exchange {@code i} with body {@code body.apply(i)}. */
    static InFlight send(ProducerTemplate template, String uri, int n, IntFunction<Object> body) {
        return send(template, uri, n, body, e -> {
        });
    }

    /** As above; {@code atEnd} sees each exchange the moment it ends (before anything else can happen to it). */
    static InFlight send(
            ProducerTemplate template, String uri, int n, IntFunction<Object> body,
            Consumer<Exchange> atEnd) {
        List<CompletableFuture<Exchange>> replies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object b = body.apply(i);
            replies.add(template.asyncSend(uri, e -> e.getMessage().setBody(b)).thenApply(e -> {
                atEnd.accept(e);
                return e;
            }));
        }
        return new InFlight(replies);
    }

    int size() {
        return replies.size();
    }

    /** How many have ended so far. */
    long ended() {
        return replies.stream().filter(CompletableFuture::isDone).count();
    }

    /** Waits for every exchange to end, then returns them in the order sent; fails naming how many did not. */
    List<Exchange> awaitAll() throws Exception {
        try {
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                    .get(FaultAgent.SAFETY_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail((replies.size() - ended()) + " of " + replies.size() + " exchanges never ended");
        }
        return replies.stream().map(CompletableFuture::join).toList();
    }

    /** The run of an exchange ({@code CamelFlujoRun}). */
    static FlujoRun runOf(Exchange exchange) {
        return assertInstanceOf(FlujoRun.class, exchange.getProperty(FlujoConstants.RUN), FlujoConstants.RUN);
    }

    static End endOf(Exchange exchange) {
        if (exchange.getException() != null) {
            return End.FAILED;
        }
        return FlujoConstants.STATUS_PAUSED.equals(exchange.getMessage().getHeader(FlujoConstants.STATUS))
                ? End.PAUSED : End.COMPLETED;
    }

    /** How many ended each way (every End present, 0 when none). */
    static Map<End, Integer> count(List<Exchange> exchanges) {
        Map<End, Integer> counts = new EnumMap<>(End.class);
        for (End end : End.values()) {
            counts.put(end, 0);
        }
        exchanges.forEach(e -> counts.merge(endOf(e), 1, Integer::sum));
        assertEquals(exchanges.size(), counts.values().stream().mapToInt(Integer::intValue).sum());
        return counts;
    }
}
