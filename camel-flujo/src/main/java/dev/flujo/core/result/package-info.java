/**
 * What a step produced and what it consumed: {@link dev.flujo.core.result.StepResult} (output, attempts, latency,
 * feedback, metadata, children) and {@link dev.flujo.core.result.Usage} (tokens and cost). The bottom of the core: it
 * imports no other core package, so exceptions, runs, telemetry and state can all carry results.
 */
package dev.flujo.core.result;
