package dev.flujo.core.flow;

import java.util.Map;

/** The context writes one successful branch made, for a {@link MergeStrategy}. */
public record BranchWrites(String branch, Map<String, Object> writes) {

    public BranchWrites {
        writes = Map.copyOf(writes);
    }
}
