package dev.vigil.rules.eval;

/**
 * What one evaluation of a group did, for the ruler's counters.
 *
 * @param rules rules evaluated (Prometheus's {@code rule_evaluations_total} increments)
 * @param failures rules whose query, templates or limit failed ({@code
 *     rule_evaluation_failures_total})
 * @param samples samples the rules produced ({@code rule_group_last_evaluation_samples})
 */
public record EvaluationSummary(int rules, int failures, int samples) {}
