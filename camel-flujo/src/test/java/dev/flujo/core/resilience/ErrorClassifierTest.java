package dev.flujo.core.resilience;

import java.time.Duration;

import dev.flujo.core.resilience.ErrorClassifier.ErrorClass;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which agent errors a retry can fix (issue 14's rules). The cache of rules per type is covered by
 * ExecutorCoreErrorHandlingTest.
 */
class ErrorClassifierTest {

    private final ErrorClassifier classifier = new ErrorClassifier(100);

    /** A status code but no body accessor: the message is all there is. */
    public static final class StatusOnlyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public StatusOnlyFailure(int status, String message) {
            super(message);
            this.status = status;
        }

        public int getStatusCode() {
            return status;
        }
    }

    private static final String QUOTA_BODY = "{\"error\":{\"message\":\"You exceeded your current quota\","
                                             + "\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}";
    private static final String RATE_BODY = "{\"error\":{\"message\":\"Rate limit reached\","
                                            + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";

    @ParameterizedTest
    @ValueSource(ints = { 408, 409, 429, 500, 502, 503, 504 })
    void transientStatusesAreRetryable(int status) {
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new HttpFailure(status, RATE_BODY)));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 422 })
    void clientErrorsAreFatal(int status) {
        assertEquals(ErrorClass.FATAL, classifier.classify(new HttpFailure(status, null)));
    }

    @Test
    void aConflictIsRetryable() {
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new HttpFailure(409, "{\"error\":\"conflict\"}")));
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new RuntimeException(new HttpFailure(409, null))));
    }

    @Test
    void a429WhoseBodySaysTheQuotaIsSpentIsFatal() {
        assertEquals(ErrorClass.FATAL, classifier.classify(new HttpFailure(429, QUOTA_BODY)));
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new HttpFailure(429, RATE_BODY)),
                "the same type with a rate-limit body is retried: the body is read per error");
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new HttpFailure(429, null)));
    }

    @Test
    void withoutABodyTheMessageOfA429Decides() {
        assertEquals(ErrorClass.FATAL,
                classifier.classify(new StatusOnlyFailure(429, "429 Too Many Requests: insufficient_quota")));
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new StatusOnlyFailure(429, "429 Too Many Requests")));
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new StatusOnlyFailure(429, null)));
    }

    @Test
    void insufficientQuotaOnlyMattersForA429() {
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new HttpFailure(503, QUOTA_BODY)));
    }

    @Test
    void flujosOwnRateLimitRefusalIsFatal() {
        RateLimitedException limited = new RateLimitedException("s", "llm", "requestsPerMinute=60", Duration.ZERO);

        assertEquals(ErrorClass.FATAL, classifier.classify(limited));
        assertEquals(ErrorClass.FATAL, classifier.classify(new RuntimeException("wrapped", limited)));
    }

    @Test
    void langChain4jNonRetriableExceptionsAreFatal() {
        assertEquals(ErrorClass.FATAL, classifier.classify(new NonRetriableException("no")));
        assertEquals(ErrorClass.FATAL, classifier.classify(new AuthenticationException("bad api key")));
        assertEquals(ErrorClass.FATAL, classifier.classify(new InvalidRequestException("context length exceeded")));
        assertEquals(ErrorClass.FATAL, classifier.classify(new InvalidRequestException("deeper") {
            private static final long serialVersionUID = 1L;
        }), "matched along the superclasses");
    }

    @Test
    void langChain4jRetriableExceptionsAreRetryable() {
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new RetriableException("maybe")));
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new RateLimitException("slow down")));
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new InternalServerException("500")));
    }

    @Test
    void aRetriableLangChain4jExceptionIsRetryableEvenWithAFatalCause() {
        RateLimitException retriable = new RateLimitException("slow down");
        retriable.initCause(new IllegalArgumentException("not what decides"));

        assertEquals(ErrorClass.RETRYABLE, classifier.classify(retriable), "the outermost decided class wins");
    }

    @Test
    void aLangChain4jExceptionOfNeitherKindIsDecidedByItsCause() {
        LangChain4jException plain = new LangChain4jException("plain");
        LangChain4jException withFatalCause = new LangChain4jException("wraps");
        withFatalCause.initCause(new HttpFailure(401, null));

        assertEquals(ErrorClass.RETRYABLE, classifier.classify(plain));
        assertEquals(ErrorClass.FATAL, classifier.classify(withFatalCause));
    }

    @Test
    void aStatusOutsideTheErrorsSaysNothing() {
        assertEquals(ErrorClass.RETRYABLE, classifier.classify(new HttpFailure(302, null)));
        assertEquals(ErrorClass.FATAL,
                classifier.classify(new RuntimeException(new HttpFailure(302, null).initCause(new HttpFailure(403, null)))),
                "an undecided status leaves it to the cause");
    }
}
