package dev.flujo.core.step;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Present only when the step has {@code updatesContext}: the output must be a map with string keys that are not
 * reserved by the host (Camel's own property names) and non-null values, or the attempt fails with feedback saying so
 * (so a retry can fix the shape) - never silently ignored.
 */
final class ContextUpdatePhase implements OutputPhase {

    private final Predicate<String> reservedKey;

    ContextUpdatePhase(Predicate<String> reservedKey) {
        this.reservedKey = reservedKey;
    }

    @Override
    public PhaseResult apply(PluginInput attempt) {
        Object output = attempt.output();
        if (!(output instanceof Map<?, ?> map)) {
            return new PhaseResult.Fail(
                    "updatesContext needs a Map output, got "
                                        + (output == null ? "null" : output.getClass().getName()),
                    List.of(), null);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                return new PhaseResult.Fail("updatesContext needs string keys, got key " + e.getKey(), List.of(), null);
            }
            if (reservedKey.test((String) e.getKey())) {
                return new PhaseResult.Fail(
                        "updatesContext must not write the reserved key '" + e.getKey() + "'",
                        List.of(), null);
            }
            if (e.getValue() == null) {
                return new PhaseResult.Fail(
                        "updatesContext output has no value for key '" + e.getKey() + "'",
                        List.of(), null);
            }
        }
        return new PhaseResult.Continue(output);
    }
}
