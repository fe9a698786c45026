package dev.vigil.collector.exposition;

import dev.vigil.model.metadata.MetricType;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.exposition.pb.Bucket;
import dev.vigil.protocol.exposition.pb.BucketSpan;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.LabelPair;
import dev.vigil.protocol.exposition.pb.Metric;
import dev.vigil.protocol.exposition.pb.MetricFamily;
import dev.vigil.protocol.exposition.pb.Summary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The protobuf exposition format ({@code application/vnd.google.protobuf;
 * proto=io.prometheus.client.MetricFamily;encoding=delimited}: varint-length-prefixed
 * {@code MetricFamily} messages of client_model's {@code metrics.proto}), presented as the text
 * parsers present their entries, the way Prometheus's {@code ProtobufParser} does:
 *
 * <ul>
 *   <li>per family HELP, UNIT (when set), TYPE, then its metrics; empty families are skipped;
 *   <li>counters, gauges and untyped metrics are one SERIES each; summaries are {@code _count},
 *       {@code _sum}, then one {@code quantile} series per quantile;
 *   <li>a histogram with spans, a zero threshold or a zero count is native: one HISTOGRAM entry
 *       (integer deltas or float counts, compacted; gauge histograms get the gauge hint), and,
 *       only when asked ({@code always_scrape_classic_histograms}), its classic series after it;
 *   <li>other histograms are classic: {@code _count}, {@code _sum}, the {@code _bucket} series,
 *       plus an {@code le="+Inf"} bucket (value: the count) when the last bucket is not +Inf;
 *   <li>{@code le}/{@code quantile} in OpenMetrics float form; a timestamp of 0 means none.
 * </ul>
 *
 * <p>Errors name the byte offset of the family and what is wrong with it. Exemplars: see
 * {@link #exemplars()}.
 */
public final class ProtobufParser implements ExpositionParser {
  private final byte[] b;
  private final int limit;
  private final boolean classicToo;
  private final boolean ignoreNative;
  private int pos;

  private MetricFamily family;
  private int familyOffset;
  private MetricType familyType = MetricType.UNKNOWN;
  private Entry state; // null: between families
  private int metricIndex;
  private Metric metric;
  // Position within a summary or classic histogram: -2 _count, -1 _sum, else quantile/bucket index.
  private int fieldPos;
  private boolean fieldsDone;
  private boolean redoClassic;

  private String seriesName;
  private String magicName;
  private String magicValue;
  private double value;
  private FloatHistogram histogram;
  private byte[] key = new byte[256];
  private int keyLen;

  private ProtobufParser(byte[] b, int offset, int length, boolean ignoreNative, boolean classicToo) {
    this.b = b;
    this.pos = offset;
    this.limit = offset + length;
    this.ignoreNative = ignoreNative;
    this.classicToo = classicToo;
  }

  /**
   * @param classicToo also return the classic series of histograms that are native (Prometheus's
   *     {@code always_scrape_classic_histograms})
   */
  public static ProtobufParser create(byte[] body, boolean classicToo) {
    return new ProtobufParser(body, 0, body.length, false, classicToo);
  }

  /**
   * @param ignoreNative read every histogram as a classic one, its native buckets unread (Prometheus
   *     3's {@code scrape_native_histograms: false}); a purely native histogram then gives its
   *     {@code _count}, {@code _sum} and the {@code le="+Inf"} bucket
   * @param classicToo see {@link #create(byte[], boolean)}; moot when {@code ignoreNative}
   */
  public static ProtobufParser create(byte[] body, boolean ignoreNative, boolean classicToo) {
    return new ProtobufParser(body, 0, body.length, ignoreNative, classicToo);
  }

  @Override
  public Entry next() {
    while (true) {
      if (state == null) {
        if (!readFamily()) {
          return Entry.EOF;
        }
        state = Entry.HELP;
        return state;
      }
      switch (state) {
        case HELP -> {
          state = family.getUnit().isEmpty() ? Entry.TYPE : Entry.UNIT;
          return state;
        }
        case UNIT -> {
          state = Entry.TYPE;
          return state;
        }
        case TYPE -> {
          metricIndex = 0;
          return startMetric();
        }
        case HISTOGRAM -> {
          if (redoClassic) {
            redoClassic = false;
            state = Entry.SERIES;
            fieldPos = -2;
            fieldsDone = false;
            return emitSeries();
          }
          Entry e = nextMetric();
          if (e != null) {
            return e;
          }
        }
        case SERIES -> {
          if (isComplex() && !fieldsDone) {
            fieldPos++;
            return emitSeries();
          }
          Entry e = nextMetric();
          if (e != null) {
            return e;
          }
        }
        default -> throw new IllegalStateException("parser state " + state);
      }
    }
  }

  /** The next metric of the family, or null (and the state set to "between families"). */
  private Entry nextMetric() {
    metricIndex++;
    if (metricIndex < family.getMetricCount()) {
      return startMetric();
    }
    state = null;
    return null;
  }

  private boolean isComplex() {
    return familyType == MetricType.SUMMARY || familyType == MetricType.HISTOGRAM
        || familyType == MetricType.GAUGEHISTOGRAM;
  }

  private Entry startMetric() {
    metric = family.getMetric(metricIndex);
    fieldPos = -2;
    fieldsDone = false;
    boolean histogramType = familyType == MetricType.HISTOGRAM || familyType == MetricType.GAUGEHISTOGRAM;
    if (histogramType && !ignoreNative && isNative(metric.getHistogram())) {
      state = Entry.HISTOGRAM;
      redoClassic = classicToo && metric.getHistogram().getBucketCount() > 0;
      seriesName = family.getName();
      magicName = null;
      histogram = nativeHistogram(metric.getHistogram());
      buildKey();
      return state;
    }
    state = Entry.SERIES;
    return emitSeries();
  }

  /** Prometheus's rule: no spans, no zero threshold and no zero count means classic. */
  private static boolean isNative(Histogram h) {
    return h.getPositiveSpanCount() > 0 || h.getNegativeSpanCount() > 0 || h.getZeroThreshold() > 0
        || h.getZeroCount() > 0;
  }

  private Entry emitSeries() {
    String name = family.getName();
    magicName = null;
    switch (familyType) {
      case COUNTER -> value = metric.getCounter().getValue();
      case GAUGE -> value = metric.getGauge().getValue();
      case UNKNOWN -> value = metric.getUntyped().getValue();
      case SUMMARY -> {
        Summary s = metric.getSummary();
        if (fieldPos == -2) {
          name += "_count";
          value = s.getSampleCount();
        } else if (fieldPos == -1) {
          name += "_sum";
          value = s.getSampleSum();
          fieldsDone = s.getQuantileCount() == 0;
        } else {
          var q = s.getQuantile(fieldPos);
          value = q.getValue();
          magicName = "quantile";
          magicValue = GoFloat.formatOpenMetrics(q.getQuantile());
          fieldsDone = fieldPos == s.getQuantileCount() - 1;
        }
      }
      case HISTOGRAM, GAUGEHISTOGRAM -> {
        Histogram h = metric.getHistogram();
        double count = h.getSampleCountFloat() > 0 ? h.getSampleCountFloat() : h.getSampleCount();
        if (fieldPos == -2) {
          name += "_count";
          value = count;
        } else if (fieldPos == -1) {
          name += "_sum";
          value = h.getSampleSum();
        } else {
          name += "_bucket";
          magicName = "le";
          if (fieldPos >= h.getBucketCount()) {
            value = count;
            magicValue = "+Inf";
            fieldsDone = true;
          } else {
            Bucket bk = h.getBucket(fieldPos);
            value = bk.getCumulativeCountFloat() > 0 ? bk.getCumulativeCountFloat() : bk.getCumulativeCount();
            magicValue = GoFloat.formatOpenMetrics(bk.getUpperBound());
            fieldsDone = bk.getUpperBound() == Double.POSITIVE_INFINITY;
          }
        }
      }
      default -> throw new IllegalStateException("family type " + familyType);
    }
    seriesName = name;
    buildKey();
    return Entry.SERIES;
  }

  /** The cache key: name, then 0xff name 0xff value per label pair as sent, then the magic label. */
  private void buildKey() {
    keyLen = 0;
    append(seriesName);
    for (int i = 0; i < metric.getLabelCount(); i++) {
      LabelPair lp = metric.getLabel(i);
      appendByte((byte) 0xff);
      append(lp.getNameBytes());
      appendByte((byte) 0xff);
      append(lp.getValueBytes());
    }
    if (magicName != null) {
      appendByte((byte) 0xff);
      append(magicName);
      appendByte((byte) 0xff);
      append(magicValue);
    }
  }

  private void append(String s) {
    append(ByteString.copyFromUtf8(s));
  }

  private void append(ByteString s) {
    int n = s.size();
    ensure(n);
    s.copyTo(key, keyLen);
    keyLen += n;
  }

  private void appendByte(byte x) {
    ensure(1);
    key[keyLen++] = x;
  }

  private void ensure(int n) {
    if (keyLen + n > key.length) {
      key = Arrays.copyOf(key, Math.max(key.length * 2, keyLen + n));
    }
  }

  private FloatHistogram nativeHistogram(Histogram h) {
    boolean floats = h.getSampleCountFloat() > 0 || h.getZeroCountFloat() > 0;
    List<Span> pos = spans(h.getPositiveSpanList());
    List<Span> neg = spans(h.getNegativeSpanList());
    double[] pb;
    double[] nb;
    double count;
    double zeroCount;
    if (floats) {
      pb = toArray(h.getPositiveCountList());
      nb = toArray(h.getNegativeCountList());
      count = h.getSampleCountFloat();
      zeroCount = h.getZeroCountFloat();
    } else {
      pb = deltasToCounts(h.getPositiveDeltaList());
      nb = deltasToCounts(h.getNegativeDeltaList());
      count = h.getSampleCount();
      zeroCount = h.getZeroCount();
    }
    checkSpans("positive", pos, pb.length);
    checkSpans("negative", neg, nb.length);
    if (h.getSchema() < -4 || h.getSchema() > 8) {
      throw error("native histogram schema " + h.getSchema() + " is outside -4..8");
    }
    CounterResetHint hint = familyType == MetricType.GAUGEHISTOGRAM ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN;
    return new FloatHistogram(hint, h.getSchema(), h.getZeroThreshold(), zeroCount, count, h.getSampleSum(),
        pos, pb, neg, nb, null).compact(0);
  }

  private void checkSpans(String side, List<Span> spans, int buckets) {
    long n = 0;
    for (Span s : spans) {
      n += s.length();
    }
    if (n != buckets) {
      throw error(side + " spans of " + quote(family.getName()) + " need " + n + " buckets, got " + buckets);
    }
  }

  /** Bucket indexes further out than this cannot come from any schema's float range. */
  private static final long MAX_BUCKET_INDEX = 1L << 20;

  private List<Span> spans(List<BucketSpan> in) {
    List<Span> out = new ArrayList<>(in.size());
    long index = 0;
    for (int i = 0; i < in.size(); i++) {
      BucketSpan s = in.get(i);
      long length = Integer.toUnsignedLong(s.getLength());
      if (i > 0 && s.getOffset() < 0) {
        // Prometheus's histogram validation: buckets must come in increasing index order.
        throw error("native histogram " + quote(family.getName()) + ": span number " + (i + 1) + " with offset "
            + s.getOffset() + ": histogram has a span whose offset is negative");
      }
      index += s.getOffset() + length;
      if (length > MAX_BUCKET_INDEX || Math.abs(index) > MAX_BUCKET_INDEX) {
        throw error("native histogram " + quote(family.getName()) + " has a span (offset " + s.getOffset()
            + ", length " + length + ") beyond bucket index " + MAX_BUCKET_INDEX);
      }
      out.add(new Span(s.getOffset(), (int) length));
    }
    return out;
  }

  private static double[] toArray(List<Double> in) {
    double[] out = new double[in.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.get(i);
    }
    return out;
  }

  private static double[] deltasToCounts(List<Long> deltas) {
    double[] out = new double[deltas.size()];
    long c = 0;
    for (int i = 0; i < out.length; i++) {
      c += deltas.get(i);
      out[i] = c;
    }
    return out;
  }

  private boolean readFamily() {
    while (pos < limit) {
      familyOffset = pos;
      long size = 0;
      int shift = 0;
      while (true) {
        if (pos >= limit) {
          throw error("truncated length prefix");
        }
        byte x = b[pos++];
        size |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          break;
        }
        shift += 7;
        if (shift > 35) {
          throw error("length prefix is not a valid varint");
        }
      }
      if (size > limit - pos) {
        throw error("message of " + size + " bytes but only " + (limit - pos) + " left in the body");
      }
      try {
        family = MetricFamily.parser().parseFrom(b, pos, (int) size);
      } catch (InvalidProtocolBufferException e) {
        throw error("invalid MetricFamily message: " + e.getMessage());
      }
      pos += (int) size;
      if (family.getMetricCount() == 0) {
        continue;
      }
      validateFamily();
      return true;
    }
    return false;
  }

  private void validateFamily() {
    String name = family.getName();
    if (name.isEmpty() || !family.getNameBytes().isValidUtf8()) {
      throw error("invalid metric name: " + name);
    }
    if (!family.getHelpBytes().isValidUtf8()) {
      throw error("invalid help for metric " + quote(name) + ": " + family.getHelp());
    }
    if (family.getUnknownFields().hasField(3)) {
      throw error("unknown metric type for metric " + quote(name));
    }
    familyType = switch (family.getType()) {
      case COUNTER -> MetricType.COUNTER;
      case GAUGE -> MetricType.GAUGE;
      case SUMMARY -> MetricType.SUMMARY;
      case UNTYPED -> MetricType.UNKNOWN;
      case HISTOGRAM -> MetricType.HISTOGRAM;
      case GAUGE_HISTOGRAM -> MetricType.GAUGEHISTOGRAM;
    };
    String unit = family.getUnit();
    if (!unit.isEmpty()) {
      String base = familyType == MetricType.COUNTER && name.endsWith("_total")
          ? name.substring(0, name.length() - "_total".length()) : name;
      if (!base.endsWith("_" + unit)) {
        throw error("unit " + quote(unit) + " not a suffix of " + (familyType == MetricType.COUNTER ? "counter " : "metric ")
            + quote(name));
      }
    }
    for (Metric m : family.getMetricList()) {
      for (LabelPair lp : m.getLabelList()) {
        if (lp.getName().isEmpty() || !lp.getNameBytes().isValidUtf8()) {
          throw error("invalid label name " + quote(lp.getName()) + " in metric " + quote(name));
        }
        if (!lp.getValueBytes().isValidUtf8()) {
          throw error("invalid UTF-8 label value of " + quote(lp.getName()) + " in metric " + quote(name));
        }
      }
    }
  }

  // ---- accessors ----

  @Override
  public String metricFamily() {
    return state == Entry.SERIES || state == Entry.HISTOGRAM ? seriesName : family.getName();
  }

  @Override
  public MetricType type() {
    return familyType;
  }

  @Override
  public String help() {
    return family.getHelp();
  }

  @Override
  public String unit() {
    return family.getUnit();
  }

  /** @throws ExpositionParseException when a label name repeats */
  @Override
  public Labels labels() {
    Labels.Builder lb = Labels.builder();
    lb.set(Labels.METRIC_NAME, seriesName);
    for (int i = 0; i < metric.getLabelCount(); i++) {
      LabelPair lp = metric.getLabel(i);
      String n = lp.getName();
      if (n.equals(Labels.METRIC_NAME) || (magicName != null && n.equals(magicName)) || !lb.get(n).isEmpty()
          || repeats(i, n)) {
        throw error("label name " + quote(n) + " is not unique: invalid sample of " + quote(seriesName));
      }
      lb.set(n, lp.getValue());
    }
    if (magicName != null) {
      lb.set(magicName, magicValue);
    }
    return lb.build();
  }

  private boolean repeats(int i, String name) {
    for (int k = 0; k < i; k++) {
      if (metric.getLabel(k).getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public double value() {
    return value;
  }

  @Override
  public FloatHistogram histogram() {
    if (state != Entry.HISTOGRAM) {
      throw new IllegalStateException("not at a native histogram");
    }
    return histogram;
  }

  @Override
  public boolean hasTimestamp() {
    // As Prometheus: proto2 cannot tell an unset timestamp from 0, so 0 means none.
    return (state == Entry.SERIES || state == Entry.HISTOGRAM) && metric.getTimestampMs() != 0;
  }

  @Override
  public long timestamp() {
    return metric.getTimestampMs();
  }

  @Override
  public long startTimestamp() {
    if (state != Entry.SERIES && state != Entry.HISTOGRAM) {
      return 0;
    }
    com.google.protobuf.Timestamp ct = switch (familyType) {
      case COUNTER -> metric.getCounter().hasCreatedTimestamp()
          ? metric.getCounter().getCreatedTimestamp() : null;
      case SUMMARY -> metric.getSummary().hasCreatedTimestamp()
          ? metric.getSummary().getCreatedTimestamp() : null;
      case HISTOGRAM, GAUGEHISTOGRAM -> metric.getHistogram().hasCreatedTimestamp()
          ? metric.getHistogram().getCreatedTimestamp() : null;
      default -> null;
    };
    // Milliseconds as Prometheus's parser takes them (seconds * 1000 + nanos / 1e6).
    return ct == null ? 0 : ct.getSeconds() * 1000 + ct.getNanos() / 1_000_000;
  }

  @Override
  public Exemplar exemplar() {
    List<Exemplar> all = exemplars();
    return all.isEmpty() ? null : all.get(0);
  }

  /**
   * As Prometheus's {@code ProtobufParser.Exemplar}: a counter's exemplar; a classic
   * {@code _bucket} series' bucket exemplar; for a native histogram its {@code exemplars}, or
   * when there are none the exemplars of its classic buckets, in both cases only those with a
   * timestamp (the format requires one for native histograms).
   */
  @Override
  public List<Exemplar> exemplars() {
    if (state == Entry.HISTOGRAM) {
      Histogram h = metric.getHistogram();
      List<Exemplar> out = List.of();
      if (h.getExemplarsCount() > 0) {
        for (int i = 0; i < h.getExemplarsCount(); i++) {
          out = addTimestamped(out, h.getExemplars(i));
        }
      } else {
        for (int i = 0; i < h.getBucketCount(); i++) {
          if (h.getBucket(i).hasExemplar()) {
            out = addTimestamped(out, h.getBucket(i).getExemplar());
          }
        }
      }
      return out;
    }
    if (state != Entry.SERIES) {
      return List.of();
    }
    return switch (familyType) {
      case COUNTER -> metric.getCounter().hasExemplar()
          ? List.of(exemplar(metric.getCounter().getExemplar())) : List.of();
      case HISTOGRAM, GAUGEHISTOGRAM -> {
        Histogram h = metric.getHistogram();
        // _count and _sum come first (negative positions); the synthesised +Inf bucket has none.
        yield fieldPos >= 0 && fieldPos < h.getBucketCount() && h.getBucket(fieldPos).hasExemplar()
            ? List.of(exemplar(h.getBucket(fieldPos).getExemplar())) : List.of();
      }
      default -> List.of();
    };
  }

  private static List<Exemplar> addTimestamped(List<Exemplar> out,
      dev.vigil.protocol.exposition.pb.Exemplar e) {
    if (!e.hasTimestamp()) {
      return out;
    }
    List<Exemplar> l = out.isEmpty() ? new ArrayList<>(2) : out;
    l.add(exemplar(e));
    return l;
  }

  private static Exemplar exemplar(dev.vigil.protocol.exposition.pb.Exemplar e) {
    Labels.Builder lb = Labels.builder();
    for (int i = 0; i < e.getLabelCount(); i++) {
      lb.set(e.getLabel(i).getName(), e.getLabel(i).getValue());
    }
    long ts = e.hasTimestamp()
        ? e.getTimestamp().getSeconds() * 1000 + e.getTimestamp().getNanos() / 1_000_000 : 0;
    return new Exemplar(lb.build(), e.getValue(), e.hasTimestamp(), ts);
  }

  @Override
  public long familyNameHash() {
    ByteString n = family.getNameBytes();
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < n.size(); i++) {
      h ^= n.byteAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public boolean familyNameEquals(byte[] other) {
    return equal(family.getNameBytes(), other);
  }

  @Override
  public byte[] familyNameBytes() {
    return family.getNameBytes().toByteArray();
  }

  @Override
  public boolean helpEquals(byte[] other) {
    return equal(family.getHelpBytes(), other);
  }

  @Override
  public byte[] helpBytes() {
    return family.getHelpBytes().toByteArray();
  }

  private static boolean equal(ByteString s, byte[] other) {
    if (s.size() != other.length) {
      return false;
    }
    for (int i = 0; i < other.length; i++) {
      if (s.byteAt(i) != other[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long seriesHash() {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < keyLen; i++) {
      h ^= key[i];
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public boolean seriesBytesEqual(byte[] other, int from, int to) {
    return Arrays.equals(key, 0, keyLen, other, from, to);
  }

  @Override
  public byte[] seriesBytes() {
    return Arrays.copyOf(key, keyLen);
  }

  private ExpositionParseException error(String detail) {
    return ExpositionParseException.atByte(familyOffset, detail);
  }

  private static String quote(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return GoQuoting.quote(bytes, 0, bytes.length);
  }
}
