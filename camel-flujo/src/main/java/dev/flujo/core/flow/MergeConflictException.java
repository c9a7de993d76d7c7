package dev.flujo.core.flow;

import java.util.List;

import dev.flujo.core.FlujoException;

/** Two or more branches wrote different values to the same context key and the merge strategy cannot combine them. */
public class MergeConflictException extends FlujoException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final List<String> branches;

    public MergeConflictException(String strategy, String key, List<String> branches) {
        super("Context merge conflict (" + strategy + "): branches " + String.join(", ", branches)
              + " wrote different values to '" + key + "'");
        this.key = key;
        this.branches = List.copyOf(branches);
    }

    /** The conflicting key; a nested key of a map is given as a path, e.g. {@code profile.name}. */
    public String getKey() {
        return key;
    }

    public List<String> getBranches() {
        return branches;
    }
}
