/**
 * Evaluating rule groups with Prometheus's semantics: recording rules write their results (and
 * staleness markers for vanished series) back through an {@code Appender}; alerting rules keep
 * per-alert state (pending, firing, inactive with {@code for} and {@code keep_firing_for}) and
 * write {@code ALERTS}/{@code ALERTS_FOR_STATE}. Queries go through {@link
 * dev.vigil.rules.eval.RuleQuery}, so this package never depends on storage internals. The
 * evaluator also carries what the manager needs across restarts and updates: {@code CopyState},
 * {@code RestoreForState} and the resend bookkeeping of alerts ({@link
 * dev.vigil.rules.eval.AlertSink}). Scheduling is the manager's business, not this package's.
 */
package dev.vigil.rules.eval;
