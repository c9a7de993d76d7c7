/**
 * The Camel-free ExecutorCore of camel-flujo.
 *
 * <p>Nothing under {@code dev.flujo.core} imports Camel (a test enforces it), so the core can be tested without a
 * CamelContext and reused by other hosts. The Camel adapter lives in {@code dev.flujo.camel}.
 *
 * <ul>
 * <li>{@code agent} - the {@link dev.flujo.core.agent.FlujoAgent} SPI: an asynchronous call returning output and
 * usage.</li>
 * <li>{@code step} - what a step is made of ({@link dev.flujo.core.step.StepPlan}, decided once when the endpoint
 * starts) and what it produces ({@link dev.flujo.core.step.StepResult}).</li>
 * <li>{@code exec} - {@link dev.flujo.core.exec.ExecutorCore}, which runs a plan's phases, and
 * {@link dev.flujo.core.exec.FlujoPlan}, what an endpoint runs.</li>
 * <li>{@code flow} - the composite kinds: parallel, loop, conditional, router, map and human.</li>
 * <li>{@code state} - paused runs: stores, codec, and resuming with a person's answer.</li>
 * <li>{@code context}, {@code usage}, {@code run}, {@code cache}, {@code config} - one concern each.</li>
 * </ul>
 */
package dev.flujo.core;
