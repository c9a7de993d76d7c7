/**
 * Persistence of paused runs (human-in-the-loop): the {@link dev.flujo.core.state.StateStore} SPI, an in-memory store
 * and a JDBC store (SQLite by default, PostgreSQL for several Camel instances sharing paused runs), and
 * {@link dev.flujo.core.state.ResumeService}, which checks a person's answer, claims the run once and restores it.
 *
 * <p>
 * State is JSON written and read by {@link dev.flujo.core.state.StateCodec} without polymorphic typing: values come
 * back as maps, lists, strings, numbers and booleans, never as classes named by the stored data.
 */
package dev.flujo.core.state;
