package dev.flujo.camel.agent.model;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LangChain4j adapters. One call is one chat request:
 * <ul>
 * <li>messages: the {@code systemMessage} (a Simple template over the input and the context), then the prompt - a
 * String (a user message), a list of {@code ChatMessage}, or a {@code ChatRequest} (its messages and parameters); on a
 * retry after a rejected answer, that answer (an AI message) and the feedback (a user message), so the model repairs
 * its own answer instead of starting over; after a failed call, the feedback alone;</li>
 * <li>the step's {@code outputSchema} as the request's JSON-schema response format, when the model says it supports one
 * ({@code Capability.RESPONSE_FORMAT_JSON_SCHEMA}), so the provider constrains the answer at the source;</li>
 * <li>the answer's text is the output, its {@code TokenUsage} the usage (priced by the step), its model name the
 * result's {@code model}.</li>
 * </ul>
 * A {@link ChatModel} answers on the calling thread, so it is a blocking agent (with a time-out it runs on the
 * component's blocking pool); a {@link StreamingChatModel} answers through its handler, and no flujo thread waits for
 * it. LangChain4j's errors ({@code RateLimitException}, {@code AuthenticationException}, ...) are classified by the
 * step like any agent error. A model built with retries of its own ({@code maxRetries}, 2 in LangChain4j's builders)
 * retries inside one flujo attempt: a WARN at start says so.
 */
final class LangChain4jAgents {

    private static final Logger LOG = LoggerFactory.getLogger(LangChain4jAgents.class);

    private LangChain4jAgents() {
    }

    static FlujoAgent adapt(CamelContext camelContext, String step, Object bean, Expression systemMessage) {
        if (bean instanceof ChatModel model) {
            warnOfOwnRetries(step, model);
            return new Blocking(new Requests(camelContext, systemMessage, model.supportedCapabilities()), model);
        }
        if (bean instanceof StreamingChatModel model) {
            warnOfOwnRetries(step, model);
            return new Streaming(new Requests(camelContext, systemMessage, model.supportedCapabilities()), model);
        }
        return null;
    }

    /** LangChain4j's model classes keep their retries in a field {@code maxRetries}: read, not required. */
    private static void warnOfOwnRetries(String step, Object model) {
        for (Class<?> c = model.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("maxRetries");
                f.setAccessible(true);
                Object retries = f.get(model);
                if (retries instanceof Integer n && n > 0) {
                    LOG.warn("Step '{}': the {} agent retries a failed call {} more time(s) by itself, inside one flujo"
                             + " attempt and without flujo's backoff or budget: build it with .maxRetries(0)",
                            step, model.getClass().getSimpleName(), n);
                }
                return;
            } catch (NoSuchFieldException e) {
                // not declared here: the superclass may
            } catch (ReflectiveOperationException | RuntimeException e) {
                return; // a module that does not open it: say nothing rather than guess
            }
        }
    }

    /** Builds the chat request of one call. */
    private record Requests(CamelContext camelContext, Expression systemMessage, Set<Capability> capabilities) {

        ChatRequest of(AgentRequest request) {
            List<ChatMessage> messages = new ArrayList<>();
            ChatRequest given = request.input() instanceof ChatRequest r ? r : null;
            if (systemMessage != null) {
                Exchange scratch = ExchangeContext.scratchExchange(request.context(), camelContext);
                scratch.getMessage().setBody(given != null ? null : request.input());
                messages.add(SystemMessage.from(systemMessage.evaluate(scratch, String.class)));
            }
            if (given != null) {
                messages.addAll(given.messages());
            } else if (request.input() instanceof List<?> list && !list.isEmpty()
                    && list.stream().allMatch(ChatMessage.class::isInstance)) {
                list.forEach(m -> messages.add((ChatMessage) m));
            } else {
                messages.add(UserMessage.from(String.valueOf(request.input())));
            }
            if (request.feedback() != null) {
                if (request.rejectedOutput() != null) {
                    messages.add(AiMessage.from(String.valueOf(request.rejectedOutput())));
                }
                messages.add(UserMessage.from("Your previous answer was rejected: " + request.feedback()
                                              + "\nAnswer again, fixing that."));
            }
            ChatRequest.Builder chat = given != null
                    ? ChatRequest.builder().parameters(given.parameters()) : ChatRequest.builder();
            chat.messages(messages);
            if (request.outputSchema() != null && capabilities.contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA)) {
                chat.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder().name("output")
                                .rootElement(JsonRawSchema.from(request.outputSchema())).build())
                        .build());
            }
            return chat.build();
        }
    }

    static AgentResponse answer(ChatResponse response) {
        TokenUsage tokens = response.tokenUsage();
        Usage usage = tokens == null
                ? Usage.ZERO
                : Usage.tokens(orZero(tokens.inputTokenCount()), orZero(tokens.outputTokenCount()));
        return new AgentResponse(
                response.aiMessage() == null ? null : response.aiMessage().text(), usage,
                response.modelName());
    }

    private static long orZero(Integer n) {
        return n == null ? 0 : n;
    }

    /** A {@link ChatModel}: it answers on the thread that calls it. */
    static final class Blocking implements FlujoAgent {
        private final Requests requests;
        private final ChatModel model;

        Blocking(Requests requests, ChatModel model) {
            this.requests = requests;
            this.model = model;
        }

        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            try {
                return CompletableFuture.completedFuture(answer(model.chat(requests.of(request))));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public boolean blocksCaller() {
            return true;
        }
    }

    /** A {@link StreamingChatModel}: its handler completes the call; no thread of flujo waits for it. */
    static final class Streaming implements FlujoAgent {
        private final Requests requests;
        private final StreamingChatModel model;

        Streaming(Requests requests, StreamingChatModel model) {
            this.requests = requests;
            this.model = model;
        }

        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            CompletableFuture<AgentResponse> reply = new CompletableFuture<>();
            try {
                model.chat(requests.of(request), new StreamingChatResponseHandler() {
                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        try {
                            reply.complete(answer(response));
                        } catch (RuntimeException e) {
                            reply.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        reply.completeExceptionally(error);
                    }
                });
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
            return reply;
        }
    }
}
