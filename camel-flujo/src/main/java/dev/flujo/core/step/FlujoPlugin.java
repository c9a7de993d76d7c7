package dev.flujo.core.step;

/**
 * Runs after validation passed and decides what happens to the output: accept it, reject it with feedback, replace it
 * with a new solution, or redirect the attempt to another agent. Plugins run by descending {@link #priority()}; the
 * first non-success outcome other than a new solution ends the chain.
 */
@FunctionalInterface
public interface FlujoPlugin {

    PluginOutcome apply(PluginInput input) throws Exception;

    default int priority() {
        return 0;
    }

    default String name() {
        return getClass().getSimpleName();
    }
}
