/**
 * What a step records: statistics, Micrometer meters in camel-micrometer's registry, batching, the automatic optimizer,
 * and the flujo dev console.
 */
package dev.flujo.camel.telemetry;
