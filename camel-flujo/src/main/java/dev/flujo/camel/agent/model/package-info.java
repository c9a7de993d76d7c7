/**
 * LangChain4j chat models as agents ({@code agent=#bean} of a {@code ChatModel} or {@code StreamingChatModel}):
 * langchain4j-core is an optional dependency, so only {@link dev.flujo.camel.agent.model.ModelAgents} may be touched
 * without it; it loads the adapters only when LangChain4j is on the classpath.
 */
package dev.flujo.camel.agent.model;
