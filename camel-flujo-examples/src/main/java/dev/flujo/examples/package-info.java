/**
 * A runnable support-ticket pipeline: extract, summarize (validated, retried with feedback), classify (cached). The
 * agents are deterministic and in-JVM, so the example needs no network and always prints the same results.
 */
package dev.flujo.examples;
