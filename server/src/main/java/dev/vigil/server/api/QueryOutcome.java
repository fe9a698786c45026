package dev.vigil.server.api;

import dev.vigil.promql.value.Value;
import java.util.List;

/**
 * A query's value with its rendered warnings and infos (each already "PromQL warning: ..."), and
 * what the {@code stats} parameter reports.
 *
 * @param totalSamples samples read from storage
 * @param peakSamples most samples held at once
 * @param evalNanos wall time of the evaluation
 * @param prepareNanos wall time spent before evaluation (parsing the query)
 */
public record QueryOutcome(Value value, List<String> warnings, List<String> infos,
    long totalSamples, long peakSamples, long evalNanos, long prepareNanos) {
  public QueryOutcome {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
  }

  /** An outcome whose preparation was not timed. */
  public QueryOutcome(Value value, List<String> warnings, List<String> infos, long totalSamples,
      long peakSamples, long evalNanos) {
    this(value, warnings, infos, totalSamples, peakSamples, evalNanos, 0);
  }

  public static QueryOutcome of(Value value) {
    return new QueryOutcome(value, List.of(), List.of(), 0, 0, 0);
  }
}
