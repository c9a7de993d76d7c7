package dev.flujo.camel.agent.model;

import dev.flujo.core.agent.FlujoAgent;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;

/**
 * Turns a model bean into an agent, when it is one. Free of LangChain4j types, so that the resolver can ask about any
 * bean whether or not langchain4j-core is on the classpath; the adapters are loaded only when it is.
 */
public final class ModelAgents {

    private static final boolean LANGCHAIN4J = present("dev.langchain4j.model.chat.ChatModel");

    private ModelAgents() {
    }

    private static boolean present(String type) {
        try {
            Class.forName(type, false, ModelAgents.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param  systemMessage the {@code systemMessage} template (Simple, over the input as body and the context), or
     *                       {@code null}
     * @return               the bean as an agent, or {@code null} when it is no chat model flujo knows
     */
    public static FlujoAgent adapt(CamelContext camelContext, String step, Object bean, Expression systemMessage) {
        return LANGCHAIN4J ? LangChain4jAgents.adapt(camelContext, step, bean, systemMessage) : null;
    }
}
