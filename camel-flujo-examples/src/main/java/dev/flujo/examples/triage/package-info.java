/**
 * Support-ticket triage with a person in the loop, in the Java DSL ({@link dev.flujo.examples.triage.TriageRoutes}) and
 * the YAML DSL (routes/triage.camel.yaml), run over the sample tickets by {@link dev.flujo.examples.triage.TriageDemo},
 * which plays the reviewer and resumes each paused run.
 */
package dev.flujo.examples.triage;
