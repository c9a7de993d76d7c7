/**
 * Exchange properties as the core's step context; Camel's own properties (prefix Camel) are never part of it.
 */
package dev.flujo.camel.context;
