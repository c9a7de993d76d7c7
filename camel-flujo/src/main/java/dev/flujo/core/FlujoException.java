package dev.flujo.core;

/**
 * Base of every exception the core raises, so a route can catch them all with one {@code onException}.
 */
public class FlujoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FlujoException(String message) {
        super(message);
    }

    public FlujoException(String message, Throwable cause) {
        super(message, cause);
    }
}
