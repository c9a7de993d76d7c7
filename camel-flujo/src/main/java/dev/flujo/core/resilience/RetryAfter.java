package dev.flujo.core.resilience;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import dev.flujo.core.agent.RetryAfterException;

/**
 * Reads how long a failed agent call asks to be waited for: {@code retry-after-ms} (milliseconds, as OpenAI and Azure
 * OpenAI send it) or {@code Retry-After} (seconds, or an HTTP date, RFC 9110).
 *
 * <p>
 * Where it is found, along the error's cause chain: a {@link RetryAfterException}; or an exception with a public
 * {@code getResponseHeaders()} - a {@code Map} of header names (camel-http's {@code HttpOperationFailedException}) or
 * an object with {@code get(String)} (camel-vertx-http's failure, a Vert.x {@code MultiMap}). Reflection, so the core
 * needs no HTTP client; the accessor of each exception type is looked up once ({@link ClassValue}).
 */
public final class RetryAfter {

    /** The {@code getResponseHeaders()} of a type, or none. */
    private static final ClassValue<Method> HEADERS = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("getResponseHeaders");
                return Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private RetryAfter() {
    }

    /** @return the wait the error asks for, or {@code null} when it says nothing */
    public static Duration of(Throwable error, Clock clock) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetryAfterException asked) {
                return asked.getRetryAfter();
            }
            Method headers = HEADERS.get(t.getClass());
            if (headers != null) {
                Duration wait = fromHeaders(headers, t, clock);
                if (wait != null) {
                    return wait;
                }
            }
        }
        return null;
    }

    private static Duration fromHeaders(Method accessor, Throwable t, Clock clock) {
        Object headers;
        try {
            headers = accessor.invoke(t);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        if (headers == null) {
            return null;
        }
        Duration millis = parseMillis(header(headers, "retry-after-ms"));
        return millis != null ? millis : parse(header(headers, "Retry-After"), clock);
    }

    private static String header(Object headers, String name) {
        if (headers instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey() instanceof String key && key.equalsIgnoreCase(name) && e.getValue() != null) {
                    Object value = e.getValue();
                    return value instanceof Iterable<?> values && values.iterator().hasNext()
                            ? String.valueOf(values.iterator().next()) : String.valueOf(value);
                }
            }
            return null;
        }
        try {
            Object value = headers.getClass().getMethod("get", String.class).invoke(headers, name);
            return value == null ? null : value.toString();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A {@code Retry-After} value: seconds (a decimal is accepted) or an HTTP date, which counts from the clock's now
     * (a date in the past is no wait).
     *
     * @return the wait, or {@code null} when the value is absent or not one of the two forms
     */
    public static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (Character.isDigit(v.charAt(0))) {
            try {
                BigDecimal seconds = new BigDecimal(v);
                return seconds.signum() <= 0
                        ? Duration.ZERO
                        : Duration.ofMillis(seconds.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING)
                                .longValueExact());
            } catch (NumberFormatException | ArithmeticException e) {
                return null;
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A {@code retry-after-ms} value; {@code null} when absent or not a number. */
    static Duration parseMillis(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            BigDecimal millis = new BigDecimal(value.trim());
            return millis.signum() <= 0
                    ? Duration.ZERO
                    : Duration.ofMillis(millis.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
