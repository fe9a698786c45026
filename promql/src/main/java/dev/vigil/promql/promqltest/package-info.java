/**
 * Runs Prometheus's PromQL test scripts ({@code load}, {@code clear}, {@code eval}, {@code
 * expect}; see the conformance suite's FORMAT.md) against Vigil's engine over an in-memory
 * store, with the same checks Prometheus's own runner makes (including the {@code @}-modifier and
 * range-mode re-runs of instant queries). Used by {@code vigil test promql} and the conformance
 * JUnit suite. Depends on the engine and parser, never on tsdb.
 */
package dev.vigil.promql.promqltest;
