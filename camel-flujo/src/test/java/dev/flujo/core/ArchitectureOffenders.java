package dev.flujo.core;

import dev.flujo.core.result.ArchitectureOffendersDown;

/** Test classes that break {@link CoreArchitectureTest}'s rules, to show the rules refuse them. */
final class ArchitectureOffenders {

    private ArchitectureOffenders() {
    }

    /** Depends on Camel. */
    static final class CamelUser {
        org.apache.camel.Exchange exchange;
    }

    /** Root → result; with {@link ArchitectureOffendersDown} (result → root) a cycle. */
    static final class Up {
        ArchitectureOffendersDown down;
    }
}
