/**
 * What the core tells the outside world about steps it ran ({@link dev.flujo.core.telemetry.StepObserver}); the Camel
 * adapter turns it into Micrometer meters. Nothing here depends on a metrics library.
 */
package dev.flujo.core.telemetry;
