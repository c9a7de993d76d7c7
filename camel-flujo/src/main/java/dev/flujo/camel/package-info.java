/**
 * The Camel adapter of camel-flujo: the {@code flujo:} component.
 *
 * <p>It maps URI and component options onto the core's {@link dev.flujo.core.config.OptimizationConfig} and
 * {@link dev.flujo.core.exec.StepPlan} (once, when the endpoint starts), exchange properties onto the step context
 * ({@link dev.flujo.camel.ExchangeContext}), Camel endpoints and beans onto agents
 * ({@link dev.flujo.camel.CamelAgentResolver}), and the core's results and typed exceptions back onto the exchange
 * ({@link dev.flujo.camel.FlujoProducer}). It knows nothing of retries or merging: that is the core's job.
 */
package dev.flujo.camel;
