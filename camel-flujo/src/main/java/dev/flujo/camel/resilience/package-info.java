/**
 * The agents' circuit breakers and the steps' bulkheads, in the registries camel-resilience4j uses, so they are shared
 * with the circuitBreaker() EIP and visible in its meters.
 */
package dev.flujo.camel.resilience;
