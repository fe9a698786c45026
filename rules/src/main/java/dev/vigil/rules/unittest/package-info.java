/**
 * promtool-compatible rule unit tests ({@code vigil test rules}): reads the test YAML, loads
 * input series lazily into an in-memory store, evaluates the rule groups step by step and
 * compares alerts and PromQL results with the expectations, printing promtool's messages.
 */
package dev.vigil.rules.unittest;
