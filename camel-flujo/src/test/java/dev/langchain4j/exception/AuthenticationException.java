package dev.langchain4j.exception;

/**
 * A stand-in for LangChain4j's class of the same name (not a dependency of camel-flujo): ErrorClassifier recognises
 * LangChain4j's exceptions by the name of their superclass.
 */
public class AuthenticationException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
