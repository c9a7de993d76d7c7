/**
 * JMH benchmarks: every scenario measures flujo side by side with its reference (a plain Camel route or multicast, a
 * deep copy, a camel-caffeine route, LangChain4j agentic, the same endpoint with an optimization option off) in the
 * same JMH run, so the ratios hold on a noisy machine. {@code run.sh quick|full} runs them and writes
 * {@code docs/benchmarks.md}; nothing is measured in the test build (its tests check the report generator, and that
 * {@link dev.flujo.benchmarks.OptimizationBenchmark}'s fixtures start and answer once).
 */
package dev.flujo.benchmarks;
