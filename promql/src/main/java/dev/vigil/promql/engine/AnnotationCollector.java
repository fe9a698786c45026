package dev.vigil.promql.engine;

import dev.vigil.promql.functions.GoFormat;
import dev.vigil.promql.parser.PositionRange;
import dev.vigil.promql.value.Annotation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The annotations of one query, deduplicated like Prometheus's map keyed by message (and
 * position). Forced-monotonicity infos of histogram_quantile are merged across steps into one.
 */
final class AnnotationCollector {
  private final Set<Annotation> seen = new LinkedHashSet<>();
  private final Map<String, Monotonicity> monotonicity = new LinkedHashMap<>();

  private static final class Monotonicity {
    final String metricName;
    final PositionRange pos;
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;
    double minBucket = Double.POSITIVE_INFINITY;
    double maxBucket = Double.NEGATIVE_INFINITY;
    double maxDiff;
    int count;

    Monotonicity(String metricName, PositionRange pos) {
      this.metricName = metricName;
      this.pos = pos;
    }
  }

  void add(Annotation a) {
    seen.add(a);
  }

  void forcedMonotonicity(String metricName, PositionRange pos, long ts, double minBucket,
      double maxBucket, double maxDiff) {
    Monotonicity m = monotonicity.computeIfAbsent(metricName + "\u0000" + pos,
        k -> new Monotonicity(metricName, pos));
    m.minTs = Math.min(m.minTs, ts);
    m.maxTs = Math.max(m.maxTs, ts);
    m.minBucket = Math.min(m.minBucket, minBucket);
    m.maxBucket = Math.max(m.maxBucket, maxBucket);
    m.maxDiff = Math.max(m.maxDiff, maxDiff);
    m.count++;
  }

  List<Annotation> toList() {
    List<Annotation> out = new ArrayList<>(seen);
    for (Monotonicity m : monotonicity.values()) {
      Annotation base = dev.vigil.promql.functions.Annotations.forcedMonotonicity(m.metricName,
          m.pos);
      String msg = base.message() + ", from buckets " + GoFormat.g(m.minBucket) + " to "
          + GoFormat.g(m.maxBucket) + ", with a max diff of " + twoDigits(m.maxDiff) + ", over "
          + m.count + " samples from " + rfc3339(m.minTs) + " to " + rfc3339(m.maxTs);
      out.add(new Annotation(base.severity(), msg, m.pos));
    }
    return out;
  }

  private static String rfc3339(long millis) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
        Instant.ofEpochSecond(Math.floorDiv(millis, 1000L)).atOffset(ZoneOffset.UTC))
        .replace("+00:00", "Z");
  }

  /** Go's {@code %.2g}. */
  static String twoDigits(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return GoFormat.g(v);
    }
    java.math.BigDecimal bd = new java.math.BigDecimal(v)
        .round(new java.math.MathContext(2, java.math.RoundingMode.HALF_EVEN));
    double r = bd.doubleValue();
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= 2) {
      String digits = bd.unscaledValue().abs().toString();
      while (digits.length() > 1 && digits.endsWith("0")) {
        digits = digits.substring(0, digits.length() - 1);
      }
      StringBuilder sb = new StringBuilder();
      if (r < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      if (Math.abs(exp) < 10) {
        sb.append('0');
      }
      return sb.append(Math.abs(exp)).toString();
    }
    return bd.stripTrailingZeros().toPlainString();
  }
}
