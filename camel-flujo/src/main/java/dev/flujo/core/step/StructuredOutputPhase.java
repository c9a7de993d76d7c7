package dev.flujo.core.step;

/** Checks the answer against the step's output schema and hands on the structured value ({@link StructuredOutput}). */
final class StructuredOutputPhase implements OutputPhase {

    private final StructuredOutput structured;

    StructuredOutputPhase(StructuredOutput structured) {
        this.structured = structured;
    }

    @Override
    public PhaseResult apply(PluginInput attempt) {
        StructuredOutput.Checked checked = structured.check(attempt.output());
        if (checked instanceof StructuredOutput.Passed passed) {
            return new PhaseResult.Continue(passed.output());
        }
        StructuredOutput.Problems problems = (StructuredOutput.Problems) checked;
        return new PhaseResult.Fail(problems.feedback(), problems.problems(), null);
    }
}
