package dev.vigil.rules.metrics;

import dev.vigil.model.labels.Labels;

/**
 * One sample of the ruler's self-monitoring, named as Prometheus names it (e.g. {@code
 * prometheus_rule_group_iterations_missed_total}); the server exposes these on its metrics page.
 *
 * @param counter true for a counter (monotonic), false for a gauge
 */
public record MetricSample(String name, Labels labels, double value, boolean counter) {}
