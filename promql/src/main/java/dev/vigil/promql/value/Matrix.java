package dev.vigil.promql.value;

import java.util.List;

/** A range vector or the result of a range query: series with points over time. */
public record Matrix(List<RangeSeries> series) implements Value {
  public Matrix {
    series = List.copyOf(series);
  }
}
