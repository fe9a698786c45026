package dev.vigil.collector.manager;

import dev.vigil.model.labels.Labels;

/**
 * A discovered target that relabelling dropped (or that was invalid: {@code reason} then says
 * why; Prometheus shows neither reason, Vigil keeps it for the log and the API's extra field).
 */
public record DroppedTarget(Labels discoveredLabels, String scrapePool, String reason) {}
