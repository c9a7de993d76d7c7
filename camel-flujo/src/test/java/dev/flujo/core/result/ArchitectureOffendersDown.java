package dev.flujo.core.result;

/** A result-package class that depends on the root: with {@code ArchitectureOffenders.Up} a cycle (test only). */
public final class ArchitectureOffendersDown {
    dev.flujo.core.FlujoException up;
}
