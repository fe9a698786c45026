package dev.vigil.collector.exposition;

import dev.vigil.model.labels.Labels;

/** An OpenMetrics exemplar; {@code timestamp} (ms) is meaningful only when {@code hasTimestamp}. */
public record Exemplar(Labels labels, double value, boolean hasTimestamp, long timestamp) {}
