package dev.flujo.core.flow;

import java.util.List;
import java.util.Map;

import dev.flujo.core.context.FlujoContext;

/**
 * Combines the context writes of a composite step's successful branches into the writes the step makes. The built-in
 * strategies are in {@link MergeStrategies}; a user's own is a bean ({@code mergeStrategy=#myMerge}).
 */
@FunctionalInterface
public interface MergeStrategy {

    /**
     * @param  parent                 the context before the branches ran (for strategies that merge relative to it)
     * @param  branches               the writes of each successful branch, in declared order
     * @return                        the writes to apply to the context
     * @throws MergeConflictException when the branches' writes cannot be combined
     */
    Map<String, Object> merge(FlujoContext parent, List<BranchWrites> branches);
}
