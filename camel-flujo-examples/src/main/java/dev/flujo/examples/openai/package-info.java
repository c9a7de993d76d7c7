/**
 * An OpenAI-compatible chat-completions endpoint (camel-http) as a flujo agent: the request and response mapping,
 * including the reported token usage, and the route. Off unless {@code flujo.openai.base-url} is configured.
 */
package dev.flujo.examples.openai;
