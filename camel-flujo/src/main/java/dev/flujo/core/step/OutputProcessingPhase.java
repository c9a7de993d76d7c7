package dev.flujo.core.step;

import java.util.List;

/** Runs the output processors in order; a processor that throws fails the attempt. */
final class OutputProcessingPhase implements OutputPhase {

    private final List<FlujoProcessor> processors;

    OutputProcessingPhase(List<FlujoProcessor> processors) {
        this.processors = List.copyOf(processors);
    }

    @Override
    public PhaseResult apply(PluginInput attempt) {
        Object value = attempt.output();
        for (FlujoProcessor processor : processors) {
            try {
                value = processor.process(value, attempt.context());
            } catch (Exception e) {
                return new PhaseResult.Fail(
                        "output processor " + processor.getClass().getSimpleName() + " failed: "
                                            + e.getMessage(),
                        List.of(), e);
            }
        }
        return new PhaseResult.Continue(value);
    }
}
