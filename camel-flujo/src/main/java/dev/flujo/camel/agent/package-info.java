/**
 * Camel endpoints and beans as the core's agents, processors and validators: an endpoint agent is called through an
 * AsyncProducer started with the endpoint, so an asynchronous endpoint parks no thread.
 */
package dev.flujo.camel.agent;
