package dev.flujo.core.step;

import java.util.Comparator;
import java.util.List;

/** Runs plugins by descending priority (stable for equal priorities: declaration order). */
final class PluginPhase implements OutputPhase {

    private final List<FlujoPlugin> plugins;

    PluginPhase(List<FlujoPlugin> plugins) {
        this.plugins = plugins.stream().sorted(Comparator.comparingInt(FlujoPlugin::priority).reversed()).toList();
    }

    @Override
    public PhaseResult apply(PluginInput attempt) {
        Object output = attempt.output();
        for (FlujoPlugin plugin : plugins) {
            PluginOutcome outcome;
            try {
                outcome = plugin.apply(new PluginInput(
                        attempt.stepName(), attempt.input(), output, attempt.context(),
                        attempt.attempt(), attempt.agent()));
            } catch (Exception e) {
                return new PhaseResult.Fail(
                        "plugin " + plugin.name() + " threw " + e.getClass().getSimpleName() + ": "
                                            + e.getMessage(),
                        List.of(), e);
            }
            if (outcome == null || outcome instanceof PluginOutcome.Success) {
                continue;
            }
            if (outcome instanceof PluginOutcome.NewSolution solution) {
                output = solution.output();
            } else if (outcome instanceof PluginOutcome.Feedback feedback) {
                return new PhaseResult.Fail("plugin " + plugin.name() + ": " + feedback.feedback(), List.of(), null);
            } else if (outcome instanceof PluginOutcome.Redirect redirect) {
                return new PhaseResult.Redirect(redirect.agent());
            }
        }
        return new PhaseResult.Continue(output);
    }
}
