/**
 * Evaluating rule groups with Prometheus's semantics: recording rules write their results (and
 * staleness markers for vanished series) back through an {@code Appender}; alerting rules keep
 * per-alert state (pending, firing, inactive with {@code for} and {@code keep_firing_for}) and
 * write {@code ALERTS}/{@code ALERTS_FOR_STATE}. Queries go through {@link
 * dev.vigil.rules.eval.RuleQuery}, so this package never depends on storage internals.
 */
package dev.vigil.rules.eval;
