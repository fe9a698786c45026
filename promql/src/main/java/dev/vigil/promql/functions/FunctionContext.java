package dev.vigil.promql.functions;

import dev.vigil.promql.value.Annotation;

/** What a function may ask of the engine while it runs for one evaluation step. */
public interface FunctionContext {
  /** The evaluation timestamp of the current step, in milliseconds. */
  long ts();

  /** Start of the query's range (the instant of an instant query), milliseconds. */
  long queryStart();

  /** End of the query's range, milliseconds. */
  long queryEnd();

  /** The query's step in milliseconds; 0 for an instant query. */
  long queryStep();

  /** Whether {@code __name__} removal is delayed to the end of the query (Prometheus 3 default). */
  boolean delayedNameRemoval();

  /** Records a warning or info; duplicates are merged by the engine. */
  void annotate(Annotation annotation);

  /**
   * Records that classic histogram_quantile input had to be made monotonic at this step. The
   * engine merges these per metric name and position into one info whose text names the bucket
   * range, the largest fix-up, the sample count and the time span, as Prometheus does.
   */
  void forcedMonotonicity(String metricName, dev.vigil.promql.parser.PositionRange pos,
      double minBucket, double maxBucket, double maxDiff);
}
