package dev.vigil.protocol.remote;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.MetricType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Builds remote write request bodies, 1.0 ({@code prometheus.WriteRequest}) or 2.0
 * ({@code io.prometheus.write.v2.Request} with its symbol table), straight into reused byte
 * arrays: no message objects, nothing allocated per sample once the buffers have grown. Histograms
 * are sent as float histograms (count, zero count and buckets as doubles), which every receiver
 * of native histograms accepts. Usage per request:
 *
 * <pre>{@code
 * enc.reset();
 * enc.beginSeries(labels); enc.sample(t, v); ...; enc.endSeries();   // per series
 * enc.finish();                      // message()[0, messageLength())
 * enc.compress();                    // body()[0, bodyLength()), snappy block format
 * }</pre>
 *
 * <p>Headers to send with the body: {@link RemoteWriteVersion#contentType()}, {@code
 * Content-Encoding: snappy} and {@code X-Prometheus-Remote-Write-Version:}
 * {@link RemoteWriteVersion#headerVersion()}. Reusable, not thread-safe: one per sending thread.
 */
public final class RemoteWriteEncoder {
  // Field numbers: prometheus/remote.proto + types.proto (1.0), io/prometheus/write/v2 (2.0).
  private static final int V1_TIMESERIES = 1;
  private static final int V1_LABELS = 1;
  private static final int V1_SAMPLES = 2;
  private static final int V1_EXEMPLARS = 3;
  private static final int V1_HISTOGRAMS = 4;
  private static final int V1_METADATA = 3;
  private static final int V2_SYMBOLS = 4;
  private static final int V2_TIMESERIES = 5;
  private static final int V2_LABELS_REFS = 1;
  private static final int V2_SAMPLES = 2;
  private static final int V2_HISTOGRAMS = 3;
  private static final int V2_EXEMPLARS = 4;
  private static final int V2_METADATA = 5;

  private final RemoteWriteVersion version;
  private final ProtoWriter series = new ProtoWriter(1 << 16); // 1.0: the whole message
  private final ProtoWriter out = new ProtoWriter(1 << 16); // 2.0: symbols + series
  private final SymbolTable symbols = new SymbolTable();
  private byte[] body = new byte[1 << 14];
  private int bodyLength;
  private int seriesMark = -1;
  private int seriesCount;
  private int samples;
  private int histograms;
  private int exemplars;
  private int metadata;
  private boolean finished;

  public RemoteWriteEncoder(RemoteWriteVersion version) {
    this.version = version;
  }

  public RemoteWriteVersion version() {
    return version;
  }

  /** Starts a new request; previous results are invalid from here on. */
  public void reset() {
    series.reset();
    out.reset();
    symbols.reset();
    seriesMark = -1;
    seriesCount = 0;
    samples = 0;
    histograms = 0;
    exemplars = 0;
    metadata = 0;
    bodyLength = 0;
    finished = false;
  }

  /** Starts a time series; its samples and histograms follow, then {@link #endSeries}. */
  public void beginSeries(Labels labels) {
    openSeries();
    if (version == RemoteWriteVersion.V1) {
      v1Labels(series, V1_LABELS, labels);
    } else {
      v2LabelRefs(labels);
    }
  }

  /**
   * Starts a 1.0 time series whose labels were encoded once by {@link #v1LabelFields}: the
   * bytes are copied, so a sender that keeps them per series pays a copy per request instead of
   * encoding every label again. Same bytes as {@link #beginSeries(Labels)} with those labels.
   */
  public void beginSeries(byte[] v1LabelFields) {
    if (version != RemoteWriteVersion.V1) {
      throw new IllegalStateException("pre-encoded labels are remote write 1.0 only");
    }
    openSeries();
    series.bytes(v1LabelFields, 0, v1LabelFields.length);
  }

  /** The 1.0 {@code TimeSeries.labels} fields of {@code labels}, for {@link #beginSeries(byte[])}. */
  public static byte[] v1LabelFields(Labels labels) {
    ProtoWriter w = new ProtoWriter(32 * Math.max(1, labels.size()));
    v1Labels(w, V1_LABELS, labels);
    return Arrays.copyOf(w.array(), w.length());
  }

  private void openSeries() {
    if (finished) {
      throw new IllegalStateException("request finished; call reset() first");
    }
    if (seriesMark >= 0) {
      throw new IllegalStateException("beginSeries before endSeries");
    }
    seriesMark = series.begin(version == RemoteWriteVersion.V1 ? V1_TIMESERIES : V2_TIMESERIES);
  }

  private static void v1Labels(ProtoWriter w, int field, Labels labels) {
    for (int i = 0; i < labels.size(); i++) {
      int l = w.begin(field);
      w.stringField(1, labels.name(i));
      w.stringField(2, labels.value(i));
      w.end(l);
    }
  }

  private void v2LabelRefs(Labels labels) {
    if (!labels.isEmpty()) {
      int refs = series.begin(V2_LABELS_REFS);
      for (int i = 0; i < labels.size(); i++) {
        series.varint(symbols.ref(labels.name(i)));
        series.varint(symbols.ref(labels.value(i)));
      }
      series.end(refs);
    }
  }

  /**
   * Adds an exemplar to the current series (1.0 {@code TimeSeries.exemplars}, 2.0 the same
   * with symbol refs for its labels).
   */
  public void exemplar(Labels labels, double value, long t) {
    inSeries();
    if (version == RemoteWriteVersion.V1) {
      int m = series.begin(V1_EXEMPLARS);
      v1Labels(series, 1, labels);
      series.doubleField(2, value);
      series.int64Field(3, t);
      series.end(m);
    } else {
      int m = series.begin(V2_EXEMPLARS);
      if (!labels.isEmpty()) {
        int refs = series.begin(1);
        for (int i = 0; i < labels.size(); i++) {
          series.varint(symbols.ref(labels.name(i)));
          series.varint(symbols.ref(labels.value(i)));
        }
        series.end(refs);
      }
      series.doubleField(2, value);
      series.int64Field(3, t);
      series.end(m);
    }
    exemplars++;
  }

  /**
   * Sets the current series' metadata, remote write 2.0 only ({@code TimeSeries.metadata}: type,
   * help and unit as symbol refs; Prometheus 3 sends it with every series of a family). An
   * unknown type with no help and no unit is omitted, as an empty message.
   */
  public void seriesMetadata(MetricType type, String help, String unit) {
    inSeries();
    if (version != RemoteWriteVersion.V2) {
      throw new IllegalStateException("per-series metadata is remote write 2.0; 1.0 uses metadata()");
    }
    if (type == MetricType.UNKNOWN && help.isEmpty() && unit.isEmpty()) {
      return;
    }
    int m = series.begin(V2_METADATA);
    series.enumField(1, type.wireNumber());
    series.uint32Field(3, symbols.ref(help));
    series.uint32Field(4, symbols.ref(unit));
    series.end(m);
    metadata++;
  }

  /**
   * Adds a 1.0 {@code WriteRequest.metadata} entry for a metric family, outside any series
   * (1.0 sends metadata per family, not per series).
   */
  public void metadata(MetricType type, String family, String help, String unit) {
    if (finished) {
      throw new IllegalStateException("request finished; call reset() first");
    }
    if (seriesMark >= 0) {
      throw new IllegalStateException("metadata inside a series; call endSeries() first");
    }
    if (version != RemoteWriteVersion.V1) {
      throw new IllegalStateException("request-level metadata is remote write 1.0; 2.0 uses seriesMetadata()");
    }
    int m = series.begin(V1_METADATA);
    series.enumField(1, type.wireNumber());
    if (!family.isEmpty()) {
      series.stringField(2, family);
    }
    if (!help.isEmpty()) {
      series.stringField(4, help);
    }
    if (!unit.isEmpty()) {
      series.stringField(5, unit);
    }
    series.end(m);
    metadata++;
  }

  public void sample(long t, double v) {
    inSeries();
    int m = series.begin(version == RemoteWriteVersion.V1 ? V1_SAMPLES : V2_SAMPLES);
    series.doubleField(1, v);
    series.int64Field(2, t);
    series.end(m);
    samples++;
  }

  public void histogram(long t, FloatHistogram h) {
    inSeries();
    int m = series.begin(version == RemoteWriteVersion.V1 ? V1_HISTOGRAMS : V2_HISTOGRAMS);
    series.doubleField(2, h.count()); // count_float
    series.doubleField(3, h.sum());
    series.sint32Field(4, h.schema());
    series.doubleField(5, h.zeroThreshold());
    series.doubleField(7, h.zeroCount()); // zero_count_float
    spans(8, h.negativeSpans());
    doubles(10, h.negativeBuckets());
    spans(11, h.positiveSpans());
    doubles(13, h.positiveBuckets());
    series.enumField(14, switch (h.counterResetHint()) {
      case UNKNOWN -> 0;
      case COUNTER_RESET -> 1;
      case NOT_COUNTER_RESET -> 2;
      case GAUGE -> 3;
    });
    series.int64Field(15, t);
    doubles(16, h.customValues());
    series.end(m);
    histograms++;
  }

  private void spans(int field, List<Span> spans) {
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      int m = series.begin(field);
      series.sint32Field(1, s.offset());
      series.uint32Field(2, s.length());
      series.end(m);
    }
  }

  private void doubles(int field, double[] values) {
    if (values == null || values.length == 0) {
      return;
    }
    series.tag(field, ProtoWriter.LENGTH_DELIMITED);
    series.varint(values.length * 8L);
    for (double v : values) {
      series.fixed64(Double.doubleToRawLongBits(v));
    }
  }

  public void endSeries() {
    inSeries();
    series.end(seriesMark);
    seriesMark = -1;
    seriesCount++;
  }

  private void inSeries() {
    if (seriesMark < 0) {
      throw new IllegalStateException("no series started");
    }
  }

  /** Series, float samples and histogram samples in the request so far. */
  public int seriesCount() {
    return seriesCount;
  }

  public int sampleCount() {
    return samples;
  }

  public int histogramCount() {
    return histograms;
  }

  public int exemplarCount() {
    return exemplars;
  }

  /** 1.0 metadata entries plus 2.0 series with metadata in the request so far. */
  public int metadataCount() {
    return metadata;
  }

  /** Completes the protobuf message; returns its length (see {@link #message()}). */
  public int finish() {
    if (seriesMark >= 0) {
      throw new IllegalStateException("finish inside a series; call endSeries() first");
    }
    if (!finished && version == RemoteWriteVersion.V2) {
      out.reset();
      for (int i = 0; i < symbols.size(); i++) {
        out.stringField(V2_SYMBOLS, symbols.get(i));
      }
      out.bytes(series.array(), 0, series.length());
    }
    finished = true;
    return messageLength();
  }

  /** The uncompressed message, {@code [0, messageLength())}; valid until {@link #reset}. */
  public byte[] message() {
    finishedOrThrow();
    return version == RemoteWriteVersion.V1 ? series.array() : out.array();
  }

  public int messageLength() {
    finishedOrThrow();
    return version == RemoteWriteVersion.V1 ? series.length() : out.length();
  }

  /** Snappy block-compresses the finished message; returns the body length. */
  public int compress() {
    finishedOrThrow();
    int n = messageLength();
    int max = Snappy.maxCompressedLength(n);
    if (body.length < max) {
      body = Arrays.copyOf(body, Math.max(max, body.length * 2));
    }
    try {
      bodyLength = Snappy.compress(message(), 0, n, body, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression of a " + n + "-byte request failed", e);
    }
    return bodyLength;
  }

  /** The compressed body, {@code [0, bodyLength())}; valid until {@link #reset}. */
  public byte[] body() {
    return body;
  }

  public int bodyLength() {
    return bodyLength;
  }

  private void finishedOrThrow() {
    if (!finished) {
      throw new IllegalStateException("request not finished; call finish() first");
    }
  }
}
