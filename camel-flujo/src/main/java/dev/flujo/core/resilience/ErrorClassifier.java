package dev.flujo.core.resilience;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.AgentTimeoutException;

/**
 * Tells errors a retry can fix from errors it cannot ({@code enableOptimizedErrorHandling}), so a step does not spend
 * its retries - and their tokens - on a request that will fail the same way again.
 *
 * <ul>
 * <li>retryable: time-outs, I/O errors (a refused or reset connection), HTTP 408, 409, 429 (rate limited) and 5xx (from
 * any exception with an {@code int getStatusCode()}, as camel-http's {@code HttpOperationFailedException} and
 * camel-vertx-http's failure have), LangChain4j's {@code RetriableException}s, and anything not known to be fatal;</li>
 * <li>fatal: configuration errors, invalid arguments or unsupported operations, exceptions whose class name ends in
 * {@code ValidationException}, a {@link RateLimitedException} (flujo's own limit refused the call), LangChain4j's
 * {@code NonRetriableException}s (authentication, invalid request), a 429 whose body says the quota is exhausted
 * ({@code insufficient_quota}: no wait brings the money back), and other HTTP 4xx (400, 401, 403, 404, 422, ...).</li>
 * </ul>
 *
 * Only errors an agent call raised are classified: an answer the validators rejected is always retried, with its
 * feedback - that is what retries are for. The rule for each exception type (including where its status code is read
 * from) is worked out once and kept in a cache of {@code errorCacheSize} types.
 */
public final class ErrorClassifier {

    /** What a retry can do about an error. */
    public enum ErrorClass {
        RETRYABLE,
        FATAL
    }

    /**
     * The rule of one exception type: a fixed class, or the status code's say; {@code quota}: a retryable type whose
     * message may say the quota is spent (LangChain4j maps a 429 to its RateLimitException, body in the message).
     */
    private record Rule(ErrorClass fixed, Method statusCode, boolean quota) {
        Rule(ErrorClass fixed, Method statusCode) {
            this(fixed, statusCode, false);
        }
    }

    private static final Rule RETRYABLE = new Rule(ErrorClass.RETRYABLE, null);
    private static final Rule RETRYABLE_UNLESS_QUOTA = new Rule(ErrorClass.RETRYABLE, null, true);
    private static final Rule FATAL = new Rule(ErrorClass.FATAL, null);
    private static final Rule UNDECIDED = new Rule(null, null);

    private static final String LANGCHAIN4J_NON_RETRIABLE = "dev.langchain4j.exception.NonRetriableException";
    private static final String LANGCHAIN4J_RETRIABLE = "dev.langchain4j.exception.RetriableException";
    /** OpenAI's error code for an exhausted quota or credit, sent with a 429. */
    private static final String QUOTA_EXHAUSTED = "insufficient_quota";

    private final Cache<Class<?>, Rule> rules;

    public ErrorClassifier(int cacheSize) {
        this.rules = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    public ErrorClass classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Rule rule = rules.get(t.getClass(), ErrorClassifier::ruleOf);
            ErrorClass decided = rule.statusCode != null ? byStatus(rule.statusCode, t)
                    : rule.quota && quotaExhausted(t) ? ErrorClass.FATAL : rule.fixed;
            if (decided != null) {
                return decided;
            }
        }
        return ErrorClass.RETRYABLE;
    }

    /** How many exception types have a rule cached (for statistics and tests). */
    public long cachedTypes() {
        rules.cleanUp();
        return rules.estimatedSize();
    }

    private static Rule ruleOf(Class<?> type) {
        if (AgentTimeoutException.class.isAssignableFrom(type) || TimeoutException.class.isAssignableFrom(type)
                || IOException.class.isAssignableFrom(type)) {
            return RETRYABLE;
        }
        if (FlujoConfigurationException.class.isAssignableFrom(type)
                || RateLimitedException.class.isAssignableFrom(type)
                || IllegalArgumentException.class.isAssignableFrom(type)
                || UnsupportedOperationException.class.isAssignableFrom(type)
                || type.getName().endsWith("ValidationException")) {
            return FATAL;
        }
        // LangChain4j's model exceptions say themselves whether a retry can help (by name: no dependency on it)
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(LANGCHAIN4J_NON_RETRIABLE)) {
                return FATAL;
            }
            if (c.getName().equals(LANGCHAIN4J_RETRIABLE)) {
                return RETRYABLE_UNLESS_QUOTA;
            }
        }
        Method status = statusCodeMethod(type);
        return status != null ? new Rule(null, status) : UNDECIDED;
    }

    /**
     * {@code int getStatusCode()} (Camel's HTTP failures) or {@code int statusCode()} (LangChain4j's HttpException).
     */
    private static Method statusCodeMethod(Class<?> type) {
        for (String name : new String[] { "getStatusCode", "statusCode" }) {
            try {
                Method m = type.getMethod(name);
                if (m.getReturnType() == int.class && Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                    return m;
                }
            } catch (NoSuchMethodException e) {
                // try the next name; none: decided by the cause, or retryable
            }
        }
        return null;
    }

    private static ErrorClass byStatus(Method statusCode, Throwable t) {
        int status;
        try {
            status = (int) statusCode.invoke(t);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        if (status == 429) {
            return quotaExhausted(t) ? ErrorClass.FATAL : ErrorClass.RETRYABLE;
        }
        if (status == 408 || status == 409 || status >= 500) {
            return ErrorClass.RETRYABLE;
        }
        return status >= 400 ? ErrorClass.FATAL : null;
    }

    /** A 429 that is not a rate limit but a spent quota: its body (or, without one, its message) says so. */
    private static boolean quotaExhausted(Throwable t) {
        String body = null;
        try {
            Object read = t.getClass().getMethod("getResponseBody").invoke(t);
            body = read == null ? null : read.toString();
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no body accessor: the message is all there is
        }
        String text = body != null ? body : t.getMessage();
        return text != null && text.contains(QUOTA_EXHAUSTED);
    }
}
