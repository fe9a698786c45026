package dev.vigil.collector.exposition;

import dev.vigil.model.histogram.ClassicHistogramConverter;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.MetricType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wraps a parser and turns classic histograms into native histograms with custom buckets (NHCB,
 * schema -53), Prometheus 3's {@code convert_classic_histograms_to_nhcb} (its
 * {@code textparse.NHCBParser}, used for every scrape format):
 *
 * <ul>
 *   <li>Only series of a family typed {@code histogram} whose name is the family name plus
 *       {@code _bucket} (with a parseable, non-NaN {@code le}), {@code _count} or {@code _sum}
 *       are collected. Consecutive such series with the same labels (apart from {@code le} and
 *       the suffix) form one histogram; it is emitted as a {@link Entry#HISTOGRAM} named after
 *       the family, without {@code le}, as soon as a series of another group, another entry
 *       (TYPE, HELP...) or the end of the body arrives.
 *   <li>Buckets may come in any order; a repeated {@code le} counts once; a missing
 *       {@code +Inf} bucket takes {@code _count}; without {@code _count} the highest bucket's
 *       count is the count (Prometheus's {@code convertnhcb.TempHistogram}, here
 *       {@link ClassicHistogramConverter}). A group that cannot be converted (no buckets and no
 *       count, a negative or non-cumulative count, {@code _count} different from the
 *       {@code +Inf} bucket) gives no histogram, as in Prometheus.
 *   <li>The classic series are passed through as well only with {@code keepClassic}
 *       ({@code always_scrape_classic_histograms}); otherwise collected series are consumed.
 *   <li>Classic series that follow a native histogram with the same name and labels (protobuf
 *       histograms with both kinds of buckets) are its classic twin and are not converted.
 *       Prometheus intends this too; its parser, as of 3.x, also skips every later classic
 *       histogram of the body once a native one was seen, which is not copied.
 * </ul>
 *
 * <p>The emitted histogram has the timestamp of its group's first series, and the exemplars of
 * all its series. Its cache identity ({@link #seriesHash()}) is the raw text of the group's
 * first series behind a marker no exposition can start with, so it is stable across scrapes of
 * an unchanged body and never equals a plain series' identity. Not thread-safe.
 */
public final class NhcbParser implements ExpositionParser {
  /** Never the first byte of a text series (not UTF-8) nor of the protobuf parser's keys. */
  private static final byte MARKER = (byte) 0xFF;
  private static final String[] SUFFIXES = {"_bucket", "_count", "_sum"};

  private final ExpositionParser inner;
  private final boolean keepClassic;
  private final ClassicHistogramConverter converter = new ClassicHistogramConverter();

  // The family of the latest TYPE entry.
  private String familyName = "";
  private MetricType familyType = MetricType.UNKNOWN;

  // The current inner SERIES entry's labels, when decoded here.
  private Labels innerLabels;

  // The group being collected.
  private boolean collecting;
  private Labels groupLabels;
  private boolean groupHasBuckets;
  private boolean groupHasCount;
  private boolean groupHasTimestamp;
  private long groupTimestamp;
  private long groupStartTimestamp;
  private byte[] groupKey = new byte[64];
  private int groupKeyLen;
  private final List<Exemplar> groupExemplars = new ArrayList<>();

  // The last native histogram's name and labels: its classic twin is not converted.
  private Labels lastNative;

  // While emitting: the converted histogram, and the inner entry that ended its group.
  private boolean emitting;
  private Entry pending;
  private FloatHistogram emitted;
  private Labels emittedLabels;
  private boolean emittedHasTimestamp;
  private long emittedStartTimestamp;
  private long emittedTimestamp;
  private byte[] emittedKey = new byte[64];
  private int emittedKeyLen;
  private List<Exemplar> emittedExemplars = List.of();

  NhcbParser(ExpositionParser inner, boolean keepClassic) {
    this.inner = inner;
    this.keepClassic = keepClassic;
  }

  @Override
  public Entry next() {
    if (emitting) {
      emitting = false;
      Entry e = pending;
      pending = null;
      if (e == Entry.SERIES && collect() && !keepClassic) {
        return next();
      }
      return e;
    }
    while (true) {
      innerLabels = null;
      Entry e = inner.next();
      switch (e) {
        case SERIES -> {
          if (collecting && !sameGroup(labelsOfInner())) {
            if (finishGroup()) {
              pending = Entry.SERIES;
              return Entry.HISTOGRAM;
            }
          }
          if (collect() && !keepClassic) {
            continue;
          }
          return e;
        }
        case HISTOGRAM -> {
          lastNative = inner.labels();
          innerLabels = lastNative;
        }
        case TYPE -> {
          familyName = inner.metricFamily();
          familyType = inner.type();
        }
        default -> {
          // EOF, HELP, UNIT, COMMENT end a group like any other entry.
        }
      }
      if (finishGroup()) {
        pending = e;
        return Entry.HISTOGRAM;
      }
      return e;
    }
  }

  private Labels labelsOfInner() {
    if (innerLabels == null) {
      innerLabels = inner.labels();
    }
    return innerLabels;
  }

  /**
   * Adds the current inner series to the group if it is part of a classic histogram (starting a
   * group when none is open); false when it is an ordinary series.
   */
  private boolean collect() {
    if (familyType != MetricType.HISTOGRAM) {
      return false;
    }
    Labels l = labelsOfInner();
    String name = l.metricName();
    String base = baseName(name);
    if (base == null || !base.equals(familyName)) {
      return false;
    }
    if (lastNative != null && sameSeries(lastNative, l, base)) {
      return false;
    }
    double le = Double.NaN;
    if (name.endsWith("_bucket")) {
      String leText = l.get("le");
      if (leText.isEmpty()) {
        return false;
      }
      try {
        le = GoFloat.parse(leText);
      } catch (GoFloat.SyntaxException ex) {
        return false;
      }
      if (Double.isNaN(le)) {
        return false;
      }
    }
    if (!collecting) {
      startGroup(l, base);
    }
    if (name.endsWith("_bucket")) {
      converter.bucket(le, inner.value());
      groupHasBuckets = true;
    } else if (name.endsWith("_count")) {
      converter.count(inner.value());
      groupHasCount = true;
    } else {
      converter.sum(inner.value());
    }
    List<Exemplar> ex = inner.exemplars();
    for (int i = 0; i < ex.size(); i++) {
      groupExemplars.add(ex.get(i));
    }
    return true;
  }

  private void startGroup(Labels l, String base) {
    collecting = true;
    groupLabels = l.toBuilder().set(Labels.METRIC_NAME, base).del("le").build();
    groupHasBuckets = false;
    groupHasCount = false;
    groupHasTimestamp = inner.hasTimestamp();
    groupTimestamp = groupHasTimestamp ? inner.timestamp() : 0;
    groupStartTimestamp = inner.startTimestamp();
    byte[] raw = inner.seriesBytes();
    if (groupKey.length < raw.length + 1) {
      groupKey = new byte[raw.length + 1];
    }
    groupKey[0] = MARKER;
    System.arraycopy(raw, 0, groupKey, 1, raw.length);
    groupKeyLen = raw.length + 1;
    groupExemplars.clear();
    converter.reset();
  }

  /** Whether {@code l} belongs to the open group: same base name, same labels but {@code le}. */
  private boolean sameGroup(Labels l) {
    String base = baseName(l.metricName());
    return base != null && sameSeries(groupLabels, l, base);
  }

  /**
   * Whether {@code series} (a classic histogram series named {@code seriesBase} plus a suffix)
   * has the name and labels of {@code histogram}, ignoring {@code le}.
   */
  private static boolean sameSeries(Labels histogram, Labels series, String seriesBase) {
    if (!histogram.metricName().equals(seriesBase)) {
      return false;
    }
    int i = 0;
    int j = 0;
    while (true) {
      i = skip(histogram, i);
      j = skip(series, j);
      if (i == histogram.size() || j == series.size()) {
        return i == histogram.size() && j == series.size();
      }
      if (!histogram.name(i).equals(series.name(j)) || !histogram.value(i).equals(series.value(j))) {
        return false;
      }
      i++;
      j++;
    }
  }

  private static int skip(Labels l, int i) {
    while (i < l.size() && (l.name(i).equals(Labels.METRIC_NAME) || l.name(i).equals("le"))) {
      i++;
    }
    return i;
  }

  /** The name without {@code _bucket}, {@code _count} or {@code _sum}; null for other names. */
  private static String baseName(String name) {
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }

  /** Converts the open group, if any; true when there is a histogram to emit. */
  private boolean finishGroup() {
    if (!collecting) {
      return false;
    }
    collecting = false;
    if (!groupHasBuckets && !groupHasCount) {
      // Prometheus: "count must be provided when no buckets are present".
      return false;
    }
    FloatHistogram h;
    try {
      h = converter.convert();
      h.validate();
    } catch (IllegalArgumentException e) {
      return false;
    }
    emitted = h;
    emittedLabels = groupLabels;
    emittedHasTimestamp = groupHasTimestamp;
    emittedTimestamp = groupTimestamp;
    emittedStartTimestamp = groupStartTimestamp;
    byte[] swap = emittedKey;
    emittedKey = groupKey;
    emittedKeyLen = groupKeyLen;
    groupKey = swap;
    emittedExemplars = groupExemplars.isEmpty() ? List.of() : List.copyOf(groupExemplars);
    emitting = true;
    return true;
  }

  @Override
  public String metricFamily() {
    return emitting ? emittedLabels.metricName() : inner.metricFamily();
  }

  @Override
  public MetricType type() {
    return emitting ? MetricType.HISTOGRAM : inner.type();
  }

  @Override
  public String help() {
    return inner.help();
  }

  @Override
  public String unit() {
    return inner.unit();
  }

  @Override
  public Labels labels() {
    return emitting ? emittedLabels : labelsOfInner();
  }

  @Override
  public double value() {
    if (emitting) {
      throw new IllegalStateException("the current entry is a histogram");
    }
    return inner.value();
  }

  @Override
  public FloatHistogram histogram() {
    return emitting ? emitted : inner.histogram();
  }

  @Override
  public boolean hasTimestamp() {
    return emitting ? emittedHasTimestamp : inner.hasTimestamp();
  }

  @Override
  public long timestamp() {
    return emitting ? emittedTimestamp : inner.timestamp();
  }

  @Override
  public long startTimestamp() {
    return emitting ? emittedStartTimestamp : inner.startTimestamp();
  }

  @Override
  public Exemplar exemplar() {
    if (emitting) {
      return emittedExemplars.isEmpty() ? null : emittedExemplars.getFirst();
    }
    return inner.exemplar();
  }

  @Override
  public List<Exemplar> exemplars() {
    return emitting ? emittedExemplars : inner.exemplars();
  }

  @Override
  public long familyNameHash() {
    return inner.familyNameHash();
  }

  @Override
  public boolean familyNameEquals(byte[] other) {
    return inner.familyNameEquals(other);
  }

  @Override
  public byte[] familyNameBytes() {
    return inner.familyNameBytes();
  }

  @Override
  public boolean helpEquals(byte[] other) {
    return inner.helpEquals(other);
  }

  @Override
  public byte[] helpBytes() {
    return inner.helpBytes();
  }

  @Override
  public long seriesHash() {
    if (!emitting) {
      return inner.seriesHash();
    }
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < emittedKeyLen; i++) {
      h ^= emittedKey[i];
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public boolean seriesBytesEqual(byte[] other, int from, int to) {
    return emitting ? Arrays.equals(emittedKey, 0, emittedKeyLen, other, from, to)
        : inner.seriesBytesEqual(other, from, to);
  }

  @Override
  public byte[] seriesBytes() {
    return emitting ? Arrays.copyOf(emittedKey, emittedKeyLen) : inner.seriesBytes();
  }
}
