package dev.vigil.collector.exposition;

import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A pull parser over one scrape body in Prometheus text 0.0.4 or OpenMetrics 1.0 text.
 *
 * <p>Call {@link #next()} until it returns {@link Entry#EOF}; after each entry the accessors for
 * that kind of entry are valid. Labels are decoded only when {@link #labels()} is called, and
 * {@link #seriesBytesEqual}/{@link #seriesHash()} let a caller cache per-series work by the raw
 * series text, as Prometheus's scrape cache does. Not thread-safe; one instance per body. The
 * byte array is read, never copied or modified, and must not change while parsing.
 *
 * <p>The two formats differ as Prometheus's two parsers do: Prometheus text allows blank lines,
 * free comments, runs of blanks and tabs between tokens and integer millisecond timestamps;
 * OpenMetrics wants single spaces, {@code # EOF} at the end, float second timestamps, and adds
 * {@code # UNIT}, exemplars and more types. One deliberate difference: a raw newline inside a
 * quoted string is an error in both (Prometheus text accepts it), so that errors always point at
 * the right line.
 */
public final class TextParser implements ExpositionParser {
  private final byte[] b;
  private final int limit;
  private final boolean om;
  /** OpenMetrics, and this text is the whole input or its last piece. */
  private boolean requireEof;

  private int pos;
  private int lineNo;
  private int lineStart;
  private boolean sawEof;

  // Current entry.
  private int seriesStart;
  private int seriesEnd;
  private int nameStart;
  private int nameEnd;
  private int[] lbl = new int[32]; // per label: name start, name end, value start, value end
  private int nLbl;
  private double value;
  private boolean hasTimestamp;
  private long timestamp;
  private MetricType type = MetricType.UNKNOWN;
  // HELP text or COMMENT line as byte offsets: decoded only when asked for, so a scrape that
  // ignores metadata allocates nothing for it.
  private int metaStart;
  private int metaEnd;
  private String unit = "";

  private boolean quotedNonAscii; // the last quoted() string holds bytes >= 0x80

  // OpenMetrics `_created` lines as start timestamps (see startTimestamp()).
  private boolean createdAsStart;
  private int familyStart = -1; // the latest TYPE line's family name, quotes stripped
  private int familyEnd = -1;
  private TextParser scanner; // reads ahead for `_created` lines
  private final CreatedLine created = new CreatedLine(); // the line matched last
  private final CreatedLine ahead = new CreatedLine(); // the first the last look-ahead met
  private int aheadStop = -1; // where the last look-ahead stopped: ahead's line, or no such line
  private long linesReadAhead;

  private int[] ex = new int[16];
  private int nEx;
  private boolean hasExemplar;
  private double exValue;
  private boolean exHasTimestamp;
  private long exTimestamp;

  private TextParser(byte[] b, int offset, int length, boolean om) {
    this.b = b;
    this.pos = offset;
    this.limit = offset + length;
    this.om = om;
    this.requireEof = om;
  }

  public static TextParser create(ExpositionFormat format, byte[] body, int offset, int length) {
    if (format == ExpositionFormat.PROMETHEUS_PROTOBUF) {
      throw new IllegalArgumentException("protobuf is not a text format: use ExpositionParser.create");
    }
    return new TextParser(body, offset, length, format == ExpositionFormat.OPENMETRICS_TEXT);
  }

  public static TextParser create(ExpositionFormat format, byte[] body) {
    return create(format, body, 0, body.length);
  }

  /**
   * As {@link #create(ExpositionFormat, byte[])}; with {@code createdAsStart}, OpenMetrics
   * {@code _created} lines of counters, summaries and histograms give their metric's {@link
   * #startTimestamp()} and are not series of their own, as in Prometheus with
   * {@code created-timestamp-zero-ingestion} (no effect on Prometheus text, which has none).
   */
  public static TextParser create(ExpositionFormat format, byte[] body, boolean createdAsStart) {
    TextParser p = create(format, body);
    p.createdAsStart = createdAsStart && p.om;
    return p;
  }

  /**
   * A parser for one piece of a text too large for one array, cut at a line boundary: its lines
   * are numbered from {@code firstLine}, {@code type} is the latest {@code # TYPE} before the
   * piece ({@link #type()} of the piece before), and only the {@code last} piece must end with
   * {@code # EOF} (OpenMetrics). The caller checks that no piece follows one that {@link
   * #sawEof() saw} it.
   */
  public static TextParser piece(ExpositionFormat format, byte[] body, int offset, int length,
      int firstLine, MetricType type, boolean last) {
    TextParser p = create(format, body, offset, length);
    p.lineNo = firstLine - 1;
    p.type = type;
    p.requireEof = p.om && last;
    return p;
  }

  /** Whether the {@code # EOF} line was read. */
  public boolean sawEof() {
    return sawEof;
  }

  /** Advances to the next entry. @throws ExpositionParseException on malformed input */
  public Entry next() {
    hasExemplar = false;
    while (true) {
      if (pos >= limit) {
        if (requireEof && !sawEof) {
          throw error(pos, "data does not end with # EOF");
        }
        return Entry.EOF;
      }
      if (om && sawEof) {
        throw error(pos, "unexpected data after # EOF");
      }
      lineNo++;
      lineStart = pos;
      byte c = b[pos];
      if (c == '\n') {
        if (om) {
          throw parseError(pos, "expected a valid start token", pos + 1);
        }
        pos++;
        continue;
      }
      if (c == '#') {
        Entry e = om ? openMetricsComment() : promComment();
        if (e == null) {
          continue;
        }
        return e;
      }
      if (!om && (c == ' ' || c == '\t')) {
        int p = skipBlanks(pos);
        if (p >= limit || b[p] == '\n') {
          pos = Math.min(p + 1, limit);
          continue;
        }
        pos = p;
        if (b[p] == '#') {
          Entry e = promComment();
          if (e == null) {
            continue;
          }
          return e;
        }
      }
      // A _created line a look-ahead read already (skipped below anyway): not parsed twice.
      if (pos == created.lineStart || pos == ahead.lineStart) {
        pos = pos == created.lineStart ? created.lineEnd : ahead.lineEnd;
        continue;
      }
      series();
      if (createdAsStart && takesCreated(type) && nameEndsWithCreated()) {
        hasExemplar = false;
        continue; // read as a start timestamp by startTimestamp()
      }
      return Entry.SERIES;
    }
  }

  // ---- comments and metadata ----

  private Entry promComment() {
    int p = pos + 1;
    if (p < limit && (b[p] == ' ' || b[p] == '\t')) {
      p = skipBlanks(p);
      Entry kind = null;
      if (startsWith(p, "HELP") && p + 4 < limit && (b[p + 4] == ' ' || b[p + 4] == '\t')) {
        kind = Entry.HELP;
      } else if (startsWith(p, "TYPE") && p + 4 < limit && (b[p + 4] == ' ' || b[p + 4] == '\t')) {
        kind = Entry.TYPE;
      }
      if (kind != null) {
        return metadata(kind, skipBlanks(p + 4));
      }
    }
    int eol = endOfLine(pos);
    metaStart = pos;
    metaEnd = eol;
    pos = Math.min(eol + 1, limit);
    return Entry.COMMENT;
  }

  private Entry openMetricsComment() {
    int p = pos + 1;
    if (p < limit && b[p] == ' ') {
      p++;
      if (startsWith(p, "EOF")) {
        if (p + 3 < limit && b[p + 3] != '\n') {
          throw error(p + 3, "unexpected data after # EOF");
        }
        sawEof = true;
        pos = Math.min(p + 4, limit);
        return null;
      }
      Entry kind = null;
      if (startsWith(p, "HELP ")) {
        kind = Entry.HELP;
      } else if (startsWith(p, "TYPE ")) {
        kind = Entry.TYPE;
      } else if (startsWith(p, "UNIT ")) {
        kind = Entry.UNIT;
      }
      if (kind != null) {
        return metadata(kind, p + 5);
      }
    }
    throw parseError(pos, "expected a valid start token", endOfLine(pos));
  }

  private Entry metadata(Entry kind, int p) {
    String keyword = kind.name();
    int ne = scanMetricName(p);
    if (ne < 0) {
      throw parseError(p, "expected metric name after " + keyword, Math.min(p + 1, limit));
    }
    nameStart = p;
    nameEnd = ne;
    int eol = endOfLine(ne);
    int textStart;
    if (om) {
      if (ne >= limit || b[ne] != ' ' || eol >= limit) {
        throw error(ne, "expected text in " + keyword);
      }
      textStart = ne + 1;
    } else {
      // Prometheus takes the rest of the line and drops its first byte (the separator).
      textStart = Math.min(ne + 1, eol);
    }
    int textEnd = eol;
    metaStart = textStart;
    metaEnd = textEnd;
    if (kind == Entry.TYPE) {
      type = parseType(textStart, textEnd);
      boolean quotedName = b[nameStart] == '"';
      familyStart = quotedName ? nameStart + 1 : nameStart;
      familyEnd = quotedName ? nameEnd - 1 : nameEnd;
    } else {
      if (!Utf8.isValid(b, textStart, textEnd)) {
        throw error(textStart, "help text " + GoQuoting.quote(b, textStart, textEnd) + " is not a valid utf8 string");
      }
      if (kind == Entry.UNIT) {
        String text = new String(b, textStart, textEnd - textStart, StandardCharsets.UTF_8);
        unit = text;
        if (!unit.isEmpty()) {
          String m = metricFamily();
          if (!m.endsWith("_" + unit)) {
            throw error(textStart, "unit " + quote(unit) + " not a suffix of metric " + quote(m));
          }
        }
      }
    }
    pos = Math.min(eol + 1, limit);
    return kind;
  }

  private MetricType parseType(int from, int to) {
    // Compared as bytes: a String per TYPE line would be most of a steady scrape's garbage.
    MetricType t = null;
    if (equalsAscii(from, to, "counter")) {
      t = MetricType.COUNTER;
    } else if (equalsAscii(from, to, "gauge")) {
      t = MetricType.GAUGE;
    } else if (equalsAscii(from, to, "histogram")) {
      t = MetricType.HISTOGRAM;
    } else if (equalsAscii(from, to, "summary")) {
      t = MetricType.SUMMARY;
    } else if (equalsAscii(from, to, "untyped")) {
      t = om ? null : MetricType.UNKNOWN;
    } else if (equalsAscii(from, to, "unknown")) {
      t = om ? MetricType.UNKNOWN : null;
    } else if (equalsAscii(from, to, "gaugehistogram")) {
      t = om ? MetricType.GAUGEHISTOGRAM : null;
    } else if (equalsAscii(from, to, "info")) {
      t = om ? MetricType.INFO : null;
    } else if (equalsAscii(from, to, "stateset")) {
      t = om ? MetricType.STATESET : null;
    }
    if (t == null) {
      throw error(from, "invalid metric type " + quote(new String(b, from, to - from, StandardCharsets.UTF_8)));
    }
    return t;
  }

  private boolean equalsAscii(int from, int to, String word) {
    return asciiEquals(b, from, to, word);
  }

  // ---- series ----

  private void series() {
    seriesStart = pos;
    nameStart = -1;
    nameEnd = -1;
    nLbl = 0;
    int p = pos;
    if (b[p] == '{') {
      p = labelSet(p, false);
    } else {
      int ne = scanMetricName(p);
      if (ne < 0 || b[p] == '"') {
        throw parseError(p, "expected a valid start token", p + 1);
      }
      nameStart = p;
      nameEnd = ne;
      p = ne;
      if (!om) {
        int q = skipBlanks(p);
        if (q < limit && b[q] == '{') {
          p = labelSet(q, false);
        }
      } else if (p < limit && b[p] == '{') {
        p = labelSet(p, false);
      }
    }
    seriesEnd = p;
    if (nameStart < 0) {
      throw error(p, "metric name not set while parsing: " + GoQuoting.quote(b, lineStart, endOfLine(p)));
    }
    // Value.
    int vs;
    if (om) {
      if (p >= limit || b[p] != ' ') {
        throw parseError(p, "expected value after metric", p + 1);
      }
      vs = p + 1;
    } else {
      vs = skipBlanks(p);
    }
    int ve = vs;
    if (om) {
      while (ve < limit && b[ve] != ' ' && b[ve] != '\n') {
        ve++;
      }
    } else {
      while (ve < limit && isValueByte(b[ve])) {
        ve++;
      }
    }
    if (ve == vs) {
      throw parseError(vs, "expected value after metric", vs + 1);
    }
    value = parseFloat(vs, ve);
    hasTimestamp = false;
    p = ve;
    if (om) {
      p = openMetricsSuffix(p);
    } else {
      int q = skipBlanks(p);
      if (q < limit && b[q] != '\n') {
        if (!isDigit(b[q])) {
          throw parseError(q, "expected timestamp or new record", q + 1);
        }
        int te = q;
        while (te < limit && isDigit(b[te])) {
          te++;
        }
        timestamp = parseInt(q, te);
        hasTimestamp = true;
        q = skipBlanks(te);
        if (q < limit && b[q] != '\n') {
          throw parseError(q, "expected next entry after timestamp", q + 1);
        }
      }
      p = q;
    }
    pos = Math.min(p + 1, limit);
  }

  private int openMetricsSuffix(int p) {
    if (p >= limit) {
      throw error(p, "data does not end with # EOF");
    }
    if (b[p] == '\n') {
      return p;
    }
    if (startsWith(p, " # {")) {
      return exemplar(p + 3);
    }
    if (b[p] != ' ') {
      throw parseError(p, "expected timestamp or new record", p + 1);
    }
    int ts = p + 1;
    int te = ts;
    while (te < limit && b[te] != ' ' && b[te] != '\n') {
      te++;
    }
    if (te == ts) {
      throw parseError(ts, "expected timestamp or new record", ts + 1);
    }
    timestamp = secondsToMillis(ts, te, "invalid timestamp ");
    hasTimestamp = true;
    if (te >= limit) {
      throw error(te, "data does not end with # EOF");
    }
    if (b[te] == '\n') {
      return te;
    }
    if (startsWith(te, " # {")) {
      return exemplar(te + 3);
    }
    throw parseError(te, "expected next entry after timestamp", te + 1);
  }

  private int exemplar(int p) {
    int[] savedLbl = lbl;
    int savedN = nLbl;
    lbl = ex;
    nLbl = 0;
    int q;
    try {
      q = labelSet(p, true);
    } finally {
      ex = lbl;
      nEx = nLbl;
      lbl = savedLbl;
      nLbl = savedN;
    }
    if (q >= limit || b[q] != ' ') {
      throw parseError(q, "expected value after exemplar labels", q + 1);
    }
    int vs = q + 1;
    int ve = vs;
    while (ve < limit && b[ve] != ' ' && b[ve] != '\n') {
      ve++;
    }
    if (ve == vs) {
      throw parseError(vs, "expected value after exemplar labels", vs + 1);
    }
    exValue = parseFloat(vs, ve);
    exHasTimestamp = false;
    exTimestamp = 0;
    q = ve;
    if (q < limit && b[q] == ' ') {
      int ts = q + 1;
      int te = ts;
      while (te < limit && b[te] != ' ' && b[te] != '\n') {
        te++;
      }
      if (te == ts) {
        throw parseError(ts, "expected timestamp or comment", ts + 1);
      }
      exTimestamp = secondsToMillis(ts, te, "invalid exemplar timestamp ");
      exHasTimestamp = true;
      q = te;
      if (q < limit && b[q] != '\n') {
        throw parseError(q, "expected next entry after exemplar timestamp", q + 1);
      }
    }
    if (q >= limit) {
      throw error(q, "data does not end with # EOF");
    }
    if (b[q] != '\n') {
      throw parseError(q, "expected timestamp or comment", q + 1);
    }
    hasExemplar = true;
    return q;
  }

  /** Parses {@code {...}} at {@code p} (which holds '{'); returns the index after '}'. */
  private int labelSet(int p, boolean exemplar) {
    p++;
    while (true) {
      if (!om) {
        p = skipBlanks(p);
      }
      if (p >= limit || b[p] == '\n') {
        throw parseError(p, "expected label name", p + 1);
      }
      byte c = b[p];
      if (c == '}') {
        return p + 1;
      }
      int ns;
      int ne;
      int after;
      if (c == '"') {
        int end = quoted(p, "expected label name");
        ns = p + 1;
        ne = end - 1;
        after = om ? end : skipBlanks(end);
        if (after < limit && (b[after] == ',' || b[after] == '}')) {
          // A lone quoted string is the metric name (UTF-8 names: {"my.metric", a="b"}).
          if (exemplar) {
            throw parseError(after, "expected label name", after + 1);
          }
          if (nameStart >= 0) {
            throw error(p, "metric name already set while parsing: " + GoQuoting.quote(b, lineStart, after + 1));
          }
          nameStart = ns;
          nameEnd = ne;
          p = b[after] == ',' ? after + 1 : after;
          continue;
        }
      } else if (isLabelNameStart(c)) {
        ns = p;
        ne = p + 1;
        while (ne < limit && isLabelNameByte(b[ne])) {
          ne++;
        }
        after = om ? ne : skipBlanks(ne);
      } else {
        throw parseError(p, "expected label name", p + 1);
      }
      if (after >= limit || b[after] != '=') {
        throw parseError(after, "expected equal", after + 1);
      }
      int vq = om ? after + 1 : skipBlanks(after + 1);
      if (vq >= limit || b[vq] != '"') {
        throw parseError(vq, "expected label value", vq + 1);
      }
      int vend = quoted(vq, "expected label value");
      if (quotedNonAscii && !Utf8.isValid(b, vq, vend)) {
        throw error(vq, "invalid UTF-8 label value: " + GoQuoting.quote(b, vq, vend));
      }
      if (nLbl + 4 > lbl.length) {
        lbl = Arrays.copyOf(lbl, lbl.length * 2);
      }
      lbl[nLbl++] = ns;
      lbl[nLbl++] = ne;
      lbl[nLbl++] = vq + 1;
      lbl[nLbl++] = vend - 1;
      p = om ? vend : skipBlanks(vend);
      if (p < limit && b[p] == ',') {
        p++;
      } else if (om && (p >= limit || b[p] != '}')) {
        throw parseError(p, "expected comma or brace close", p + 1);
      }
    }
  }

  /** Scans a quoted string at {@code p} ('"'); returns the index after the closing quote. */
  private int quoted(int p, String what) {
    int i = p + 1;
    boolean nonAscii = false;
    while (i < limit) {
      byte c = b[i];
      if (c == '"') {
        quotedNonAscii = nonAscii;
        return i + 1;
      }
      nonAscii |= c < 0;
      if (c == '\n') {
        break;
      }
      if (c == '\\') {
        if (i + 1 >= limit || b[i + 1] == '\n') {
          break;
        }
        i += 2;
      } else {
        i++;
      }
    }
    throw parseError(p, what, Math.min(i + 1, limit));
  }

  private int scanMetricName(int p) {
    if (p >= limit) {
      return -1;
    }
    if (b[p] == '"') {
      int e = quoted(p, "expected metric name");
      return e;
    }
    if (!isMetricNameStart(b[p])) {
      return -1;
    }
    int e = p + 1;
    while (e < limit && isMetricNameByte(b[e])) {
      e++;
    }
    return e;
  }

  // ---- accessors ----

  /** 1-based line number of the current entry. */
  public int line() {
    return lineNo;
  }

  /** The family name of a TYPE/HELP/UNIT entry, or the metric name of a SERIES entry. */
  public String metricFamily() {
    int s = nameStart;
    int e = nameEnd;
    if (s < e && b[s] == '"' && b[e - 1] == '"') {
      s++;
      e--;
    }
    return unescape(new String(b, s, e - s, StandardCharsets.UTF_8), false);
  }

  /** The type of the latest {@code # TYPE} (UNKNOWN before any). */
  public MetricType type() {
    return type;
  }

  /** Help text of a HELP entry, with escapes resolved. */
  public String help() {
    return unescape(new String(b, metaStart, metaEnd - metaStart, StandardCharsets.UTF_8), !om);
  }

  /** Unit of a UNIT entry. */
  public String unit() {
    return unit;
  }

  /** The whole line of a COMMENT entry. */
  public String comment() {
    return new String(b, metaStart, metaEnd - metaStart, StandardCharsets.UTF_8);
  }

  public double value() {
    return value;
  }

  /** Never valid: the text formats carry no native histograms. */
  @Override
  public FloatHistogram histogram() {
    throw new IllegalStateException("the text formats have no native histograms");
  }

  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  /** Milliseconds since the epoch; meaningful only when {@link #hasTimestamp()}. */
  public long timestamp() {
    return timestamp;
  }

  /**
   * With {@code createdAsStart} (OpenMetrics): the value of the current series' {@code _created}
   * line in milliseconds, 0 when it has none. As Prometheus, a counter's, summary's or
   * histogram's {@code NAME_created} line with the series' labels ({@code le} of a histogram and
   * {@code quantile} of a summary aside) is looked for among the lines that follow: the first
   * {@code _created} line before the next metadata line decides (OpenMetrics writes the lines of
   * one metric together). The line matched is kept, so the metric's other series (a histogram's
   * other buckets, and those after the {@code _created} line) get its value without reading
   * ahead. What a look-ahead found (that first {@code _created} line, or none up to a line) also
   * answers every later series before that line, so each line is read ahead at most once: many
   * exporters write no {@code _created} lines, and a family of n counters must not cost n²/2
   * lines. Otherwise 0: text 0.0.4 has no start timestamps, and without {@code createdAsStart}
   * {@code _created} lines are series of their own.
   */
  @Override
  public long startTimestamp() {
    if (!createdAsStart || !takesCreated(type) || familyStart < 0 || !inFamily()) {
      return 0;
    }
    if (created.lineStart >= 0 && created.isOf(this)) {
      return created.ms;
    }
    if (aheadStop < pos) {
      lookAhead();
    }
    if (ahead.lineStart < 0 || !ahead.isOf(this)) {
      return 0; // no _created line before the next metadata line, or another metric's first
    }
    created.copy(ahead);
    return created.ms;
  }

  /**
   * Reads the lines from {@code pos} up to the first {@code _created} line ({@link #ahead} then
   * holds it) or up to the first line that is no series: metadata, the end, or a line that does
   * not parse (the parse proper reports it when it gets there). A series line whose name is
   * plain is only skimmed (its name, then on to the next newline: OpenMetrics allows no newline
   * inside a line); a {@code _created} line, or one whose name is quoted in its braces, is
   * parsed.
   */
  private void lookAhead() {
    TextParser p = scanner;
    if (p == null) {
      p = new TextParser(b, pos, limit - pos, true);
      scanner = p;
    }
    ahead.lineStart = -1;
    int q = pos;
    try {
      while (q < limit) {
        linesReadAhead++;
        byte c = b[q];
        if (c == '#') {
          aheadStop = q; // metadata or # EOF
          return;
        }
        if (c != '{') {
          int ne = isMetricNameStart(c) ? scanMetricName(q) : -1;
          if (ne < 0) {
            aheadStop = q; // no series (a blank line, say): the parse reports it
            return;
          }
          if (!endsWithCreated(q, ne)) {
            int eol = endOfLine(ne);
            q = eol + 1;
            continue;
          }
        }
        p.pos = q; // a series line before the end: the scanner meets no # EOF and no end
        if (p.next() != Entry.SERIES) {
          aheadStop = q;
          return;
        }
        if (p.nameEndsWithCreated()) {
          ahead.read(p);
          aheadStop = q;
          return;
        }
        q = p.pos;
      }
      aheadStop = limit;
    } catch (ExpositionParseException e) {
      aheadStop = q;
    }
  }

  /** Lines read by look-aheads for {@code _created} lines so far (tests bound the work). */
  long linesReadAhead() {
    return linesReadAhead;
  }

  /**
   * A {@code _created} line read ahead, as offsets into the body: where it is, and what tells
   * whose it is (its name and labels as written). {@code lineStart} is -1 while there is none.
   * A copy rather than the look-ahead parser itself, which moves on.
   */
  private static final class CreatedLine {
    int lineStart = -1;
    int lineEnd;
    long ms;
    private byte[] b;
    private int nameStart;
    private int nameEnd;
    private int[] lbl = new int[16];
    private int nLbl;

    /** Takes the line {@code p} has just read. */
    void read(TextParser p) {
      b = p.b;
      lineStart = p.lineStart;
      lineEnd = p.pos;
      nameStart = p.nameStart;
      nameEnd = p.nameEnd;
      setLabels(p.lbl, p.nLbl);
      ms = p.value > 0 && p.value < Long.MAX_VALUE / 1000.0 ? (long) (p.value * 1000.0) : 0;
    }

    void copy(CreatedLine o) {
      b = o.b;
      lineStart = o.lineStart;
      lineEnd = o.lineEnd;
      nameStart = o.nameStart;
      nameEnd = o.nameEnd;
      setLabels(o.lbl, o.nLbl);
      ms = o.ms;
    }

    private void setLabels(int[] from, int n) {
      if (lbl.length < n) {
        lbl = new int[n];
      }
      System.arraycopy(from, 0, lbl, 0, n);
      nLbl = n;
    }

    /**
     * Whether this line belongs to {@code series}'s metric: its name is the family's with
     * {@code _created}, and its labels are those of {@code series} as written, in order, without
     * the bucket or quantile label of {@code series}'s type.
     */
    boolean isOf(TextParser series) {
      int n = series.familyEnd - series.familyStart;
      if (nameEnd - nameStart - CREATED.length != n || !Arrays.equals(b, nameStart,
          nameStart + n, series.b, series.familyStart, series.familyEnd)) {
        return false;
      }
      String ignored = series.type == MetricType.HISTOGRAM ? "le"
          : series.type == MetricType.SUMMARY ? "quantile" : null;
      int[] sl = series.lbl;
      int i = nextLabel(b, lbl, nLbl, 0, ignored);
      int j = nextLabel(series.b, sl, series.nLbl, 0, ignored);
      while (i < nLbl && j < series.nLbl) {
        if (!Arrays.equals(b, lbl[i], lbl[i + 1], series.b, sl[j], sl[j + 1])
            || !Arrays.equals(b, lbl[i + 2], lbl[i + 3], series.b, sl[j + 2], sl[j + 3])) {
          return false;
        }
        i = nextLabel(b, lbl, nLbl, i + 4, ignored);
        j = nextLabel(series.b, sl, series.nLbl, j + 4, ignored);
      }
      return i >= nLbl && j >= series.nLbl;
    }

    /** The index of the first label at or after {@code i} not named {@code ignored}. */
    private static int nextLabel(byte[] b, int[] lbl, int n, int i, String ignored) {
      while (i < n && ignored != null && asciiEquals(b, lbl[i], lbl[i + 1], ignored)) {
        i += 4;
      }
      return i;
    }
  }

  /** Whether this type's metrics have {@code _created} lines in OpenMetrics. */
  private static boolean takesCreated(MetricType t) {
    return t == MetricType.COUNTER || t == MetricType.SUMMARY || t == MetricType.HISTOGRAM;
  }

  private static final byte[] CREATED = "_created".getBytes(StandardCharsets.US_ASCII);

  private boolean nameEndsWithCreated() {
    return endsWithCreated(nameStart, nameEnd);
  }

  private boolean endsWithCreated(int from, int to) {
    return to - from > CREATED.length
        && Arrays.equals(b, to - CREATED.length, to, CREATED, 0, CREATED.length);
  }

  /** Whether the current series' name begins with the latest TYPE line's family name. */
  private boolean inFamily() {
    int n = familyEnd - familyStart;
    return nameEnd - nameStart >= n
        && Arrays.equals(b, nameStart, nameStart + n, b, familyStart, familyEnd);
  }

  public boolean hasExemplar() {
    return hasExemplar;
  }

  /** The exemplar of the current series, or null. */
  public Exemplar exemplar() {
    if (!hasExemplar) {
      return null;
    }
    Labels.Builder lb = Labels.builder();
    for (int i = 0; i < nEx; i += 4) {
      lb.set(string(ex[i], ex[i + 1]), string(ex[i + 2], ex[i + 3]));
    }
    return new Exemplar(lb.build(), exValue, exHasTimestamp, exTimestamp);
  }

  @Override
  public java.util.List<Exemplar> exemplars() {
    return hasExemplar ? java.util.List.of(exemplar()) : java.util.List.of();
  }

  @Override
  public long familyNameHash() {
    return fnv(nameStart, nameEnd);
  }

  @Override
  public boolean familyNameEquals(byte[] other) {
    return Arrays.equals(b, nameStart, nameEnd, other, 0, other.length);
  }

  @Override
  public byte[] familyNameBytes() {
    return Arrays.copyOfRange(b, nameStart, nameEnd);
  }

  @Override
  public boolean helpEquals(byte[] other) {
    return Arrays.equals(b, metaStart, metaEnd, other, 0, other.length);
  }

  @Override
  public byte[] helpBytes() {
    return Arrays.copyOfRange(b, metaStart, metaEnd);
  }

  private long fnv(int from, int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h ^= b[i];
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** A hash of the raw series text (name and labels as written), for caches. */
  public long seriesHash() {
    long h = 0xcbf29ce484222325L;
    for (int i = seriesStart; i < seriesEnd; i++) {
      h ^= b[i];
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Whether the raw series text equals {@code other[from, to)}. */
  public boolean seriesBytesEqual(byte[] other, int from, int to) {
    return Arrays.equals(b, seriesStart, seriesEnd, other, from, to);
  }

  /** A copy of the raw series text, for use as a cache key. */
  public byte[] seriesBytes() {
    return Arrays.copyOfRange(b, seriesStart, seriesEnd);
  }

  /**
   * The labels of the current series, {@code __name__} included. As in Prometheus, values of
   * {@code le} (histograms) and {@code quantile} (summaries) are normalised to
   * {@code FormatOpenMetricsFloat} form, so {@code le="1"} reads as {@code 1.0}.
   *
   * @throws ExpositionParseException when a label name repeats
   */
  public Labels labels() {
    Labels.Builder lb = Labels.builder();
    lb.set(Labels.METRIC_NAME, metricFamily());
    String[] names = nLbl > 0 ? new String[nLbl / 4] : null;
    for (int i = 0; i < nLbl; i += 4) {
      String name = shared(string(lbl[i], lbl[i + 1]));
      if (name.equals(Labels.METRIC_NAME)) {
        throw error(lbl[i], "label name " + quote(name) + " is not unique: invalid sample");
      }
      for (int k = 0; k < i / 4; k++) {
        if (names[k].equals(name)) {
          throw error(lbl[i], "label name " + quote(name) + " is not unique: invalid sample");
        }
      }
      names[i / 4] = name;
      String v = shared(string(lbl[i + 2], lbl[i + 3]));
      if ((type == MetricType.HISTOGRAM && name.equals("le"))
          || (type == MetricType.SUMMARY && name.equals("quantile"))) {
        v = normalizeFloat(v);
      }
      lb.set(name, v);
    }
    return lb.build();
  }

  private static String normalizeFloat(String v) {
    try {
      return GoFloat.formatOpenMetrics(GoFloat.parse(v));
    } catch (GoFloat.SyntaxException e) {
      return v;
    }
  }

  // ---- helpers ----

  // One String per distinct label name or value of this body: a target's series repeat the same
  // names and mostly the same values (namespace, pod, node...), and the scrape cache and the
  // sender keep every series' labels for as long as it lives.
  private final java.util.HashMap<String, String> labelStrings = new java.util.HashMap<>();

  private String shared(String s) {
    String known = labelStrings.putIfAbsent(s, s);
    return known != null ? known : s;
  }

  private String string(int from, int to) {
    String s = new String(b, from, to - from, StandardCharsets.UTF_8);
    return s.indexOf('\\') >= 0 ? unescape(s, false) : s;
  }

  /** Resolves {@code \\}, {@code \n} and (unless {@code helpOnly}) {@code \"}; keeps others. */
  private static String unescape(String s, boolean promHelp) {
    int i = s.indexOf('\\');
    if (i < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    sb.append(s, 0, i);
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        if (n == '\\') {
          sb.append('\\');
          i += 2;
          continue;
        }
        if (n == 'n') {
          sb.append('\n');
          i += 2;
          continue;
        }
        if (n == '"' && !promHelp) {
          sb.append('"');
          i += 2;
          continue;
        }
      }
      sb.append(c);
      i++;
    }
    return sb.toString();
  }

  private double parseFloat(int from, int to) {
    try {
      double v = GoFloat.parse(b, from, to);
      // Text cannot carry NaN payloads, so every NaN is the normal one (never the stale marker).
      return Double.isNaN(v) ? Double.NaN : v;
    } catch (GoFloat.SyntaxException e) {
      throw error(from, e.getMessage() + " while parsing: " + GoQuoting.quote(b, lineStart, to));
    }
  }

  private long parseInt(int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (v > (Long.MAX_VALUE - d) / 10) {
        throw error(from, "strconv.ParseInt: parsing " + GoQuoting.quote(b, from, to)
            + ": value out of range while parsing: " + GoQuoting.quote(b, lineStart, to));
      }
      v = v * 10 + d;
    }
    return v;
  }

  private long secondsToMillis(int from, int to, String what) {
    double ts = parseFloat(from, to);
    if (Double.isNaN(ts) || Double.isInfinite(ts)) {
      throw error(from, what + GoFloat.formatOpenMetrics(ts));
    }
    return (long) (ts * 1000);
  }

  private int skipBlanks(int p) {
    while (p < limit && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    return p;
  }

  private int endOfLine(int p) {
    while (p < limit && b[p] != '\n') {
      p++;
    }
    return p;
  }

  private boolean startsWith(int p, String s) {
    return p + s.length() <= limit && asciiEquals(b, p, p + s.length(), s);
  }

  /** Whether {@code b[from, to)} is the ASCII string {@code s}. */
  private static boolean asciiEquals(byte[] b, int from, int to, String s) {
    if (to - from != s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (b[from + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValueByte(byte c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '{' && c != 0;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  // Character classes of name bytes, one table lookup per byte in the hottest loops.
  private static final byte LABEL_START = 1;
  private static final byte LABEL = 2;
  private static final byte METRIC_START = 4;
  private static final byte METRIC = 8;
  private static final byte[] CLASSES = classes();

  private static byte[] classes() {
    byte[] t = new byte[256];
    for (int c = 0; c < 128; c++) {
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      int k = 0;
      if (letter) {
        k |= LABEL_START | LABEL | METRIC_START | METRIC;
      }
      if (digit) {
        k |= LABEL | METRIC;
      }
      if (c == ':') {
        k |= METRIC_START | METRIC;
      }
      t[c] = (byte) k;
    }
    return t;
  }

  private static boolean isLabelNameStart(byte c) {
    return (CLASSES[c & 0xff] & LABEL_START) != 0;
  }

  private static boolean isLabelNameByte(byte c) {
    return (CLASSES[c & 0xff] & LABEL) != 0;
  }

  private static boolean isMetricNameStart(byte c) {
    return (CLASSES[c & 0xff] & METRIC_START) != 0;
  }

  private static boolean isMetricNameByte(byte c) {
    return (CLASSES[c & 0xff] & METRIC) != 0;
  }

  private static String quote(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return GoQuoting.quote(bytes, 0, bytes.length);
  }

  /**
   * Prometheus's "{expected}, got {text} while parsing: {line so far}", where the offending text
   * runs from {@code at} to {@code gotEnd}.
   */
  private ExpositionParseException parseError(int at, String expected, int gotEnd) {
    int from = Math.min(at, limit);
    int to = Math.min(Math.max(gotEnd, from), limit);
    return error(at, expected + ", got " + GoQuoting.quote(b, from, to)
        + " while parsing: " + GoQuoting.quote(b, lineStart, to));
  }

  private ExpositionParseException error(int at, String detail) {
    int col = Math.max(1, Math.min(at, limit) - lineStart + 1);
    return new ExpositionParseException(Math.max(lineNo, 1), col, detail);
  }
}
