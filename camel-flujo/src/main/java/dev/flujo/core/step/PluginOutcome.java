package dev.flujo.core.step;

import java.util.Objects;

/** What a {@link FlujoPlugin} decided. */
public sealed interface PluginOutcome {

    /** Accept the output as it is; the next plugin runs. */
    record Success() implements PluginOutcome {
    }

    /** Reject the output: the attempt fails with this feedback and is retried while attempts remain. */
    record Feedback(String feedback) implements PluginOutcome {
        public Feedback {
            Objects.requireNonNull(feedback, "feedback");
        }
    }

    /** Replace the output with this one; the next plugin sees the new output. */
    record NewSolution(Object output) implements PluginOutcome {
    }

    /**
     * Call another agent (an endpoint URI or {@code #bean}) with the same input instead, then run the output phases on
     * its answer. Redirects that come back to an agent already used in the attempt are a cycle and fail the step with a
     * {@link dev.flujo.core.FlujoConfigurationException}.
     */
    record Redirect(String agent) implements PluginOutcome {
        public Redirect {
            Objects.requireNonNull(agent, "agent");
        }
    }

    PluginOutcome SUCCESS = new Success();

    static PluginOutcome success() {
        return SUCCESS;
    }

    static PluginOutcome feedback(String feedback) {
        return new Feedback(feedback);
    }

    static PluginOutcome newSolution(Object output) {
        return new NewSolution(output);
    }

    static PluginOutcome redirect(String agent) {
        return new Redirect(agent);
    }
}
