package dev.vigil.model.histogram;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code {{...}}} native histogram notation of Prometheus's test scripts and promtool unit
 * tests, e.g. {@code {{schema:1 sum:-0.3 count:3.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7]
 * offset:-3 n_buckets:[4.1 5] n_offset:-5 counter_reset_hint:gauge}}}.
 *
 * <p>All keys are optional, in any order, case-insensitive, each at most once. As in Prometheus's
 * parser, a bucket list becomes a single span starting at {@code offset} (default 0) with every
 * listed value, zeros included; {@code custom_values} are the custom bucket upper bounds (schema
 * -53). Absent fields are 0 and the hint is UNKNOWN. {@link #format} prints Prometheus's {@code
 * TestExpression}; {@link #matchesExpected} is promqltest's comparison.
 */
public final class HistogramNotation {
  /** Relative tolerance of promqltest's float comparisons ({@code defaultEpsilon}). */
  public static final double EPSILON = 0.000001;

  private static final double MIN_NORMAL = Double.MIN_NORMAL;
  private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  private HistogramNotation() {}

  /** A parsed literal, whether it set {@code counter_reset_hint} explicitly, and where it ended. */
  public record Literal(FloatHistogram histogram, boolean counterResetHintSet, int end) {}

  /** Parses exactly one literal (surrounding whitespace allowed). */
  public static FloatHistogram parse(String s) {
    return parseLiteral(s).histogram();
  }

  /** Parses exactly one literal and reports whether the hint was given explicitly. */
  public static Literal parseLiteral(String s) {
    int start = skipSpaces(s, 0);
    Literal lit = parseAt(s, start);
    int end = skipSpaces(s, lit.end());
    if (end != s.length()) {
      throw error(s, end, "unexpected text after histogram: \"" + s.substring(end) + "\"");
    }
    return lit;
  }

  /**
   * Parses the literal starting at {@code start} (which must point at {@code {{}) and returns it
   * with the index just after its closing {@code }}}, so a series parser can continue there
   * (e.g. with {@code x3} or {@code +{{...}}x3}, see {@link #series}).
   */
  public static Literal parseAt(CharSequence s, int start) {
    return new Parser(s, start).parse();
  }

  /**
   * Expands {@code base+incrementxtimes} (or {@code base-incrementxtimes}): {@code times + 1}
   * histograms, the i-th being {@code base ± i*increment} by repeated Prometheus Add/Sub. Like
   * Prometheus, fails if the base has a higher schema than the increment.
   */
  public static List<FloatHistogram> series(
      FloatHistogram base, FloatHistogram increment, int times, boolean subtract) {
    List<FloatHistogram> out = new ArrayList<>(times + 1);
    out.add(base);
    FloatHistogram cur = base;
    for (int i = 1; i <= times; i++) {
      if (cur.schema() > increment.schema()) {
        throw new IllegalArgumentException("error combining histograms: cannot merge from schema "
            + increment.schema() + " to " + cur.schema());
      }
      cur = (subtract ? cur.sub(increment) : cur.add(increment)).histogram();
      out.add(cur);
    }
    return out;
  }

  /**
   * {@link #series(FloatHistogram, FloatHistogram, int, boolean)} for parsed literals. As in
   * Prometheus's parser, every element takes its "hint given explicitly" flag from the increment
   * literal (the last one parsed), and {@code end} is the increment's end.
   */
  public static List<Literal> series(Literal base, Literal increment, int times, boolean subtract) {
    List<FloatHistogram> hs = series(base.histogram(), increment.histogram(), times, subtract);
    List<Literal> out = new ArrayList<>(hs.size());
    for (FloatHistogram h : hs) {
      out.add(new Literal(h, increment.counterResetHintSet(), increment.end()));
    }
    return out;
  }

  /**
   * Prometheus's {@code TestExpression}: the histogram compacted into at most one span per side,
   * fields that are zero or default omitted, numbers in Go's {@code %g} format.
   */
  public static String format(FloatHistogram h) {
    FloatHistogram m = h.compact(Integer.MAX_VALUE);
    List<String> res = new ArrayList<>();
    if (m.schema() != 0) {
      res.add("schema:" + m.schema());
    }
    if (m.count() != 0) {
      res.add("count:" + formatFloat(m.count()));
    }
    if (m.sum() != 0) {
      res.add("sum:" + formatFloat(m.sum()));
    }
    if (m.zeroCount() != 0) {
      res.add("z_bucket:" + formatFloat(m.zeroCount()));
    }
    if (m.zeroThreshold() != 0) {
      res.add("z_bucket_w:" + formatFloat(m.zeroThreshold()));
    }
    if (m.usesCustomBuckets()) {
      res.add("custom_values:" + formatList(m.customValues()));
    }
    switch (m.counterResetHint()) {
      case UNKNOWN -> { }
      case COUNTER_RESET -> res.add("counter_reset_hint:reset");
      case NOT_COUNTER_RESET -> res.add("counter_reset_hint:not_reset");
      case GAUGE -> res.add("counter_reset_hint:gauge");
    }
    addBuckets(res, "buckets", "offset", m.positiveBuckets(), m.positiveSpans());
    addBuckets(res, "n_buckets", "n_offset", m.negativeBuckets(), m.negativeSpans());
    return "{{" + String.join(" ", res) + "}}";
  }

  private static void addBuckets(
      List<String> res, String bucketsKey, String offsetKey, double[] buckets, List<Span> spans) {
    if (spans.size() > 1) {
      throw new IllegalStateException("histogram with multiple spans not supported");
    }
    for (Span span : spans) {
      if (span.offset() != 0) {
        res.add(offsetKey + ":" + span.offset());
      }
    }
    if (buckets.length > 0) {
      res.add(bucketsKey + ":" + formatList(buckets));
    }
  }

  private static String formatList(double[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(formatFloat(values[i]));
    }
    return sb.append(']').toString();
  }

  /**
   * Go's {@code %g} (shortest precision): the shortest decimal that round-trips, in exponent
   * form ({@code 1e+06}, {@code 1.5e-05}) when the decimal exponent is below -4 or at least 6,
   * {@code +Inf}/{@code -Inf}/{@code NaN} for the specials.
   */
  public static String formatFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int nd = digits.length();
    // value = 0.digits * 10^dp
    int dp = nd - d.scale();
    int exp = dp - 1;
    int eprec = 6; // strconv's 'g' with shortest precision decides with precision 6
    StringBuilder sb = new StringBuilder();
    if (v < 0) {
      sb.append('-');
    }
    if (exp < -4 || exp >= eprec) {
      sb.append(digits.charAt(0));
      if (nd > 1) {
        sb.append('.').append(digits, 1, nd);
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        sb.append('0');
      }
      sb.append(ae);
      return sb.toString();
    }
    if (dp <= 0) {
      sb.append("0.");
      for (int i = 0; i < -dp; i++) {
        sb.append('0');
      }
      sb.append(digits);
    } else if (dp >= nd) {
      sb.append(digits);
      for (int i = nd; i < dp; i++) {
        sb.append('0');
      }
    } else {
      sb.append(digits, 0, dp).append('.').append(digits, dp, nd);
    }
    return sb.toString();
  }

  /**
   * promqltest's {@code compareNativeHistogram} after compacting both sides with {@code
   * Compact(0)}: equal schema, zero threshold, custom bounds and span layout; count, sum, zero
   * count and buckets equal within {@link #EPSILON} (relative); the hint only when {@code
   * counterResetHintSet} (the expected literal gave one).
   */
  public static boolean matchesExpected(
      FloatHistogram expected, FloatHistogram actual, boolean counterResetHintSet) {
    if (expected == null || actual == null) {
      return false;
    }
    FloatHistogram exp = expected.compact(0);
    FloatHistogram cur = actual.compact(0);
    if (exp.schema() != cur.schema()
        || !almostEqual(exp.count(), cur.count(), EPSILON)
        || !almostEqual(exp.sum(), cur.sum(), EPSILON)) {
      return false;
    }
    if (exp.usesCustomBuckets()
        && !BucketBounds.customBoundsMatch(exp.customValues(), cur.customValues())) {
      return false;
    }
    if (exp.zeroThreshold() != cur.zeroThreshold()
        || !almostEqual(exp.zeroCount(), cur.zeroCount(), EPSILON)) {
      return false;
    }
    if (!Layout.spansMatch(exp.negativeSpans(), cur.negativeSpans())
        || !bucketsAlmostEqual(exp.negativeBuckets(), cur.negativeBuckets())
        || !Layout.spansMatch(exp.positiveSpans(), cur.positiveSpans())
        || !bucketsAlmostEqual(exp.positiveBuckets(), cur.positiveBuckets())) {
      return false;
    }
    return !counterResetHintSet || exp.counterResetHint() == cur.counterResetHint();
  }

  /** {@link #matchesExpected} for a parsed expected literal. */
  public static boolean matchesExpected(Literal expected, FloatHistogram actual) {
    return matchesExpected(expected.histogram(), actual, expected.counterResetHintSet());
  }

  private static boolean bucketsAlmostEqual(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!almostEqual(a[i], b[i], EPSILON)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prometheus's {@code almost.Equal}: equal if both are the stale marker, both NaN, identical,
   * or differ by less than {@code epsilon} relative to their absolute sum (near zero: absolute,
   * scaled by the smallest normal double).
   */
  public static boolean almostEqual(double a, double b, double epsilon) {
    boolean staleA = Double.doubleToRawLongBits(a) == STALE_NAN_BITS;
    boolean staleB = Double.doubleToRawLongBits(b) == STALE_NAN_BITS;
    if (staleA || staleB) {
      return staleA && staleB;
    }
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      return diff < epsilon * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  private static int skipSpaces(CharSequence s, int i) {
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static HistogramNotationException error(CharSequence s, int pos, String msg) {
    return new HistogramNotationException(msg + " at position " + pos + " in " + s, pos);
  }

  /** A malformed histogram literal; {@link #position()} is the offending character index. */
  public static final class HistogramNotationException extends IllegalArgumentException {
    private final int position;

    HistogramNotationException(String message, int position) {
      super(message);
      this.position = position;
    }

    public int position() {
      return position;
    }
  }

  /** Recursive-descent parser for one literal. */
  private static final class Parser {
    private final CharSequence s;
    private int pos;
    private final Set<String> seen = new HashSet<>();

    private int schema;
    private double sum;
    private double count;
    private double zeroCount;
    private double zeroThreshold;
    private double[] customValues;
    private CounterResetHint hint = CounterResetHint.UNKNOWN;
    private boolean hintSet;
    private double[] buckets;
    private int offset;
    private double[] negBuckets;
    private int negOffset;

    Parser(CharSequence s, int start) {
      this.s = s;
      this.pos = start;
    }

    Literal parse() {
      expect("{{");
      pos = skipSpaces(s, pos);
      while (!lookingAt("}}")) {
        if (pos >= s.length()) {
          throw error(s, pos, "histogram description incomplete");
        }
        item();
        int before = pos;
        pos = skipSpaces(s, pos);
        if (!lookingAt("}}") && before == pos) {
          throw error(s, pos, "expected space or }} in histogram description");
        }
      }
      pos += 2;
      List<Span> posSpans = buckets == null || buckets.length == 0
          ? List.of() : List.of(new Span(offset, buckets.length));
      List<Span> negSpans = negBuckets == null || negBuckets.length == 0
          ? List.of() : List.of(new Span(negOffset, negBuckets.length));
      FloatHistogram h = new FloatHistogram(hint, schema, zeroThreshold, zeroCount, count, sum,
          posSpans, buckets == null ? new double[0] : buckets, negSpans,
          negBuckets == null ? new double[0] : negBuckets, customValues);
      return new Literal(h, hintSet, pos);
    }

    private void item() {
      int keyStart = pos;
      while (pos < s.length() && (Character.isLetter(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      String key = s.subSequence(keyStart, pos).toString().toLowerCase(Locale.ROOT);
      if (key.isEmpty()) {
        throw error(s, pos, "unexpected character '" + s.charAt(pos)
            + "' in histogram description, expected a key like buckets:[5 10 7]");
      }
      if (pos >= s.length() || s.charAt(pos) != ':') {
        throw error(s, pos, "missing `:` for histogram descriptor \"" + key + "\"");
      }
      pos++;
      if (!seen.add(key)) {
        throw error(s, keyStart, "duplicate key \"" + key + "\" in histogram");
      }
      switch (key) {
        case "schema" -> schema = integer();
        case "sum" -> sum = number();
        case "count" -> count = number();
        case "z_bucket" -> zeroCount = number();
        case "z_bucket_w" -> zeroThreshold = number();
        case "custom_values" -> customValues = list();
        case "buckets" -> buckets = list();
        case "offset" -> offset = integer();
        case "n_buckets" -> negBuckets = list();
        case "n_offset" -> negOffset = integer();
        case "counter_reset_hint" -> {
          hint = hint(word());
          hintSet = true;
        }
        default -> throw error(s, keyStart, "bad histogram descriptor found: \"" + key + "\"");
      }
    }

    private CounterResetHint hint(String w) {
      return switch (w.toLowerCase(Locale.ROOT)) {
        case "unknown" -> CounterResetHint.UNKNOWN;
        case "reset" -> CounterResetHint.COUNTER_RESET;
        case "not_reset" -> CounterResetHint.NOT_COUNTER_RESET;
        case "gauge" -> CounterResetHint.GAUGE;
        default -> throw error(s, pos, "error parsing counter_reset_hint: unknown value " + w);
      };
    }

    private double[] list() {
      expect("[");
      List<Double> values = new ArrayList<>();
      pos = skipSpaces(s, pos);
      while (!lookingAt("]")) {
        if (pos >= s.length()) {
          throw error(s, pos, "unterminated bucket list");
        }
        values.add(number());
        int before = pos;
        pos = skipSpaces(s, pos);
        if (!lookingAt("]") && before == pos) {
          throw error(s, pos, "invalid character in buckets description: '" + s.charAt(pos) + "'");
        }
      }
      pos++;
      double[] out = new double[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = values.get(i);
      }
      return out;
    }

    private String word() {
      int start = pos;
      while (pos < s.length() && !isSpace(s.charAt(pos)) && s.charAt(pos) != ']'
          && !lookingAt("}}")) {
        pos++;
      }
      if (start == pos) {
        throw error(s, pos, "missing value");
      }
      return s.subSequence(start, pos).toString();
    }

    private int integer() {
      int start = pos;
      String w = word();
      String digits = w.startsWith("-") ? w.substring(1) : w;
      if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
        throw error(s, start, "expected an integer, got \"" + w + "\"");
      }
      try {
        return Integer.parseInt(w);
      } catch (NumberFormatException e) {
        throw error(s, start, "integer out of range: \"" + w + "\"");
      }
    }

    private double number() {
      int start = pos;
      String w = word();
      try {
        return parseNumber(w);
      } catch (NumberFormatException e) {
        throw error(s, start, "error parsing number: \"" + w + "\"");
      }
    }

    private void expect(String tok) {
      if (!lookingAt(tok)) {
        throw error(s, pos, "expected \"" + tok + "\"");
      }
      pos += tok.length();
    }

    private boolean lookingAt(String tok) {
      if (pos + tok.length() > s.length()) {
        return false;
      }
      for (int i = 0; i < tok.length(); i++) {
        if (s.charAt(pos + i) != tok.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * A number as PromQL's lexer reads it: decimal or exponent floats, hex integers, octal
   * integers with a leading 0 (Go's ParseInt base 0), Inf and NaN (any case, optionally signed).
   * Rejects Java-only forms such as a trailing 'd' or 'f'.
   */
  static double parseNumber(String w) {
    String t = w;
    boolean neg = false;
    if (t.startsWith("-") || t.startsWith("+")) {
      neg = t.charAt(0) == '-';
      t = t.substring(1);
    }
    String lower = t.toLowerCase(Locale.ROOT);
    double v;
    if (lower.equals("inf") || lower.equals("infinity")) {
      v = Double.POSITIVE_INFINITY;
    } else if (lower.equals("nan")) {
      v = Double.NaN;
    } else if (lower.startsWith("0x")) {
      v = Long.parseLong(t.substring(2), 16);
    } else if (t.length() > 1 && t.charAt(0) == '0' && t.chars().allMatch(c -> c >= '0' && c <= '7')) {
      // PromQL reads integers with Go's ParseInt base 0 first: a leading 0 means octal.
      v = Long.parseLong(t.substring(1), 8);
    } else {
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (!(Character.isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
          throw new NumberFormatException(w);
        }
      }
      if (t.isEmpty()) {
        throw new NumberFormatException(w);
      }
      v = Double.parseDouble(t);
    }
    return neg ? -v : v;
  }
}
