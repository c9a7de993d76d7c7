package dev.flujo.core.flow;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoException;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.run.HumanInteraction;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.state.StateCodec;
import dev.flujo.core.state.StateStore;

/**
 * {@code flujo:human}: pauses the run for a person. The run's state - id, context, input, step history, usage and
 * limits, earlier interactions, the message, the answer's JSON schema and where to continue - is saved in the
 * {@link StateStore} before the step ends, so it survives a restart. The step succeeds with the message as output,
 * {@link StepResult#META_PAUSED} and the pause id ({@link StepResult#META_PAUSE_ID}, unguessable: see
 * {@link PausedRun#newPauseId}); {@link dev.flujo.core.state.ResumeService} continues the run later.
 *
 * <p>
 * A human step pauses a whole run, so it cannot run inside a branch of a parallel, loop or map step (the siblings could
 * not be paused with it): there it fails with a configuration error.
 */
public record HumanPlan(CompositeStep step, MessageText message, String answerSchema, String resumeUri,
        StateStore store, Clock clock) implements CompositePlan {

    /** The message shown to the person; in Camel a Simple template such as {@code Approve ${body}?}. */
    @FunctionalInterface
    public interface MessageText {
        String text(Object input, FlujoContext context) throws Exception;
    }

    public HumanPlan {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(store, "store");
        clock = clock == null ? Clock.systemUTC() : clock;
        if (resumeUri == null || resumeUri.isBlank()) {
            throw new FlujoConfigurationException(
                    "Human step '" + step.name() + "' has no resumeUri: set where the run"
                                                  + " continues with the person's answer, e.g. resumeUri=direct:afterApproval");
        }
    }

    @Override
    public CompletableFuture<StepResult> execute(
            ExecutorCore core, Object input, FlujoContext context, FlujoRun run,
            List<String> fallbackChain) {
        Composite composite = new Composite(core, step, run);
        try {
            if (run.isBranch()) {
                throw new FlujoConfigurationException(
                        "Human step '" + step.name() + "' cannot pause a run inside a"
                                                      + " branch of a parallel, loop, map, conditional or router step; call it from the main route");
            }
            String text = message.text(input, context);
            Map<String, Object> values = context.asMap();
            List<String> unwritable = StateCodec.unwritable(values);
            if (!unwritable.isEmpty()) {
                throw new FlujoException(
                        "Human step '" + step.name() + "' cannot save the run: context"
                                         + " values are stored as JSON, and these are not JSON-writable: "
                                         + String.join(", ", unwritable)
                                         + "; store plain values (strings, numbers, maps, lists) in them, or remove them before pausing");
            }
            if (!StateCodec.writable(input)) {
                throw new FlujoException(
                        "Human step '" + step.name() + "' cannot save the run: its input (a "
                                         + input.getClass().getName() + ") is not JSON-writable");
            }
            List<HumanInteraction> answered = run.humanHistory();
            String pauseId = PausedRun.newPauseId(run.runId(), answered.size());
            store.save(new PausedRun(
                    run.runId(), RunStatus.PAUSED, step.name(), text, answerSchema, resumeUri, input,
                    values, StateCodec.storable(run.history()), run.usage(), run.limits(), answered, clock.instant(),
                    pauseId));
            composite.succeed(text, Map.of(), List.of(), Map.of(StepResult.META_PAUSED, true,
                    StepResult.META_PAUSE_ID, pauseId));
        } catch (Exception e) {
            composite.fail(e, List.of("could not pause: " + Composite.describe(e)), List.of(), Map.of());
        }
        return composite.result;
    }
}
