package dev.vigil.promql.promqltest;

import dev.vigil.model.labels.Labels;
import java.util.List;

/** A parsed {@code metric{labels} v1 v2 ...} line of a test script. */
public record SeriesDescription(Labels labels, List<SequenceValue> values) {
  public SeriesDescription {
    values = List.copyOf(values);
  }
}
