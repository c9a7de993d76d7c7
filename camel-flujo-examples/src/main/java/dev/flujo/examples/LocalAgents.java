package dev.flujo.examples;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Deterministic stand-ins for language models. Each reports usage as one token per word, like a real model reports its
 * token counts, so the run's usage totals and cost limits work exactly as they would against a real endpoint.
 */
public final class LocalAgents {

    private LocalAgents() {
    }

    /** One token per word: how these stand-ins count usage. */
    public static long words(Object text) {
        String s = String.valueOf(text).trim();
        return s.isEmpty() ? 0 : s.split("\\s+").length;
    }

    /** Keeps the substance of a ticket: drops greetings and courtesy words. */
    public static FlujoAgent extractor() {
        return request -> {
            String text = String.valueOf(request.input())
                    .replaceAll("(?i)^(hello|hi|dear [a-z]+)[,!]?\\s*", "")
                    .replaceAll("(?i)\\s*(as soon as possible )?please\\.?$", ".")
                    .trim();
            return CompletableFuture.completedFuture(
                    AgentResponse.of(text, Usage.tokens(words(request.input()), words(text))));
        };
    }

    /**
     * Like many models, first answers too verbosely; given feedback (a failed {@code validate}) it answers briefly.
     */
    public static FlujoAgent summarizer() {
        return request -> {
            String text = String.valueOf(request.input());
            String summary = request.feedback() == null
                    ? "Summary of the customer's message, in full detail: " + text
                    : Arrays.stream(text.split("\\s+")).limit(9).collect(Collectors.joining(" ")) + " ...";
            return CompletableFuture.completedFuture(
                    AgentResponse.of(summary, Usage.tokens(words(text) + words(request.feedback()), words(summary))));
        };
    }

    /**
     * An agent that is a Camel route ({@code direct:classifier}): classifies by keywords and reports its usage in the
     * reply headers the flujo step reads.
     */
    public static Processor classifier() {
        return (Exchange exchange) -> {
            String text = exchange.getMessage().getBody(String.class);
            exchange.getMessage().setHeader("CamelFlujoInputTokens", words(text));
            exchange.getMessage().setHeader("CamelFlujoOutputTokens", 1);
            exchange.getMessage().setBody(category(text));
        };
    }

    /** A ticket's category by keywords: billing, technical or general. */
    public static String category(String ticket) {
        String text = ticket.toLowerCase(Locale.ROOT);
        return text.matches(".*\\b(charged|invoice|refund|payment)\\b.*") ? "billing"
                : text.matches(".*\\b(crash(es)?|error|bug|app)\\b.*") ? "technical"
                : "general";
    }
}
