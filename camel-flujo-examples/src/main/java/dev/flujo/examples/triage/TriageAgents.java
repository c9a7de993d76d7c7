package dev.flujo.examples.triage;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.result.Usage;
import dev.flujo.examples.LocalAgents;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import static dev.flujo.examples.LocalAgents.words;

/**
 * Deterministic stand-ins for the triage pipeline's agents. Like {@link LocalAgents}, each reports one token per word,
 * so usage totals, limits and cost work as they would against a model.
 */
public final class TriageAgents {

    private static final Map<String, String> KNOWLEDGE_BASE = Map.of(
            "billing", "KB-101: a duplicate charge is refunded to the original card within 5 working days.",
            "technical", "KB-204: version 4.2 crashes on the Android settings screen; 4.2.1 fixes it this week.",
            "general", "KB-007: offices close on national public holidays and open 9:00-17:00 on weekdays.");

    private static final Map<String, String> POLICIES = Map.of(
            "billing", "refund duplicate charges without asking for proof",
            "technical", "offer the fixed version and a workaround",
            "general", "answer from the public office hours page");

    private TriageAgents() {
    }

    /** Classifies a ticket by keywords: billing, technical or general (bean {@code #classifier}). */
    public static FlujoAgent classifier() {
        return request -> answer(request, LocalAgents.category(String.valueOf(request.input())));
    }

    /** Looks the ticket's category (the context's {@code category}) up in a knowledge base. */
    public static FlujoAgent researcher() {
        return lookup(KNOWLEDGE_BASE);
    }

    /** Says what the support policy allows for the ticket's category. */
    public static FlujoAgent policyChecker() {
        return lookup(POLICIES);
    }

    private static FlujoAgent lookup(Map<String, String> byCategory) {
        return request -> answer(request, byCategory.get(request.context().get("category", String.class)));
    }

    private static CompletionStage<AgentResponse> answer(AgentRequest request, String output) {
        return CompletableFuture.completedFuture(
                AgentResponse.of(output, Usage.tokens(words(request.input()), words(output))));
    }

    /**
     * A stand-in for the chat model behind {@code direct:triage-llm}, with the same contract as the OpenAI endpoint
     * ({@link dev.flujo.examples.openai.OpenAiChat}): the prompt is the body, the answer the reply body, and usage the
     * {@code CamelFlujoInputTokens} / {@code CamelFlujoOutputTokens} reply headers. It answers the two prompts of the
     * pipeline ({@code triage/summarize.prompt}, {@code triage/reply.prompt}); like many models it first summarizes too
     * verbosely and answers briefly once the rejection comes back as feedback.
     */
    public static Processor localModel() {
        return exchange -> {
            Message message = exchange.getMessage();
            String prompt = message.getBody(String.class);
            String feedback = message.getHeader(FlujoConstants.FEEDBACK, String.class);
            Map<String, String> fields = fields(prompt);
            String answer;
            if (prompt.startsWith("Summarize")) {
                answer = feedback == null
                        ? "Summary of the case, in full detail: " + String.join(" ", fields.values())
                        : "[" + fields.get("Category") + "] " + firstWords(fields.get("Ticket"), 8) + " ... -> "
                          + fields.get("Policy");
            } else if (prompt.startsWith("Write the reply")) {
                answer = "Dear customer, thank you for writing to us. "
                         + (Boolean.parseBoolean(fields.get("Approved"))
                                 ? fields.get("Note")
                                 : "A specialist will look into your request and reply within two working days.")
                         + " Kind regards, the support team.";
            } else {
                throw new IllegalArgumentException(
                        "The local model knows no prompt starting with: "
                                                   + firstWords(prompt, 4));
            }
            message.setHeader(FlujoConstants.INPUT_TOKENS, words(prompt) + (feedback == null ? 0 : words(feedback)));
            message.setHeader(FlujoConstants.OUTPUT_TOKENS, words(answer));
            message.setBody(answer);
        };
    }

    /** The "Key: value" lines of a prompt, in order. */
    private static Map<String, String> fields(String prompt) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : prompt.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 2).trim());
            }
        }
        return fields;
    }

    private static String firstWords(String text, int n) {
        return Arrays.stream(String.valueOf(text).trim().split("\\s+")).limit(n).collect(Collectors.joining(" "));
    }
}
