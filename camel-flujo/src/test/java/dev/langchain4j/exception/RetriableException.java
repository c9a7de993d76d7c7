package dev.langchain4j.exception;

/**
 * A stand-in for LangChain4j's class of the same name (not a dependency of camel-flujo): ErrorClassifier recognises
 * LangChain4j's exceptions by the name of their superclass.
 */
public class RetriableException extends LangChain4jException {

    private static final long serialVersionUID = 1L;

    public RetriableException(String message) {
        super(message);
    }
}
