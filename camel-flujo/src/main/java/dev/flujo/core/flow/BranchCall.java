package dev.flujo.core.flow;

import dev.flujo.core.context.CopyOnWriteContext;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.run.FlujoRun;

/**
 * What a branch is given.
 *
 * @param stepName      the composite step
 * @param branchName    the branch (a declared name, a map item's index, a loop iteration's number)
 * @param input         the branch's input
 * @param context       the branch's own copy of the context; its writes are merged back by the composite step
 * @param parentContext the context the composite step was run with (read-only; in Camel, the exchange's view, so a
 *                      branch can copy its headers)
 * @param run           the branch run: shares the ledger and id of the run, keeps its own history, and is cancelled
 *                      when a sibling fails
 */
public record BranchCall(String stepName, String branchName, Object input, CopyOnWriteContext context,
        FlujoContext parentContext, FlujoRun run) {
}
