/**
 * The plans of each kind, built once when an endpoint starts (and again when its options change at runtime): an agent
 * step (StepPlanFactory) and the composite kinds (CompositePlanFactory). Anything that cannot be resolved fails the
 * start naming the step, the option and the reference.
 */
package dev.flujo.camel.plan;
