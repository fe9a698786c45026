package dev.vigil.rules.eval;

import dev.vigil.model.labels.Labels;

/**
 * One alert instance of an alerting rule, as the API and notifier see it. Times are Unix
 * milliseconds; 0 means "not set".
 *
 * @param annotations expanded annotations (as a label set: sorted by name)
 */
public record Alert(
    Labels labels,
    Labels annotations,
    AlertState state,
    double value,
    long activeAt,
    long firedAt,
    long resolvedAt,
    long keepFiringSince) {}
