package dev.vigil.promql.functions;

import dev.vigil.promql.parser.PositionRange;
import dev.vigil.promql.value.Annotation;
import dev.vigil.promql.value.Annotation.Severity;

/**
 * Prometheus's annotation texts (util/annotations), word for word, because clients and the
 * conformance suite compare them. The "PromQL warning: " / "PromQL info: " prefix is added when
 * rendering.
 */
public final class Annotations {
  private Annotations() {}

  private static Annotation warn(String msg, PositionRange pos) {
    return new Annotation(Severity.WARNING, msg, pos);
  }

  private static Annotation info(String msg, PositionRange pos) {
    return new Annotation(Severity.INFO, msg, pos);
  }

  private static String withMetricName(String msg, String metricName) {
    return metricName.isEmpty() ? msg : msg + " for metric name " + GoFormat.quote(metricName);
  }

  public static Annotation invalidQuantile(double q, PositionRange pos) {
    return warn("quantile value should be between 0 and 1, got " + GoFormat.g(q), pos);
  }

  public static Annotation invalidRatio(double q, double to, PositionRange pos) {
    return warn("ratio value should be between -1 and 1, got " + GoFormat.g(q) + ", capping to "
        + GoFormat.g(to), pos);
  }

  public static Annotation badBucketLabel(String metricName, String label, PositionRange pos) {
    return warn(withMetricName("bucket label \"le\" is missing or has a malformed value of "
        + GoFormat.quote(label), metricName), pos);
  }

  public static Annotation mixedFloatsHistograms(String metricName, PositionRange pos) {
    return warn("encountered a mix of histograms and floats for metric name "
        + GoFormat.quote(metricName), pos);
  }

  public static Annotation mixedFloatsHistogramsAgg(PositionRange pos) {
    return warn("encountered a mix of histograms and floats for aggregation", pos);
  }

  public static Annotation mixedClassicNative(String metricName, PositionRange pos) {
    return warn(withMetricName("vector contains a mix of classic and native histograms",
        metricName), pos);
  }

  public static Annotation nativeHistogramNotCounter(String metricName, PositionRange pos) {
    return warn("this native histogram metric is not a counter: " + GoFormat.quote(metricName), pos);
  }

  public static Annotation nativeHistogramNotGauge(String metricName, PositionRange pos) {
    return warn("this native histogram metric is not a gauge: " + GoFormat.quote(metricName), pos);
  }

  public static Annotation mixedExponentialCustom(String metricName, PositionRange pos) {
    return warn("vector contains a mix of histograms with exponential and custom buckets schemas "
        + "for metric name " + GoFormat.quote(metricName), pos);
  }

  public static Annotation incompatibleBucketLayout(String op, PositionRange pos) {
    return warn("incompatible bucket layout encountered for binary operator " + op, pos);
  }

  public static Annotation sortInRangeQuery(PositionRange pos) {
    return warn("sort is ineffective for range queries since results are always ordered by labels",
        pos);
  }

  public static Annotation startTimeOverlap(String metricName, PositionRange pos) {
    return warn("sample has start time that overlaps with previous sample timestamp for metric "
        + GoFormat.quote(metricName), pos);
  }

  public static Annotation possibleNonCounter(String metricName, PositionRange pos) {
    return info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "
        + GoFormat.quote(metricName), pos);
  }

  /** The per-step monotonicity info; the engine merges those of all steps (see Prometheus). */
  public static Annotation forcedMonotonicity(String metricName, PositionRange pos) {
    return info(withMetricName("input to histogram_quantile needed to be fixed for monotonicity "
        + "(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)",
        metricName), pos);
  }

  public static Annotation incompatibleTypesInBinOp(String lhsType, String op, String rhsType,
      PositionRange pos) {
    return info("incompatible sample types encountered for binary operator " + GoFormat.quote(op)
        + ": " + lhsType + " " + op + " " + rhsType, pos);
  }

  public static Annotation histogramIgnoredInAggregation(String aggregation, PositionRange pos) {
    return info("ignored histogram in " + aggregation + " aggregation", pos);
  }

  public static Annotation histogramIgnoredInMixedRange(String metricName, PositionRange pos) {
    return info("ignored histograms in a range containing both floats and histograms for metric "
        + "name " + GoFormat.quote(metricName), pos);
  }

  public static Annotation nativeHistogramQuantileNaNResult(String metricName, PositionRange pos) {
    return info(withMetricName("input to histogram_quantile has NaN observations, result is NaN",
        metricName), pos);
  }

  public static Annotation nativeHistogramQuantileNaNSkew(String metricName, PositionRange pos) {
    return info(withMetricName(
        "input to histogram_quantile has NaN observations, result is skewed higher", metricName),
        pos);
  }

  public static Annotation nativeHistogramFractionNaNs(String metricName, PositionRange pos) {
    return info(withMetricName("input to histogram_fraction has NaN observations, which are "
        + "excluded from all fractions", metricName), pos);
  }

  public static Annotation counterResetCollision(String operation, PositionRange pos) {
    return warn("conflicting counter resets during histogram " + operation, pos);
  }

  public static Annotation mismatchedCustomBuckets(String operation, PositionRange pos) {
    return info("mismatched custom buckets were reconciled during " + operation, pos);
  }
}
