package dev.flujo.core.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.flujo.core.agent.RetryAfterException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reading a provider's Retry-After / retry-after-ms from an agent's error. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Shaped like camel-http's HttpOperationFailedException: the response headers as a Map. */
    public static final class MapHeadersFailure extends RuntimeException {
        private final Map<String, Object> headers;

        public MapHeadersFailure(Map<String, Object> headers) {
            this(headers, null);
        }

        public MapHeadersFailure(Map<String, Object> headers, Throwable cause) {
            super("HTTP 429", cause);
            this.headers = headers;
        }

        public Map<String, Object> getResponseHeaders() {
            return headers;
        }
    }

    /** Shaped like a Vert.x MultiMap: not a Map, a case-insensitive get(String). */
    public static final class MultiMapLike {
        private final Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        public MultiMapLike(Map<String, String> values) {
            this.values.putAll(values);
        }

        public String get(String name) {
            return values.get(name);
        }
    }

    /** Shaped like camel-vertx-http's failure: the headers as a MultiMap. */
    public static final class MultiMapFailure extends RuntimeException {
        private final MultiMapLike headers;

        public MultiMapFailure(MultiMapLike headers) {
            super("HTTP 503");
            this.headers = headers;
        }

        public MultiMapLike getResponseHeaders() {
            return headers;
        }
    }

    private static String httpDate(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    @Test
    void wholeSecondsAreSeconds() {
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse("120", CLOCK));
        assertEquals(Duration.ofSeconds(7), RetryAfter.parse(" 7 ", CLOCK), "surrounding blanks are ignored");
        assertEquals(Duration.ZERO, RetryAfter.parse("0", CLOCK));
    }

    @Test
    void decimalSecondsAreRoundedUpToTheMillisecond() {
        assertEquals(Duration.ofMillis(1500), RetryAfter.parse("1.5", CLOCK));
        assertEquals(Duration.ofMillis(1), RetryAfter.parse("0.0001", CLOCK), "never shorter than asked");
    }

    @Test
    void anHttpDateCountsFromTheClock() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse(httpDate(NOW.plusSeconds(90)), CLOCK));
        assertEquals(Duration.ofHours(2), RetryAfter.parse(httpDate(NOW.plus(Duration.ofHours(2))), CLOCK));
    }

    @Test
    void anHttpDateInThePastIsNoWait() {
        assertEquals(Duration.ZERO, RetryAfter.parse(httpDate(NOW.minusSeconds(30)), CLOCK));
    }

    @Test
    void garbageIsNull() {
        assertNull(RetryAfter.parse("soon", CLOCK));
        assertNull(RetryAfter.parse("12abc", CLOCK));
        assertNull(RetryAfter.parse("Tue, 99 Foo 2026", CLOCK));
        assertNull(RetryAfter.parse("", CLOCK));
        assertNull(RetryAfter.parse("   ", CLOCK));
        assertNull(RetryAfter.parse(null, CLOCK));
    }

    @Test
    void retryAfterMsIsPreferredOverRetryAfter() {
        MapHeadersFailure both = new MapHeadersFailure(Map.of("Retry-After", "7", "retry-after-ms", "250"));

        assertEquals(Duration.ofMillis(250), RetryAfter.of(both, CLOCK));
    }

    @Test
    void anUnreadableRetryAfterMsFallsBackToRetryAfter() {
        MapHeadersFailure both = new MapHeadersFailure(Map.of("Retry-After", "7", "retry-after-ms", "lots"));

        assertEquals(Duration.ofSeconds(7), RetryAfter.of(both, CLOCK));
    }

    @Test
    void mapHeaderNamesAreCaseInsensitive() {
        assertEquals(Duration.ofSeconds(3), RetryAfter.of(new MapHeadersFailure(Map.of("RETRY-AFTER", "3")), CLOCK));
        assertEquals(Duration.ofSeconds(3), RetryAfter.of(new MapHeadersFailure(Map.of("retry-after", "3")), CLOCK));
        assertEquals(Duration.ofMillis(40),
                RetryAfter.of(new MapHeadersFailure(Map.of("Retry-After-Ms", "40", "retry-after", "3")), CLOCK));
    }

    @Test
    void aMultiValuedMapHeaderUsesItsFirstValue() {
        assertEquals(Duration.ofSeconds(5),
                RetryAfter.of(new MapHeadersFailure(Map.of("Retry-After", List.of("5", "9"))), CLOCK));
    }

    @Test
    void headersAreReadThroughAnObjectWithGet() {
        MultiMapFailure seconds = new MultiMapFailure(new MultiMapLike(Map.of("retry-after", "11")));
        MultiMapFailure millis = new MultiMapFailure(new MultiMapLike(Map.of("RETRY-AFTER-MS", "1200", "Retry-After", "11")));
        MultiMapFailure date = new MultiMapFailure(new MultiMapLike(Map.of("Retry-After", httpDate(NOW.plusSeconds(60)))));

        assertEquals(Duration.ofSeconds(11), RetryAfter.of(seconds, CLOCK));
        assertEquals(Duration.ofMillis(1200), RetryAfter.of(millis, CLOCK));
        assertEquals(Duration.ofSeconds(60), RetryAfter.of(date, CLOCK));
    }

    @Test
    void withoutTheHeadersThereIsNoWait() {
        assertNull(RetryAfter.of(new MapHeadersFailure(Map.of("Content-Type", "application/json")), CLOCK));
        assertNull(RetryAfter.of(new MapHeadersFailure(null), CLOCK));
        assertNull(RetryAfter.of(new MultiMapFailure(new MultiMapLike(Map.of())), CLOCK));
        assertNull(RetryAfter.of(new IllegalStateException("no headers at all"), CLOCK));
        assertNull(RetryAfter.of(null, CLOCK));
    }

    @Test
    void theWaitIsFoundAlongTheCauseChain() {
        RuntimeException wrapped = new RuntimeException(
                "route failed",
                new IllegalStateException("agent failed", new MapHeadersFailure(Map.of("Retry-After", "4"))));
        RuntimeException askedDeeper = new RuntimeException(
                new RetryAfterException("slow down", Duration.ofSeconds(6), null));
        // a failure with headers but none about the wait does not stop the search
        MapHeadersFailure silentOuter = new MapHeadersFailure(
                Map.of("X-Other", "1"),
                new MapHeadersFailure(Map.of("Retry-After", "8")));

        assertEquals(Duration.ofSeconds(4), RetryAfter.of(wrapped, CLOCK));
        assertEquals(Duration.ofSeconds(6), RetryAfter.of(askedDeeper, CLOCK));
        assertEquals(Duration.ofSeconds(8), RetryAfter.of(silentOuter, CLOCK));
    }

    @Test
    void aRetryAfterExceptionWinsOverTheHeadersOfItsCause() {
        RetryAfterException asked = new RetryAfterException(
                "slow down", Duration.ofSeconds(9),
                new MapHeadersFailure(Map.of("Retry-After", "4", "retry-after-ms", "100")));

        assertEquals(Duration.ofSeconds(9), RetryAfter.of(asked, CLOCK));
    }

    @Test
    void aRetryAfterExceptionOfZeroIsAnExplicitNoWait() {
        RetryAfterException asked = new RetryAfterException(
                "now", Duration.ZERO,
                new MapHeadersFailure(Map.of("Retry-After", "4")));

        assertEquals(Duration.ZERO, RetryAfter.of(asked, CLOCK));
    }
}
