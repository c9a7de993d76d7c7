package dev.flujo.core.agent;

import java.util.List;

import dev.flujo.core.context.FlujoContext;

/**
 * What an agent is asked.
 *
 * @param stepName        the step calling the agent
 * @param input           the input after the step's prompt processors
 * @param context         a read-only view of the run's context
 * @param attempt         1 for the first attempt, 2 for the first retry, ...
 * @param feedback        why the previous attempt failed (validation failures, plugin feedback, an error), or
 *                        {@code null} on the first attempt
 * @param feedbackHistory the feedback of every earlier failed attempt, oldest first
 * @param fallbackChain   the steps whose fallback (or plugin redirect) this call runs for, outermost first (empty for
 *                        an ordinary attempt). An agent that itself runs flujo steps passes it on to
 *                        {@code ExecutorCore.execute}, so a fallback chain that comes back to a step is detected;
 *                        endpoint agents carry it in the {@code CamelFlujoFallbackChain} exchange property.
 * @param rejectedOutput  the previous attempt's answer when the step's phases rejected it (so a chat agent can show the
 *                        model its own answer before the feedback), or {@code null}
 * @param outputSchema    the JSON Schema the step checks the answer against ({@code outputSchema}), so that a model
 *                        agent can ask its provider for that format; {@code null} when the step has none
 */
public record AgentRequest(String stepName, Object input, FlujoContext context, int attempt, String feedback,
        List<String> feedbackHistory, List<String> fallbackChain, Object rejectedOutput, String outputSchema) {

    public AgentRequest {
        feedbackHistory = feedbackHistory == null ? List.of() : List.copyOf(feedbackHistory);
        fallbackChain = fallbackChain == null ? List.of() : List.copyOf(fallbackChain);
    }

    /** A request whose previous attempt, if any, did not answer, of a step without an output schema. */
    public AgentRequest(String stepName, Object input, FlujoContext context, int attempt, String feedback,
                        List<String> feedbackHistory, List<String> fallbackChain) {
        this(stepName, input, context, attempt, feedback, feedbackHistory, fallbackChain, null, null);
    }

    /** A request outside any fallback chain. */
    public AgentRequest(String stepName, Object input, FlujoContext context, int attempt, String feedback,
                        List<String> feedbackHistory) {
        this(stepName, input, context, attempt, feedback, feedbackHistory, List.of());
    }

    public boolean isRetry() {
        return attempt > 1;
    }
}
