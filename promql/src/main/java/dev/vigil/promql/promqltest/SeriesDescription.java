package dev.vigil.promql.promqltest;

import dev.vigil.model.labels.Labels;
import java.util.List;

/**
 * A parsed {@code metric{labels} v1 v2 ...} line of a test script.
 *
 * @param startOffsets from a preceding {@code metric@st} line: per position, the start timestamp
 *     as an offset in milliseconds from the sample's time (omitted = unknown, stored as 0); empty
 *     if the series has no {@code @st} line
 */
public record SeriesDescription(
    Labels labels, List<SequenceValue> values, List<SequenceValue> startOffsets) {
  public SeriesDescription {
    values = List.copyOf(values);
    startOffsets = List.copyOf(startOffsets);
    if (!startOffsets.isEmpty() && startOffsets.size() != values.size()) {
      throw new IllegalArgumentException("@st line has " + startOffsets.size()
          + " values but sample line has " + values.size());
    }
  }

  public SeriesDescription(Labels labels, List<SequenceValue> values) {
    this(labels, values, List.of());
  }

  /** The absolute start timestamp of position {@code i} sampled at {@code t}, 0 if unknown. */
  long startTimestamp(int i, long t) {
    if (startOffsets.isEmpty()) {
      return 0;
    }
    SequenceValue o = startOffsets.get(i);
    return o.omitted() ? 0 : t + (long) o.value();
  }
}
