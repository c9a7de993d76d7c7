package dev.flujo.examples.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for an OpenAI-compatible server: {@code POST /v1/chat/completions} on 127.0.0.1 (a free port)
 * answers in the chat-completions format, {@code usage} included, and records every request.
 */
final class StubChatCompletions implements AutoCloseable {

    /** What the stub answers to one request. */
    record Completion(String content, long promptTokens, long completionTokens) {
    }

    /** One request as the server saw it. */
    record Request(String method, String authorization, String contentType, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Function<JsonNode, Completion> answers;
    private final HttpServer server;

    StubChatCompletions(Function<JsonNode, Completion> answers) throws IOException {
        this.answers = answers;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL to configure as flujo.openai.base-url. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange http) throws IOException {
        try (InputStream in = http.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            requests.add(new Request(
                    http.getRequestMethod(), http.getRequestHeaders().getFirst("Authorization"),
                    http.getRequestHeaders().getFirst("Content-Type"), body));
            Completion answer = answers.apply(body);
            ObjectNode completion = JSON.createObjectNode()
                    .put("id", "chatcmpl-" + requests.size())
                    .put("object", "chat.completion")
                    .put("created", 1700000000)
                    .put("model", body.path("model").asText());
            completion.putArray("choices").addObject()
                    .put("index", 0)
                    .put("finish_reason", "stop")
                    .putObject("message").put("role", "assistant").put("content", answer.content());
            completion.putObject("usage")
                    .put("prompt_tokens", answer.promptTokens())
                    .put("completion_tokens", answer.completionTokens())
                    .put("total_tokens", answer.promptTokens() + answer.completionTokens());
            respond(http, 200, JSON.writeValueAsBytes(completion));
        } catch (RuntimeException e) {
            respond(http, 500, String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange http, int status, byte[] body) throws IOException {
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.sendResponseHeaders(status, body.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
