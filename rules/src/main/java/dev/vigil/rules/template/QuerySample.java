package dev.vigil.rules.template;

import dev.vigil.model.labels.Labels;

/** One element of a query result, as templates see it: labels and a float value. */
public record QuerySample(Labels labels, double value) {}
