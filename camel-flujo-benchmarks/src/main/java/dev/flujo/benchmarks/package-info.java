/**
 * JMH benchmarks: every scenario measures flujo side by side with its reference (a plain Camel route or multicast, a
 * deep copy, a camel-caffeine route, LangChain4j agentic) in the same JMH run, so the ratios hold on a noisy machine.
 * {@code run.sh quick|full} runs them and writes {@code docs/benchmarks.md}; nothing here runs in the test build.
 */
package dev.flujo.benchmarks;
