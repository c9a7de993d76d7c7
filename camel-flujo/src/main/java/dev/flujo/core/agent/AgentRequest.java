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
 */
public record AgentRequest(String stepName, Object input, FlujoContext context, int attempt, String feedback,
                           List<String> feedbackHistory) {

    public AgentRequest {
        feedbackHistory = feedbackHistory == null ? List.of() : List.copyOf(feedbackHistory);
    }

    public boolean isRetry() {
        return attempt > 1;
    }
}
