package dev.flujo.core.flow;

import java.util.concurrent.CompletionStage;

/**
 * One unit of work a composite step runs: a branch of a parallel, conditional or router step, the body of a loop or of
 * a map. In Camel a branch is an endpoint (usually a {@code direct:} route); in plain Java any function.
 *
 * <p>
 * A branch writes the context through {@link BranchCall#context()}, its own copy-on-write copy: no other branch sees
 * those writes, and the composite step merges them when the branches are done.
 */
@FunctionalInterface
public interface FlujoBranch {

    /** @return a stage completing with the branch's output, or exceptionally when the branch failed */
    CompletionStage<Object> run(BranchCall call);
}
