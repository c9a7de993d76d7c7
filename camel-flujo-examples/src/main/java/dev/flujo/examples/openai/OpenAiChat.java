package dev.flujo.examples.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flujo.camel.FlujoConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.PropertiesComponent;

/**
 * An OpenAI-compatible chat-completions endpoint as a flujo endpoint agent ({@code direct:openai-chat}, see
 * {@link OpenAiChatRoutes} and {@code routes/openai-chat.camel.yaml}): {@link #request()} turns the prompt into the
 * request, camel-http POSTs it to {@code {baseUrl}/v1/chat/completions}, {@link #response()} turns the answer into the
 * reply body and the usage headers the flujo step books against the run's limits.
 *
 * <p>
 * Configuration (Camel properties; each also read from the environment variable in brackets):
 * <ul>
 * <li>{@value #BASE_URL} ({@code FLUJO_OPENAI_BASE_URL}): e.g. {@code https://api.openai.com}. Setting it switches the
 * triage examples from the local model to this endpoint; unset (the default) they use the local model.</li>
 * <li>{@value #API_KEY} ({@code FLUJO_OPENAI_API_KEY}): sent as {@code Authorization: Bearer <key>}.</li>
 * <li>{@value #MODEL} ({@code FLUJO_OPENAI_MODEL}): the model, {@value #DEFAULT_MODEL} by default.</li>
 * </ul>
 */
public final class OpenAiChat {

    public static final String BASE_URL = "flujo.openai.base-url";
    public static final String API_KEY = "flujo.openai.api-key";
    public static final String MODEL = "flujo.openai.model";
    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    /** A Simple predicate: true when a base URL is configured, so the model endpoint is used. */
    public static final String ENABLED = "${properties:" + BASE_URL + ":} != ''";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiChat() {
    }

    /**
     * The prompt (body) becomes {@code {"model": ..., "messages": [{"role": "user", "content": prompt}]}}; on a retry
     * the step's feedback ({@code CamelFlujoFeedback}) follows as a second user message, so the model knows why its
     * last answer was rejected. The step's headers are not sent to the server.
     */
    public static Processor request() {
        return exchange -> {
            Message message = exchange.getMessage();
            PropertiesComponent properties = exchange.getContext().getPropertiesComponent();
            ObjectNode request = JSON.createObjectNode();
            request.put("model", properties.resolveProperty(MODEL).orElse(DEFAULT_MODEL));
            ArrayNode messages = request.putArray("messages");
            messages.addObject().put("role", "user").put("content", message.getBody(String.class));
            String feedback = message.getHeader(FlujoConstants.FEEDBACK, String.class);
            if (feedback != null) {
                messages.addObject().put("role", "user")
                        .put("content", "Your previous answer was rejected: " + feedback + "\nAnswer again.");
            }
            message.removeHeaders("*");
            message.setHeader(Exchange.HTTP_METHOD, "POST");
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            properties.resolveProperty(API_KEY).ifPresent(key -> message.setHeader("Authorization", "Bearer " + key));
            message.setBody(JSON.writeValueAsString(request));
        };
    }

    /**
     * {@code choices[0].message.content} becomes the body; {@code usage.prompt_tokens} and
     * {@code usage.completion_tokens} become {@code CamelFlujoInputTokens} and {@code CamelFlujoOutputTokens} (0 when
     * the server reports no usage). The HTTP response headers are dropped.
     */
    public static Processor response() {
        return exchange -> {
            Message message = exchange.getMessage();
            JsonNode completion = JSON.readTree(message.getBody(String.class));
            JsonNode content = completion.path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw new IllegalStateException("The chat completion has no choices[0].message.content: " + completion);
            }
            JsonNode usage = completion.path("usage");
            message.removeHeaders("*");
            message.setHeader(FlujoConstants.INPUT_TOKENS, usage.path("prompt_tokens").asLong());
            message.setHeader(FlujoConstants.OUTPUT_TOKENS, usage.path("completion_tokens").asLong());
            message.setBody(content.asText());
        };
    }
}
