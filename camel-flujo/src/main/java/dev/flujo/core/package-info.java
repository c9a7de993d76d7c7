/**
 * The Camel-free ExecutorCore of camel-flujo, and its typed exceptions.
 *
 * <p>
 * Nothing under {@code dev.flujo.core} imports Camel, and its packages import each other without a cycle
 * ({@code CoreArchitectureTest} checks both from the compiled classes), so the core can be tested without a
 * CamelContext and read from the bottom up. The Camel adapter lives in {@code dev.flujo.camel}. From the bottom:
 *
 * <ul>
 * <li>{@code result} - what a step produced and consumed: {@link dev.flujo.core.result.StepResult} and
 * {@link dev.flujo.core.result.Usage}. It imports nothing of the core, so every exception and package above can carry
 * results without closing a circle.</li>
 * <li>this package - the typed exceptions ({@link dev.flujo.core.FlujoStepFailedException},
 * {@link dev.flujo.core.FlujoConfigurationException}, ...), surfaced to Camel unchanged.</li>
 * <li>{@code config}, {@code usage}, {@code context}, {@code cache}, {@code telemetry} - one concern each: the options,
 * budgets and pricing, the context, the step cache, statistics and observers.</li>
 * <li>{@code agent} - the {@link dev.flujo.core.agent.FlujoAgent} SPI: an asynchronous call returning output and usage;
 * {@code resilience} - breakers, bulkheads, adaptive limits, error classes.</li>
 * <li>{@code run} - one run per exchange: usage ledger, history, cancellation, human interactions.</li>
 * <li>{@code step} - the parts of a step a user writes (processors, validators, plugins) and the output phases they
 * become.</li>
 * <li>{@code exec} - {@link dev.flujo.core.exec.StepPlan} (a step decided once when its endpoint starts),
 * {@link dev.flujo.core.exec.ExecutorCore} and {@code StepExecution}, which runs a plan's phases top to bottom, and
 * {@link dev.flujo.core.exec.FlujoPlan}, what an endpoint runs. The plan lives beside its executor: it dispatches to
 * it, and a plan in {@code step} calling back into {@code exec} was the circle this layout removed.</li>
 * <li>{@code state} - paused runs: stores, codec, and resuming with a person's answer.</li>
 * <li>{@code flow} - the composite kinds: parallel, loop, conditional, router, map and human, on top of
 * everything.</li>
 * </ul>
 */
package dev.flujo.core;
