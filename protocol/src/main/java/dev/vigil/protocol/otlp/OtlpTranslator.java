package dev.vigil.protocol.otlp;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.StorageException;
import dev.vigil.protocol.otlp.pb.AggregationTemporality;
import dev.vigil.protocol.otlp.pb.AnyValue;
import dev.vigil.protocol.otlp.pb.ExponentialHistogramDataPoint;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.HistogramDataPoint;
import dev.vigil.protocol.otlp.pb.KeyValue;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.otlp.pb.SummaryDataPoint;
import dev.vigil.protocol.remote.LimitExceededException;
import dev.vigil.protocol.remote.MetadataSink;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.protocol.remote.PushStats;
import dev.vigil.protocol.remote.RejectReason;
import dev.vigil.protocol.remote.ValidationLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates an OTLP metrics export into appends, as Prometheus's OTLP receiver does:
 * <ul>
 *   <li>gauges and non-monotonic sums become gauges; monotonic cumulative sums counters
 *       ({@code _total});
 *   <li>explicit-bucket histograms become {@code _bucket{le}}, {@code _sum}, {@code _count};
 *       exponential histograms native histograms (scale above 8 is downscaled);
 *   <li>summaries become {@code {quantile}}, {@code _sum}, {@code _count};
 *   <li>{@code service.namespace/service.name} becomes {@code job}, {@code service.instance.id}
 *       {@code instance}; the other resource attributes go to a {@code target_info} series;
 *   <li>points flagged "no recorded value" become staleness markers;
 *   <li>exemplars go with their point's series (for explicit-bucket histograms, with the first
 *       bucket that holds their value); trace and span ids become {@code trace_id} and
 *       {@code span_id} labels.
 * </ul>
 * Delta temporality is refused as Prometheus's and Mimir's translators refuse it (counted as
 * {@link RejectReason#UNSUPPORTED_OTLP}, reported by {@link #parseErrors()}). Not thread-safe;
 * cheap to create.
 */
public final class OtlpTranslator {
  private static final double DEFAULT_ZERO_THRESHOLD = 2.938735877055719e-39;
  private static final int NO_RECORDED_VALUE = 1;

  private final ValidationLimits limits;
  /** Prometheus's metadata of the {@code target_info} series. */
  private static final Metadata TARGET_INFO = new Metadata(MetricType.GAUGE, "Target metadata",
      "");
  /**
   * The metadata of the metric being translated, given to the store for each of its series
   * (as Prometheus's OTLP appender calls {@code UpdateMetadata}); it survives restarts there.
   */
  private Metadata seriesMetadata;
  private MetadataSink sink = MetadataSink.NONE; // of the request being translated
  private static final int MAX_PARSE_ERRORS_LENGTH = 1024;
  private final List<String> parseErrors = new ArrayList<>();
  private int parseErrorsLength;

  public OtlpTranslator(ValidationLimits limits) {
    this.limits = limits;
  }

  /** Appends every translatable point of {@code req}; refusals are counted in {@code stats}. */
  public void translate(ExportMetricsServiceRequest req, Appender app, PushStats stats) {
    translate(req, app, stats, MetadataSink.NONE);
  }

  /**
   * {@link #translate(ExportMetricsServiceRequest, Appender, PushStats)}, passing each
   * translated metric's metadata (Prometheus family name and type, the description as help, the
   * unit in the words of the name's suffix) to {@code sink}, as Prometheus's translator does.
   */
  public void translate(ExportMetricsServiceRequest req, Appender app, PushStats stats,
      MetadataSink sink) {
    this.sink = sink;
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      Map<String, String> resource = attributes(rm.getResource().getAttributesList());
      TreeMap<String, String> base = new TreeMap<>();
      String name = resource.get("service.name");
      String ns = resource.get("service.namespace");
      if (name != null) {
        base.put("job", ns == null || ns.isEmpty() ? name : ns + "/" + name);
      }
      String instance = resource.get("service.instance.id");
      if (instance != null) {
        base.put("instance", instance);
      }
      long newest = Long.MIN_VALUE;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          newest = Math.max(newest, metric(m, base, app, stats));
        }
      }
      targetInfo(resource, base, newest, app, stats);
    }
  }

  /** Translates one metric; returns its newest timestamp (ms) or Long.MIN_VALUE. */
  private long metric(Metric m, Map<String, String> base, Appender app, PushStats stats) {
    long newest = Long.MIN_VALUE;
    switch (m.getDataCase()) {
      case GAUGE -> {
        String name = OtlpNaming.metricName(m.getName(), m.getUnit(), OtlpNaming.Kind.GAUGE);
        metadata(m, name, MetricType.GAUGE);
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          newest = Math.max(newest, number(name, p, false, base, app, stats));
        }
      }
      case SUM -> {
        var sum = m.getSum();
        boolean counter = sum.getIsMonotonic();
        if (counter && sum.getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          invalidTemporality(stats, m, sum.getDataPointsCount());
          break;
        }
        String name = OtlpNaming.metricName(m.getName(), m.getUnit(),
            counter ? OtlpNaming.Kind.COUNTER : OtlpNaming.Kind.GAUGE);
        metadata(m, name, counter ? MetricType.COUNTER : MetricType.GAUGE);
        for (NumberDataPoint p : sum.getDataPointsList()) {
          newest = Math.max(newest, number(name, p, counter, base, app, stats));
        }
      }
      case HISTOGRAM -> {
        var h = m.getHistogram();
        if (h.getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          invalidTemporality(stats, m, h.getDataPointsCount());
          break;
        }
        String name = OtlpNaming.metricName(m.getName(), m.getUnit(), OtlpNaming.Kind.OTHER);
        metadata(m, name, MetricType.HISTOGRAM);
        for (HistogramDataPoint p : h.getDataPointsList()) {
          newest = Math.max(newest, classicHistogram(name, p, base, app, stats));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        var h = m.getExponentialHistogram();
        if (h.getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          invalidTemporality(stats, m, h.getDataPointsCount());
          break;
        }
        String name = OtlpNaming.metricName(m.getName(), m.getUnit(), OtlpNaming.Kind.OTHER);
        metadata(m, name, MetricType.HISTOGRAM);
        for (ExponentialHistogramDataPoint p : h.getDataPointsList()) {
          newest = Math.max(newest, nativeHistogram(m, name, p, base, app, stats));
        }
      }
      case SUMMARY -> {
        String name = OtlpNaming.metricName(m.getName(), m.getUnit(), OtlpNaming.Kind.OTHER);
        metadata(m, name, MetricType.SUMMARY);
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          newest = Math.max(newest, summary(name, p, base, app, stats));
        }
      }
      case DATA_NOT_SET -> { }
    }
    return newest;
  }

  private void metadata(Metric m, String family, MetricType type) {
    seriesMetadata = new Metadata(type, m.getDescription(), OtlpNaming.unit(m.getUnit()));
    if (!family.isEmpty()) {
      sink.accept(new MetricMetadata(family, type, m.getDescription(),
          OtlpNaming.unit(m.getUnit())));
    }
  }

  /** A gauge's or a sum's point; a counter's (a monotonic sum's) carries its start time. */
  private long number(String name, NumberDataPoint p, boolean counter, Map<String, String> base,
      Appender app, PushStats stats) {
    long t = millis(p.getTimeUnixNano());
    long st = counter ? millis(p.getStartTimeUnixNano()) : 0;
    double v = (p.getFlags() & NO_RECORDED_VALUE) != 0 ? StaleNaN.VALUE
        : p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) p.getAsInt()
        : p.getAsDouble();
    Labels labels = labels(name, base, p.getAttributesList(), null, null, stats);
    append(labels, st, t, v, app, stats);
    if (p.getExemplarsCount() > 0) {
      stats.addExemplars(p.getExemplarsCount());
      if (labels != null) {
        for (Exemplar e : OtlpExemplars.convert(p.getExemplarsList())) {
          OtlpExemplars.append(labels, e, app, stats);
        }
      }
    }
    return t;
  }

  private long classicHistogram(String name, HistogramDataPoint p, Map<String, String> base,
      Appender app, PushStats stats) {
    long t = millis(p.getTimeUnixNano());
    long st = millis(p.getStartTimeUnixNano());
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    List<KeyValue> attrs = p.getAttributesList();
    if (p.hasSum()) {
      append(labels(name + "_sum", base, attrs, null, null, stats), st, t,
          stale ? StaleNaN.VALUE : p.getSum(), app, stats);
    }
    append(labels(name + "_count", base, attrs, null, null, stats), st, t,
        stale ? StaleNaN.VALUE : unsigned(p.getCount()), app, stats);
    long cumulative = 0;
    int bounds = p.getExplicitBoundsCount();
    Labels[] buckets = new Labels[bounds + 1];
    for (int i = 0; i < bounds; i++) {
      if (i < p.getBucketCountsCount()) {
        cumulative += p.getBucketCounts(i);
      }
      buckets[i] = labels(name + "_bucket", base, attrs, "le", plain(p.getExplicitBounds(i)),
          stats);
      append(buckets[i], st, t, stale ? StaleNaN.VALUE : unsigned(cumulative), app, stats);
    }
    buckets[bounds] = labels(name + "_bucket", base, attrs, "le", "+Inf", stats);
    append(buckets[bounds], st, t, stale ? StaleNaN.VALUE : unsigned(p.getCount()), app,
        stats);
    if (p.getExemplarsCount() > 0) {
      // Each exemplar goes to the first bucket whose bound holds its value, as Prometheus's
      // translator (addExemplars) does; a NaN value fits none and is dropped.
      stats.addExemplars(p.getExemplarsCount());
      for (Exemplar e : OtlpExemplars.convert(p.getExemplarsList())) {
        int b = 0;
        while (b < bounds && !(e.value() <= p.getExplicitBounds(b))) {
          b++;
        }
        if (!Double.isNaN(e.value()) && buckets[b] != null) {
          OtlpExemplars.append(buckets[b], e, app, stats);
        }
      }
    }
    return t;
  }

  private long summary(String name, SummaryDataPoint p, Map<String, String> base, Appender app,
      PushStats stats) {
    long t = millis(p.getTimeUnixNano());
    long st = millis(p.getStartTimeUnixNano()); // of the counters _sum and _count
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    List<KeyValue> attrs = p.getAttributesList();
    append(labels(name + "_sum", base, attrs, null, null, stats), st, t,
        stale ? StaleNaN.VALUE : p.getSum(), app, stats);
    append(labels(name + "_count", base, attrs, null, null, stats), st, t,
        stale ? StaleNaN.VALUE : unsigned(p.getCount()), app, stats);
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      append(labels(name, base, attrs, "quantile", plain(q.getQuantile()), stats), 0, t,
          stale ? StaleNaN.VALUE : q.getValue(), app, stats);
    }
    return t;
  }

  private long nativeHistogram(Metric m, String name, ExponentialHistogramDataPoint p,
      Map<String, String> base, Appender app, PushStats stats) {
    long t = millis(p.getTimeUnixNano());
    int scale = p.getScale();
    if (scale < -4) {
      unsupported(stats, m, 1, "exponential histogram scale " + scale + " is below -4");
      return t;
    }
    int shift = Math.max(0, scale - 8); // schemas stop at 8: merge 2^shift buckets into one
    int schema = scale - shift;
    Labels labels = labels(name, base, p.getAttributesList(), null, null, stats);
    if (labels == null) {
      return t;
    }
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    double zt = p.getZeroThreshold() > 0 ? p.getZeroThreshold() : DEFAULT_ZERO_THRESHOLD;
    List<Span> posSpans = new ArrayList<>();
    List<Span> negSpans = new ArrayList<>();
    double[] pos = buckets(p.getPositive(), shift, posSpans);
    double[] neg = buckets(p.getNegative(), shift, negSpans);
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, schema, zt,
        unsigned(p.getZeroCount()), unsigned(p.getCount()),
        stale ? StaleNaN.VALUE : p.getSum(), posSpans, pos, negSpans, neg, null);
    try {
      long st = millis(p.getStartTimeUnixNano());
      long ref = app.appendHistogramWithStart(0, labels, st, t, h);
      stats.addHistogram();
      updateMetadata(ref, labels, app);
    } catch (LimitExceededException e) {
      stats.reject(e.reason(), 1, stats.wantsMessage() ? e.getMessage() : null);
    } catch (StorageException e) {
      stats.reject(RejectReason.of(e), 1, stats.wantsMessage()
          ? RejectReason.message(e, labels, t) : null);
    }
    if (p.getExemplarsCount() > 0) {
      stats.addExemplars(p.getExemplarsCount());
      for (Exemplar e : OtlpExemplars.convert(p.getExemplarsList())) {
        OtlpExemplars.append(labels, e, app, stats);
      }
    }
    return t;
  }

  /**
   * OTLP bucket {@code offset + i} covers {@code (base^(offset+i), base^(offset+i+1)]}, which is
   * Prometheus's bucket index {@code offset + i + 1}. Downscaling maps index {@code k} to
   * {@code k >> shift} (floor), merging neighbours.
   */
  private static double[] buckets(ExponentialHistogramDataPoint.Buckets b, int shift,
      List<Span> spans) {
    int n = b.getBucketCountsCount();
    double[] counts = new double[n];
    int[] index = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      long c = b.getBucketCounts(i);
      if (c == 0) {
        continue;
      }
      int otlpIndex = b.getOffset() + i;
      int idx = (otlpIndex >> shift) + 1;
      if (m > 0 && index[m - 1] == idx) {
        counts[m - 1] += unsigned(c);
      } else {
        index[m] = idx;
        counts[m++] = unsigned(c);
      }
    }
    int prevEnd = 0;
    for (int i = 0; i < m; ) {
      int j = i;
      while (j + 1 < m && index[j + 1] == index[j] + 1) {
        j++;
      }
      int offset = spans.isEmpty() ? index[i] : index[i] - prevEnd;
      spans.add(new Span(offset, j - i + 1));
      prevEnd = index[j] + 1;
      i = j + 1;
    }
    return java.util.Arrays.copyOf(counts, m);
  }

  private void targetInfo(Map<String, String> resource, Map<String, String> base, long t,
      Appender app, PushStats stats) {
    if (t == Long.MIN_VALUE) {
      return;
    }
    TreeMap<String, String> extra = new TreeMap<>();
    resource.forEach((k, v) -> {
      if (!k.equals("service.name") && !k.equals("service.namespace")
          && !k.equals("service.instance.id")) {
        extra.merge(OtlpNaming.labelName(k), v, (a, b) -> a + ";" + b);
      }
    });
    if (extra.isEmpty()) {
      return;
    }
    Labels.Builder b = Labels.builder();
    extra.forEach(b::set);
    base.forEach(b::set);
    b.set(Labels.METRIC_NAME, "target_info");
    Labels labels = checked(b.build(), stats);
    seriesMetadata = TARGET_INFO;
    append(labels, 0, t, 1, app, stats);
  }

  /** The series' labels, or null after counting a refusal. */
  private Labels labels(String name, Map<String, String> base, List<KeyValue> attrs,
      String extraName, String extraValue, PushStats stats) {
    Labels.Builder b = Labels.builder();
    if (!attrs.isEmpty()) {
      TreeMap<String, String> sorted = new TreeMap<>();
      for (KeyValue kv : attrs) {
        sorted.put(kv.getKey(), value(kv.getValue()));
      }
      TreeMap<String, String> merged = new TreeMap<>();
      sorted.forEach((k, v) -> merged.merge(OtlpNaming.labelName(k), v, (a, c) -> a + ";" + c));
      merged.forEach(b::set);
    }
    base.forEach(b::set); // resource identity wins over a point attribute of the same name
    if (extraName != null) {
      b.set(extraName, extraValue);
    }
    b.set(Labels.METRIC_NAME, name);
    return checked(b.build(), stats);
  }

  private Labels checked(Labels l, PushStats stats) {
    if (l.metricName().isEmpty()) {
      stats.reject(RejectReason.MISSING_METRIC_NAME, 1, stats.wantsMessage()
          ? "received a series without metric name, series: '" + l + "' ("
              + RejectReason.MISSING_METRIC_NAME.errorId() + ")" : null);
      return null;
    }
    if (l.size() > limits.maxLabelNamesPerSeries()) {
      stats.reject(RejectReason.MAX_LABEL_NAMES_PER_SERIES, 1, stats.wantsMessage()
          ? "received a series whose number of labels exceeds the limit (actual: " + l.size()
              + ", limit: " + limits.maxLabelNamesPerSeries() + ") series: '" + l + "' ("
              + RejectReason.MAX_LABEL_NAMES_PER_SERIES.errorId() + ")" : null);
      return null;
    }
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).length() > limits.maxLabelNameLength()) {
        stats.reject(RejectReason.LABEL_NAME_TOO_LONG, 1, stats.wantsMessage()
            ? "received a series whose label name length exceeds the limit, label: '"
                + l.name(i) + "' (" + RejectReason.LABEL_NAME_TOO_LONG.errorId() + ")" : null);
        return null;
      }
      if (l.value(i).length() > limits.maxLabelValueLength()) {
        stats.reject(RejectReason.LABEL_VALUE_TOO_LONG, 1, stats.wantsMessage()
            ? "received a series whose label value length exceeds the limit, label: '"
                + l.name(i) + "' (" + RejectReason.LABEL_VALUE_TOO_LONG.errorId() + ")" : null);
        return null;
      }
    }
    return l;
  }

  /** Appends one float sample with its start timestamp {@code st} (0: unknown). */
  private void append(Labels labels, long st, long t, double v, Appender app, PushStats stats) {
    if (labels == null) {
      return;
    }
    try {
      long ref = app.appendWithStart(0, labels, st, t, v);
      updateMetadata(ref, labels, app);
      stats.addSample();
    } catch (LimitExceededException e) {
      stats.reject(e.reason(), 1, stats.wantsMessage() ? e.getMessage() : null);
    } catch (StorageException e) {
      stats.reject(RejectReason.of(e), 1, stats.wantsMessage()
          ? RejectReason.message(e, labels, t) : null);
    }
  }

  private void updateMetadata(long ref, Labels labels, Appender app) {
    if (seriesMetadata == null) {
      return;
    }
    try {
      app.updateMetadata(ref, labels, seriesMetadata);
    } catch (StorageException e) {
      // Nothing to attach it to; the sample's own outcome is what the sender is told.
    }
  }

  /**
   * Mimir's handling of what its translator cannot convert (an "OTLP parse error"): the points
   * are dropped and counted, the reason is kept for the answer, which is 400 only when nothing
   * of the request could be stored (see {@link #parseErrors()}).
   */
  private void unsupported(PushStats stats, Metric m, int points, String why) {
    stats.reject(RejectReason.UNSUPPORTED_OTLP, points, null);
    parseError("metric \"" + m.getName() + "\" cannot be translated: " + why);
  }

  /** Delta (or unspecified) sums and histograms: Prometheus's and Mimir's message. */
  private void invalidTemporality(PushStats stats, Metric m, int points) {
    stats.reject(RejectReason.UNSUPPORTED_OTLP, points, null);
    parseError("invalid temporality and type combination for metric \"" + m.getName() + "\"");
  }

  private void parseError(String message) {
    if (parseErrorsLength < MAX_PARSE_ERRORS_LENGTH) {
      parseErrors.add(message);
      parseErrorsLength += message.length() + 2;
    }
  }

  /**
   * What could not be translated, one message per metric, in order (capped at about 1 KiB of
   * text, as Mimir cuts its message). Mimir answers 400 with these joined by {@code "; "} when
   * no series at all could be translated; otherwise it stores the rest and answers 200.
   */
  public List<String> parseErrors() {
    return List.copyOf(parseErrors);
  }

  private static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  /** An attribute value as text, as the OpenTelemetry collector's {@code AsString} renders it. */
  static String value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> plain(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          AnyValue e = v.getArrayValue().getValues(i);
          sb.append(e.getValueCase() == AnyValue.ValueCase.STRING_VALUE
              ? "\"" + e.getStringValue().replace("\"", "\\\"") + "\"" : value(e));
        }
        yield sb.append(']').toString();
      }
      case KVLIST_VALUE -> {
        StringBuilder sb = new StringBuilder("{");
        List<KeyValue> kvs = v.getKvlistValue().getValuesList();
        for (int i = 0; i < kvs.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append('"').append(kvs.get(i).getKey()).append("\":");
          AnyValue e = kvs.get(i).getValue();
          sb.append(e.getValueCase() == AnyValue.ValueCase.STRING_VALUE
              ? "\"" + e.getStringValue().replace("\"", "\\\"") + "\"" : value(e));
        }
        yield sb.append('}').toString();
      }
      case VALUE_NOT_SET -> "";
    };
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, as bucket bounds and quantiles print. */
  static String plain(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == (long) v && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  private static long millis(long unixNanos) {
    return Math.floorDiv(unixNanos, 1_000_000L);
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }
}
