package dev.vigil.protocol.remote;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.labels.LabelStrings;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import java.util.Arrays;

/**
 * Decodes remote write 1.0 {@code WriteRequest} and 2.0 {@code Request} bodies (already
 * decompressed) straight from the wire format into appends, without building message objects.
 *
 * <p>Each series is read twice: first its labels (fields may come in any order, and samples need
 * the finished label set), then its samples and histograms. Invalid series are counted per
 * {@link RejectReason} in the {@link PushStats} and skipped; only a body that is not a valid
 * message throws, and then the caller must roll the appender back. The decoder never commits or
 * rolls back itself.
 *
 * <p>Reusable and not thread-safe: keep one per thread. Strings come from a small cache so that
 * repeated label names and values are not allocated again.
 */
public final class RemoteWriteDecoder {
  // Remote write 1.0 field numbers (prometheus/remote.proto, types.proto).
  private static final int V1_TIMESERIES = 1;
  private static final int V1_METADATA = 3;
  private static final int V1_LABELS = 1;
  private static final int V1_SAMPLES = 2;
  private static final int V1_EXEMPLARS = 3;
  private static final int V1_HISTOGRAMS = 4;
  // Remote write 2.0 field numbers (io/prometheus/write/v2/types.proto).
  private static final int V2_SYMBOLS = 4;
  private static final int V2_TIMESERIES = 5;
  private static final int V2_LABELS_REFS = 1;
  private static final int V2_SAMPLES = 2;
  private static final int V2_HISTOGRAMS = 3;
  private static final int V2_EXEMPLARS = 4;
  private static final int V2_METADATA = 5;
  private static final int V2_CREATED_TIMESTAMP = 6;

  private static final String[] FAMILY_SUFFIXES = {"_bucket", "_sum", "_count"};

  private final ValidationLimits defaultLimits;
  private ValidationLimits limits; // of the request being decoded
  private final WireReader in = new WireReader();
  private final StringCache strings;
  private final HistogramReader histogram = new HistogramReader();
  private final Labels.Builder builder = new Labels.Builder();
  // The exemplars of the series being decoded: (offset, length) pairs, decoded after its
  // samples into the fields below.
  private int[] exemplarSpans = new int[16];
  private final Labels.Builder exemplarBuilder = new Labels.Builder();
  private Labels exemplarLabels = Labels.EMPTY;
  // The last 2.0 series metadata given to the store, reused while senders repeat it.
  private Metadata seriesMetadata;
  private int seriesMetadataType = -1;
  private double exemplarV;
  private long exemplarT;
  private StringCache.Entry[] names = new StringCache.Entry[32];
  private StringCache.Entry[] values = new StringCache.Entry[32];
  private int[] nameBytes = new int[32];
  private int[] valueBytes = new int[32];
  private int nLabels;
  // 1.0 only: where each label of the previous series of this body sits, and how many it had
  // (its strings are still in names/values at the same index).
  private int[] labelOffset = new int[32];
  private int[] labelLength = new int[32];
  private int[] nameOffset = new int[32]; // of each label's name bytes
  private int previousLabels;
  private StringCache.Entry[] symbols = new StringCache.Entry[1024];
  private int nSymbols;
  private MetadataSink metadata = MetadataSink.NONE; // of the request being decoded
  // The last 2.0 metadata passed on: senders repeat it on every series of a family.
  private String lastFamily;
  private int lastType = -1;
  private int lastHelpRef;
  private int lastUnitRef;

  /** A decoder with its own string cache. */
  public RemoteWriteDecoder(ValidationLimits limits) {
    this(limits, new StringCache(8192));
  }

  /**
   * A decoder drawing label strings from {@code strings}, which a server shares between all its
   * decoders so that the store sees one instance per string (see {@link StringCache}).
   */
  public RemoteWriteDecoder(ValidationLimits limits, StringCache strings) {
    this.defaultLimits = limits;
    this.limits = limits;
    this.strings = strings;
  }

  /**
   * Appends the series of {@code body[off, off+len)} to {@code app} and records what happened in
   * {@code stats} (which is not reset first).
   *
   * @throws MalformedBodyException when the body is not a valid message of {@code version};
   *     appends made so far must then be rolled back
   */
  public void decode(RemoteWriteVersion version, byte[] body, int off, int len, Appender app,
      PushStats stats) throws MalformedBodyException {
    decode(version, body, off, len, app, stats, defaultLimits);
  }

  /** {@link #decode} with the limits of this request's tenant instead of the decoder's. */
  public void decode(RemoteWriteVersion version, byte[] body, int off, int len, Appender app,
      PushStats stats, ValidationLimits tenantLimits) throws MalformedBodyException {
    decode(version, body, off, len, app, stats, tenantLimits, MetadataSink.NONE);
  }

  /**
   * {@link #decode} with the tenant's limits, passing the metric metadata of the body (1.0
   * {@code metadata}, 2.0 per-series {@code metadata}, the latter once per run of series with
   * the same metadata) to {@code sink}.
   */
  public void decode(RemoteWriteVersion version, byte[] body, int off, int len, Appender app,
      PushStats stats, ValidationLimits tenantLimits, MetadataSink sink)
      throws MalformedBodyException {
    this.limits = tenantLimits;
    this.metadata = sink;
    lastFamily = null;
    lastType = -1;
    previousLabels = 0;
    try {
      if (version == RemoteWriteVersion.V1) {
        decodeV1(body, off, len, app, stats);
      } else {
        decodeV2(body, off, len, app, stats);
      }
    } finally {
      // Drop references into the request so a parked decoder does not pin it.
      Arrays.fill(symbols, 0, nSymbols, null);
      nSymbols = 0;
      Arrays.fill(names, null); // not only nLabels: an earlier series may have had more
      Arrays.fill(values, null);
      nLabels = 0;
      previousLabels = 0;
      metadata = MetadataSink.NONE;
      lastFamily = null;
    }
  }

  // ---------------------------------------------------------------- remote write 1.0

  private void decodeV1(byte[] body, int off, int len, Appender app, PushStats stats)
      throws MalformedBodyException {
    in.reset(body, off, len, "remote write 1.0 WriteRequest");
    while (in.more()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == V1_TIMESERIES) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        int start = in.pos;
        int end = start + n;
        int outer = in.limit(end);
        seriesV1(start, end, app, stats);
        in.limit(outer);
        in.pos = end;
      } else if (field == V1_METADATA) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        int end = in.pos + n;
        int outer = in.limit(end);
        metadataV1();
        in.limit(outer);
        in.pos = end;
        stats.addMetadata();
      } else if (field == V2_SYMBOLS || field == V2_TIMESERIES) {
        // Unknown to 1.0; a 2.0 Request sent with a 1.0 Content-Type would otherwise be
        // accepted as empty and silently dropped.
        throw in.malformed("field " + field + " is not part of remote write 1.0; is this a 2.0 "
            + "Request? Send it with Content-Type: " + RemoteWriteVersion.V2.contentType());
      } else {
        in.skipField(tag);
      }
    }
  }

  /** One 1.0 {@code MetricMetadata}: type 1, metric_family_name 2, help 4, unit 5. */
  private void metadataV1() throws MalformedBodyException {
    long type = 0;
    String family = "";
    String help = "";
    String unit = "";
    while (in.more()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == 1) {
        in.expect(tag, WireReader.VARINT);
        type = in.readVarint64();
      } else if (field == 2 || field == 4 || field == 5) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        String s = field == 2 ? strings.get(in.buf(), in.pos, n) : Utf8.isValid(in.buf(), in.pos, n)
            ? new String(in.buf(), in.pos, n, java.nio.charset.StandardCharsets.UTF_8) : null;
        if (s == null) {
          throw in.malformed("metadata field " + field + " is not valid UTF-8");
        }
        in.pos += n;
        switch (field) {
          case 2 -> family = s;
          case 4 -> help = s;
          default -> unit = s;
        }
      } else {
        in.skipField(tag);
      }
    }
    metadata.accept(new MetricMetadata(family, MetricType.ofWireNumber(type), help,
        unit));
  }

  private void seriesV1(int start, int end, Appender app, PushStats stats)
      throws MalformedBodyException {
    stats.addSeries();
    nLabels = 0;
    int previous = previousLabels;
    byte[] buf = in.buf();
    while (in.more()) {
      int tag = in.readTag();
      if (tag >>> 3 == V1_LABELS) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        int i = nLabels;
        int off = in.pos;
        int labelEnd = off + n;
        // Senders batch a target's series together, so most labels are byte for byte those at
        // the same position in the previous series: reuse its strings without hashing them.
        if (i < previous && labelLength[i] == n
            && Arrays.equals(buf, off, labelEnd, buf, labelOffset[i], labelOffset[i] + n)) {
          in.pos = labelEnd;
          nLabels++;
        } else {
          int outer = in.limit(labelEnd);
          labelV1(i < previous ? i : -1);
          in.limit(outer);
        }
        labelOffset[i] = off;
        labelLength[i] = n;
      } else {
        in.skipField(tag);
      }
    }
    previousLabels = nLabels;
    Labels labels = validatedLabels(stats, start, end, V1_SAMPLES, V1_HISTOGRAMS);
    in.pos = start;
    samplesAndHistograms(labels, 0, app, stats, V1_SAMPLES, V1_HISTOGRAMS, V1_EXEMPLARS);
  }

  /**
   * One 1.0 {@code Label}. {@code previous} is the index of the previous series' label at this
   * position (or -1): when only the value differs (the metric name of a target's next series),
   * its name string is reused without a cache lookup.
   */
  private void labelV1(int previous) throws MalformedBodyException {
    byte[] buf = in.buf();
    int nameAt = -1;
    StringCache.Entry name = strings.entry(buf, 0, 0);
    StringCache.Entry value = name;
    int nb = 0;
    int vb = 0;
    while (in.more()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == 1 || field == 2) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        StringCache.Entry s;
        if (field == 1) {
          nameAt = in.pos;
          s = previous >= 0 && nameBytes[previous] == n
              && Arrays.equals(buf, in.pos, in.pos + n, buf, nameOffset[previous],
                  nameOffset[previous] + n)
              ? names[previous] : strings.entry(buf, in.pos, n);
        } else {
          s = strings.entry(buf, in.pos, n);
        }
        if (s == null) {
          throw in.malformed("label " + (field == 1 ? "name" : "value") + " is not valid UTF-8");
        }
        in.pos += n;
        if (field == 1) {
          name = s;
          nb = n;
        } else {
          value = s;
          vb = n;
        }
      } else {
        in.skipField(tag);
      }
    }
    addLabel(name, nb, value, vb);
    nameOffset[nLabels - 1] = nameAt < 0 ? 0 : nameAt; // nameBytes 0 then: never compared
  }

  // ---------------------------------------------------------------- remote write 2.0

  private void decodeV2(byte[] body, int off, int len, Appender app, PushStats stats)
      throws MalformedBodyException {
    // Pass 1: the symbol table, wherever it sits in the message.
    in.reset(body, off, len, "remote write 2.0 Request");
    while (in.more()) {
      int tag = in.readTag();
      if (tag >>> 3 == V2_SYMBOLS) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        StringCache.Entry s = strings.entry(body, in.pos, n);
        if (s == null) {
          throw in.malformed("symbol " + nSymbols + " is not valid UTF-8");
        }
        in.pos += n;
        if (nSymbols == symbols.length) {
          symbols = Arrays.copyOf(symbols, nSymbols * 2);
        }
        symbols[nSymbols++] = s;
      } else if (tag >>> 3 <= 3) {
        // Fields 1-3 are reserved in 2.0 precisely so that a 1.0 WriteRequest is recognised.
        throw in.malformed("field " + (tag >>> 3) + " is reserved in remote write 2.0; is this a "
            + "1.0 WriteRequest? Send it with Content-Type: " + RemoteWriteVersion.V1.contentType());
      } else {
        in.skipField(tag);
      }
    }
    // Pass 2: the series.
    in.reset(body, off, len, "remote write 2.0 Request");
    while (in.more()) {
      int tag = in.readTag();
      if (tag >>> 3 == V2_TIMESERIES) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        int start = in.pos;
        int end = start + n;
        int outer = in.limit(end);
        seriesV2(start, end, app, stats);
        in.limit(outer);
        in.pos = end;
      } else {
        in.skipField(tag);
      }
    }
  }

  private void seriesV2(int start, int end, Appender app, PushStats stats)
      throws MalformedBodyException {
    stats.addSeries();
    nLabels = 0;
    int pendingName = -1; // refs come in pairs, possibly split over packed and unpacked runs
    int metaType = -1; // -1: the series has no metadata
    int helpRef = 0;
    int unitRef = 0;
    long createdTimestamp = 0; // 0: not set
    while (in.more()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == V2_CREATED_TIMESTAMP) {
        in.expect(tag, WireReader.VARINT);
        createdTimestamp = in.readVarint64();
      } else if (field == V2_LABELS_REFS) {
        if ((tag & 7) == WireReader.LENGTH_DELIMITED) {
          int n = in.readLength();
          int outer = in.limit(in.pos + n);
          while (in.more()) {
            pendingName = labelRef(in.readUint32(), pendingName);
          }
          in.limit(outer);
        } else {
          in.expect(tag, WireReader.VARINT);
          pendingName = labelRef(in.readUint32(), pendingName);
        }
      } else if (field == V2_METADATA) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        int outer = in.limit(in.pos + n);
        metaType = 0;
        while (in.more()) {
          int mt = in.readTag();
          switch (mt) {
            case (1 << 3) | WireReader.VARINT -> metaType = (int) Math.min(in.readVarint64(), 255);
            case (3 << 3) | WireReader.VARINT -> helpRef = symbolRef(in.readUint32(), "help_ref");
            case (4 << 3) | WireReader.VARINT -> unitRef = symbolRef(in.readUint32(), "unit_ref");
            default -> in.skipField(mt);
          }
        }
        in.limit(outer);
        stats.addMetadata();
      } else {
        in.skipField(tag);
      }
    }
    if (pendingName >= 0) {
      throw in.malformed("labels_refs has an odd number of entries");
    }
    if (metaType > 0 || helpRef != 0 || unitRef != 0) {
      metadataV2(metaType, helpRef, unitRef);
    }
    Labels labels = validatedLabels(stats, start, end, V2_SAMPLES, V2_HISTOGRAMS);
    in.pos = start;
    long ref = samplesAndHistograms(labels, createdTimestamp, app, stats, V2_SAMPLES,
        V2_HISTOGRAMS, V2_EXEMPLARS);
    if (labels != null && (metaType > 0 || helpRef != 0 || unitRef != 0)) {
      seriesMetadata(app, ref, labels, metaType, helpRef, unitRef);
    }
  }

  /**
   * A 2.0 series' metadata also goes to the store's series (Prometheus's 2.0 receiver calls
   * {@code UpdateMetadata} per series), where it survives restarts. Senders repeat the same
   * metadata on every series of a family: the previous instance is reused.
   */
  private void seriesMetadata(Appender app, long ref, Labels labels, int type, int helpRef,
      int unitRef) {
    Metadata m = seriesMetadata;
    if (m == null || type != seriesMetadataType || !m.help().equals(symbols[helpRef].value)
        || !m.unit().equals(symbols[unitRef].value)) {
      m = seriesMetadata = new Metadata(MetricType.ofWireNumber(type), symbols[helpRef].value,
          symbols[unitRef].value);
      seriesMetadataType = type;
    }
    try {
      app.updateMetadata(ref, labels, m);
    } catch (StorageException e) {
      // The series was refused with all its samples: its metadata has nothing to attach to.
    }
  }

  private int symbolRef(int ref, String field) throws MalformedBodyException {
    if (ref < 0 || ref >= nSymbols) {
      throw in.malformed("metadata " + field + " " + Integer.toUnsignedString(ref)
          + " is out of range (" + nSymbols + " symbols)");
    }
    return ref;
  }

  /**
   * Passes a 2.0 series' metadata on under its family name: the metric name, without the
   * suffix of a classic histogram's or summary's series. Runs of series repeating the last
   * metadata (a sender attaches it to every series) are passed once.
   */
  private void metadataV2(int type, int helpRef, int unitRef) {
    String name = null;
    for (int i = 0; i < nLabels; i++) {
      if (names[i].value.equals(Labels.METRIC_NAME)) {
        name = values[i].value;
      }
    }
    if (name == null || name.isEmpty()) {
      return; // the series itself is refused for its missing name
    }
    MetricType t = MetricType.ofWireNumber(type);
    if (t == MetricType.HISTOGRAM || t == MetricType.GAUGEHISTOGRAM
        || t == MetricType.SUMMARY) {
      for (String suffix : FAMILY_SUFFIXES) {
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
          name = name.substring(0, name.length() - suffix.length());
          break;
        }
      }
    }
    if (type == lastType && helpRef == lastHelpRef && unitRef == lastUnitRef
        && name.equals(lastFamily)) {
      return;
    }
    lastFamily = name;
    lastType = type;
    lastHelpRef = helpRef;
    lastUnitRef = unitRef;
    metadata.accept(new MetricMetadata(name, t, symbols[helpRef].value, symbols[unitRef].value));
  }

  /** Resolves one symbol reference; returns the pending name ref, or -1 once a pair is done. */
  private int labelRef(int ref, int pendingName) throws MalformedBodyException {
    if (ref < 0 || ref >= nSymbols) {
      throw in.malformed("label symbol reference " + Integer.toUnsignedString(ref)
          + " is out of range (" + nSymbols + " symbols)");
    }
    if (pendingName < 0) {
      return ref;
    }
    StringCache.Entry name = symbols[pendingName];
    StringCache.Entry value = symbols[ref];
    addLabel(name, utf8Length(name), value, utf8Length(value));
    return -1;
  }

  private static int utf8Length(StringCache.Entry e) {
    if (e.key != null) {
      return e.key.length;
    }
    String s = e.value;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return Utf8.encodedLength(s);
      }
    }
    return s.length();
  }

  // ---------------------------------------------------------------- shared

  private void addLabel(StringCache.Entry name, int nb, StringCache.Entry value, int vb) {
    if (nLabels == names.length) {
      int n = nLabels * 2;
      names = Arrays.copyOf(names, n);
      values = Arrays.copyOf(values, n);
      nameBytes = Arrays.copyOf(nameBytes, n);
      valueBytes = Arrays.copyOf(valueBytes, n);
      labelOffset = Arrays.copyOf(labelOffset, n);
      labelLength = Arrays.copyOf(labelLength, n);
      nameOffset = Arrays.copyOf(nameOffset, n);
    }
    names[nLabels] = name;
    values[nLabels] = value;
    nameBytes[nLabels] = nb;
    valueBytes[nLabels] = vb;
    nLabels++;
  }

  /**
   * The series' labels, or null after counting its samples as rejected. Checks Mimir's rules in
   * Mimir's order: label count, metric name, then per label name validity, lengths, order.
   */
  private Labels validatedLabels(PushStats stats, int start, int end, int samplesField,
      int histogramsField) throws MalformedBodyException {
    RejectReason reason = null;
    String detail = null;
    if (nLabels > limits.maxLabelNamesPerSeries()) {
      reason = RejectReason.MAX_LABEL_NAMES_PER_SERIES;
      detail = "received a series whose number of labels exceeds the limit (actual: " + nLabels
          + ", limit: " + limits.maxLabelNamesPerSeries() + ") series: '" + seriesText() + "'";
    } else {
      StringCache.Entry metric = null;
      for (int i = 0; i < nLabels; i++) {
        if (names[i].value.equals(Labels.METRIC_NAME)) {
          metric = values[i];
        }
      }
      if (metric == null || metric.value.isEmpty()) {
        reason = RejectReason.MISSING_METRIC_NAME;
        detail = "received a series without metric name, series: '" + seriesText() + "'";
      } else if (!metric.legacyMetricName) {
        reason = RejectReason.INVALID_METRIC_NAME;
        detail = "received a series with invalid metric name: '" + metric.value + "'";
      } else {
        for (int i = 0; i < nLabels && reason == null; i++) {
          String name = names[i].value;
          if (!names[i].legacyLabelName && !name.equals(Labels.METRIC_NAME)) {
            reason = RejectReason.INVALID_LABEL;
            detail = "received a series with an invalid label: '" + name + "' series: '"
                + seriesText() + "'";
          } else if (nameBytes[i] > limits.maxLabelNameLength()) {
            reason = RejectReason.LABEL_NAME_TOO_LONG;
            detail = "received a series whose label name length exceeds the limit (actual: "
                + nameBytes[i] + ", limit: " + limits.maxLabelNameLength() + "), label: '"
                + truncate(name) + "' series: '" + seriesText() + "'";
          } else if (valueBytes[i] > limits.maxLabelValueLength()) {
            reason = RejectReason.LABEL_VALUE_TOO_LONG;
            detail = "received a series whose label value length exceeds the limit (actual: "
                + valueBytes[i] + ", limit: " + limits.maxLabelValueLength() + "), label: '"
                + name + "' value: '" + truncate(values[i].value) + "' series: '" + seriesText()
                + "'";
          } else if (i > 0) {
            int c = names[i - 1].value.compareTo(name);
            if (c == 0) {
              reason = RejectReason.DUPLICATE_LABEL_NAMES;
              detail = "received a series with duplicate label name, label: '" + name
                  + "' series: '" + seriesText() + "'";
            } else if (c > 0) {
              reason = RejectReason.LABELS_NOT_SORTED;
              detail = "received a series whose label names are not sorted, label: '" + name
                  + "' comes after '" + names[i - 1].value + "', series: '" + seriesText() + "'";
            }
          }
        }
      }
    }
    if (reason == null) {
      builder.reset(Labels.EMPTY);
      for (int i = 0; i < nLabels; i++) {
        builder.set(names[i].value, values[i].value); // sorted: each set appends at the end
      }
      return builder.build();
    }
    long samples = countSamples(start, end, samplesField, histogramsField);
    stats.reject(reason, samples, stats.wantsMessage()
        ? detail + " (" + reason.errorId() + ")" : null);
    return null;
  }

  private long countSamples(int start, int end, int samplesField, int histogramsField)
      throws MalformedBodyException {
    in.pos = start;
    long n = 0;
    while (in.more()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == samplesField || field == histogramsField) {
        n++;
      }
      in.skipField(tag);
    }
    in.pos = end;
    return n;
  }

  /**
   * Appends the series' samples, with its start timestamp {@code st} when known (not 0: 2.0's
   * {@code created_timestamp}). Returns the series' ref in the store (0 when nothing was
   * appended).
   */
  private long samplesAndHistograms(Labels labels, long st, Appender app, PushStats stats,
      int samplesField, int histogramsField, int exemplarsField) throws MalformedBodyException {
    long ref = 0;
    int exemplars = 0;
    while (in.more()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == samplesField) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        int outer = in.limit(in.pos + n);
        double v = 0;
        long t = 0;
        while (in.more()) {
          int sampleTag = in.readTag();
          switch (sampleTag) {
            case (1 << 3) | WireReader.FIXED64 -> v = in.readDouble();
            case (2 << 3) | WireReader.VARINT -> t = in.readVarint64();
            default -> in.skipField(sampleTag);
          }
        }
        in.limit(outer);
        if (labels == null) {
          continue;
        }
        try {
          ref = app.appendWithStart(ref, labels, st, t, v);
          stats.addSample();
        } catch (LimitExceededException e) {
          stats.reject(e.reason(), 1, stats.wantsMessage() ? e.getMessage() : null);
        } catch (StorageException e) {
          stats.reject(RejectReason.of(e), 1, stats.wantsMessage()
              ? RejectReason.message(e, labels, t) : null);
        }
      } else if (field == histogramsField) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        int outer = in.limit(in.pos + n);
        histogram.read(in);
        in.limit(outer);
        if (labels == null) {
          continue;
        }
        if (histogram.problem != null) {
          stats.reject(RejectReason.INVALID_NATIVE_HISTOGRAM, 1, stats.wantsMessage()
              ? "received a native histogram sample that is not valid: " + histogram.problem
                  + ", timestamp: " + histogram.timestamp + " series: '" + labels + "' ("
                  + RejectReason.INVALID_NATIVE_HISTOGRAM.errorId() + ")" : null);
          continue;
        }
        try {
          ref = app.appendHistogramWithStart(ref, labels, st, histogram.timestamp,
              histogram.build());
          stats.addHistogram();
        } catch (LimitExceededException e) {
          stats.reject(e.reason(), 1, stats.wantsMessage() ? e.getMessage() : null);
        } catch (StorageException e) {
          stats.reject(RejectReason.of(e), 1, stats.wantsMessage()
              ? RejectReason.message(e, labels, histogram.timestamp) : null);
        }
      } else if (field == exemplarsField && (tag & 7) == WireReader.LENGTH_DELIMITED) {
        // Stored after the series' samples, which create the series (Prometheus's order).
        int n = in.readLength();
        if (2 * exemplars + 2 > exemplarSpans.length) {
          exemplarSpans = Arrays.copyOf(exemplarSpans, exemplarSpans.length * 2);
        }
        exemplarSpans[2 * exemplars] = in.pos;
        exemplarSpans[2 * exemplars + 1] = n;
        exemplars++;
        in.pos += n;
      } else {
        in.skipField(tag);
      }
    }
    stats.addExemplars(exemplars);
    for (int i = 0; i < exemplars; i++) {
      int start = exemplarSpans[2 * i];
      int outer = in.limit(start + exemplarSpans[2 * i + 1]);
      in.pos = start;
      exemplar(exemplarsField == V2_EXEMPLARS);
      in.limit(outer);
      if (labels == null) {
        continue; // the series was refused (and counted) with its samples
      }
      ExemplarRejectReason bad = ExemplarRejectReason.validate(exemplarLabels, exemplarT);
      if (bad != null) {
        stats.rejectExemplar(bad);
        continue;
      }
      try {
        ref = app.appendExemplar(ref, labels, new Exemplar(exemplarLabels, exemplarV, exemplarT));
        stats.addExemplarWritten();
      } catch (StorageException e) {
        stats.rejectExemplar(ExemplarRejectReason.STORAGE);
      }
    }
    return ref;
  }

  /**
   * One {@code Exemplar} (1.0: labels 1 as {@code Label} messages; 2.0: labels_refs 1 into the
   * symbol table; both: value 2, timestamp 3) into {@link #exemplarLabels}, {@link #exemplarV},
   * {@link #exemplarT}.
   */
  private void exemplar(boolean v2) throws MalformedBodyException {
    exemplarBuilder.reset(Labels.EMPTY);
    exemplarV = 0;
    exemplarT = 0;
    int pendingName = -1;
    while (in.more()) {
      int tag = in.readTag();
      switch (tag) {
        case (2 << 3) | WireReader.FIXED64 -> exemplarV = in.readDouble();
        case (3 << 3) | WireReader.VARINT -> exemplarT = in.readVarint64();
        case (1 << 3) | WireReader.LENGTH_DELIMITED -> {
          int n = in.readLength();
          int outer = in.limit(in.pos + n);
          if (v2) {
            while (in.more()) {
              pendingName = exemplarLabelRef(in.readUint32(), pendingName);
            }
          } else {
            exemplarLabelV1();
          }
          in.limit(outer);
        }
        case (1 << 3) | WireReader.VARINT -> {
          if (!v2) {
            throw in.malformed("exemplar label is not a Label message");
          }
          pendingName = exemplarLabelRef(in.readUint32(), pendingName);
        }
        default -> in.skipField(tag);
      }
    }
    if (pendingName >= 0) {
      throw in.malformed("exemplar labels_refs has an odd number of entries");
    }
    exemplarLabels = exemplarBuilder.build();
  }

  private int exemplarLabelRef(int ref, int pendingName) throws MalformedBodyException {
    if (ref < 0 || ref >= nSymbols) {
      throw in.malformed("exemplar label symbol reference " + Integer.toUnsignedString(ref)
          + " is out of range (" + nSymbols + " symbols)");
    }
    if (pendingName < 0) {
      return ref;
    }
    if (!symbols[pendingName].value.isEmpty()) { // empty names and values are dropped
      exemplarBuilder.set(symbols[pendingName].value, symbols[ref].value);
    }
    return -1;
  }

  /** A 1.0 exemplar {@code Label}; values (trace ids) bypass the string cache: all differ. */
  private void exemplarLabelV1() throws MalformedBodyException {
    String name = "";
    String value = "";
    byte[] buf = in.buf();
    while (in.more()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      if (field == 1 || field == 2) {
        in.expect(tag, WireReader.LENGTH_DELIMITED);
        int n = in.readLength();
        String s = field == 1 ? strings.get(buf, in.pos, n) : Utf8.isValid(buf, in.pos, n)
            ? new String(buf, in.pos, n, java.nio.charset.StandardCharsets.UTF_8) : null;
        if (s == null) {
          throw in.malformed("exemplar label " + (field == 1 ? "name" : "value")
              + " is not valid UTF-8");
        }
        in.pos += n;
        if (field == 1) {
          name = s;
        } else {
          value = s;
        }
      } else {
        in.skipField(tag);
      }
    }
    if (!name.isEmpty()) { // empty names and values are dropped, as Prometheus drops them
      exemplarBuilder.set(name, value);
    }
  }

  /** The series as received (possibly unsorted or invalid), for error messages only. */
  private String seriesText() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < nLabels; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i].value).append('=');
      LabelStrings.appendQuoted(sb, truncate(values[i].value));
      if (sb.length() > 1024) {
        return sb.append(", ...}").toString();
      }
    }
    return sb.append('}').toString();
  }

  private static String truncate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
