package dev.vigil.promql.engine;

import dev.vigil.promql.value.Annotation;
import dev.vigil.promql.value.Value;
import java.util.List;

/**
 * The value of a query with its warnings/infos, and how many samples it touched.
 *
 * @param samplesScanned samples read from storage (the figure benchmarks report)
 * @param peakSamples the largest number of samples held at once (what max samples limits)
 */
public record QueryResult(Value value, List<Annotation> annotations, long samplesScanned,
    long peakSamples) {
  public QueryResult {
    annotations = List.copyOf(annotations);
  }

  public QueryResult(Value value, List<Annotation> annotations) {
    this(value, annotations, 0, 0);
  }
}
