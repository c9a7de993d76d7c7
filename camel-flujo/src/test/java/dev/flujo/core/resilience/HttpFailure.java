package dev.flujo.core.resilience;

/**
 * Shaped like camel-http's HttpOperationFailedException: a public {@code int getStatusCode()} and the response body,
 * for the tests of which agent errors are retried.
 */
public final class HttpFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String body;

    /** A failure without a body. */
    public HttpFailure(int status) {
        this(status, null);
    }

    public HttpFailure(int status, String body) {
        super("HTTP operation failed with statusCode: " + status);
        this.status = status;
        this.body = body;
    }

    public int getStatusCode() {
        return status;
    }

    public String getResponseBody() {
        return body;
    }
}
