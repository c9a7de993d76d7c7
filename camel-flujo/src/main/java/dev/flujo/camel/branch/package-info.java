/**
 * The branches, bodies and items of the composite kinds as Camel endpoints, each run on a copy of the exchange whose
 * context writes are handed back for merging.
 */
package dev.flujo.camel.branch;
