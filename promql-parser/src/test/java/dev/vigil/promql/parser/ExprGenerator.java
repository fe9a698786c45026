package dev.vigil.promql.parser;

import java.util.List;
import java.util.Random;

/**
 * Random PromQL that is valid by construction: every node is generated for the value type its
 * parent needs, and compound operands are parenthesised so precedence never decides anything.
 * Seeded, so a failure names the seed and case that reproduce it.
 */
final class ExprGenerator {
  private static final List<String> NAMES = List.of("foo", "http_requests_total", "a:b:c",
      "up", "sum", "offset", "step", "by", "and", "start", "anchored");
  private static final List<String> LABELS = List.of("job", "instance", "le", "a_b", "__name__");
  private static final List<String> QUOTED_LABELS = List.of("\"my.label\"", "'ü'", "\"a b\"");
  private static final List<String> VALUES = List.of("\"x\"", "'y'", "`r\\aw`", "\"a\\nb\"",
      "\"\\u00e9\"", "\".+\"", "\"v|w\"", "\"\\x41\"", "\"\"");
  private static final List<String> NUMBERS = List.of("1", "0.5", ".5", "5.", "1e3", "2E-2",
      "0x1F", "0755", "1_000", "Inf", "NaN", "inf", "1.5e+10", "0", "42", "3m", "1h30m",
      "100ms");
  private static final List<String> DURATIONS = List.of("5m", "1h", "30s", "1d", "1w", "1y",
      "90s", "1h30m", "1500ms", "10", "2.5");
  private static final List<String> VECTOR_FUNCS = List.of("abs", "ceil", "floor", "exp",
      "sqrt", "ln", "sgn", "timestamp", "sort", "sort_desc", "histogram_count", "absent");
  private static final List<String> RANGE_FUNCS = List.of("rate", "irate", "increase", "delta",
      "deriv", "changes", "resets", "avg_over_time", "max_over_time", "last_over_time",
      "present_over_time", "absent_over_time", "mad_over_time");
  private static final List<String> AGGS = List.of("sum", "avg", "min", "max", "count",
      "group", "stddev", "stdvar");
  private static final List<String> ARITH = List.of("+", "-", "*", "/", "%", "^", "atan2");
  private static final List<String> CMP = List.of("==", "!=", "<", "<=", ">", ">=");
  private static final List<String> SET = List.of("and", "or", "unless");

  private final Random r;

  ExprGenerator(long seed) {
    this.r = new Random(seed);
  }

  private <T> T pick(List<T> l) {
    return l.get(r.nextInt(l.size()));
  }

  private boolean chance(int percent) {
    return r.nextInt(100) < percent;
  }

  String vector(int depth) {
    int k = depth <= 0 ? 0 : r.nextInt(9);
    return switch (k) {
      case 0, 1 -> selector(true);
      case 2 -> pick(VECTOR_FUNCS) + "(" + vector(depth - 1) + ")";
      case 3 -> pick(RANGE_FUNCS) + "(" + matrix(depth - 1) + ")";
      case 4 -> aggregation(depth);
      case 5 -> "(" + vector(depth - 1) + " " + vectorOp(depth) + " " + vector(depth - 1) + ")";
      case 6 -> "(" + vector(depth - 1) + " " + pick(ARITH) + " " + scalar(depth - 1) + ")";
      case 7 -> (chance(50) ? "-" : "+") + "(" + vector(depth - 1) + ")";
      default -> switch (r.nextInt(4)) {
        case 0 -> "label_replace(" + vector(depth - 1) + ", \"dst\", \"$1\", \"src\", \"(.*)\")";
        case 1 -> "histogram_quantile(" + scalar(depth - 1) + ", " + vector(depth - 1) + ")";
        case 2 -> "clamp(" + vector(depth - 1) + ", " + scalar(depth - 1) + ", "
            + scalar(depth - 1) + ")";
        default -> "round(" + vector(depth - 1) + (chance(50) ? ", 0.1" : "") + ")";
      };
    };
  }

  private String vectorOp(int depth) {
    int k = r.nextInt(3);
    if (k == 0) {
      String op = pick(SET);
      return op + (chance(40) ? " " + onOrIgnoring() : "");
    }
    StringBuilder sb = new StringBuilder(k == 1 ? pick(ARITH) : pick(CMP));
    if (k == 2 && chance(50)) {
      sb.append(" bool");
    }
    if (chance(50)) {
      sb.append(' ').append(onOrIgnoring());
      if (chance(40)) {
        // Always with parentheses: "group_left (x)" would read (x) as the include list.
        sb.append(chance(50) ? " group_left" : " group_right");
        sb.append("(").append(chance(50) ? "" : "extra").append(")");
      }
    }
    if (chance(20)) {
      sb.append(switch (r.nextInt(4)) {
        case 0 -> " fill(0)";
        case 1 -> " fill_left(-1.5)";
        case 2 -> " fill_right(NaN)";
        default -> " fill_right(2) fill_left(3)";
      });
    }
    return sb.toString();
  }

  private String onOrIgnoring() {
    String labels = chance(30) ? "" : pick(LABELS) + (chance(30) ? ", " + pick(QUOTED_LABELS) : "");
    return (chance(50) ? "on" : "ignoring") + "(" + labels + ")";
  }

  private String aggregation(int depth) {
    String mod = chance(50) ? "" : (chance(50) ? "by" : "without") + " (" + pick(LABELS)
        + (chance(30) ? ", " + pick(QUOTED_LABELS) : "") + ")";
    int k = r.nextInt(6);
    String head;
    String args;
    switch (k) {
      case 0 -> {
        head = pick(List.of("topk", "bottomk", "limitk"));
        args = scalar(depth - 1) + ", " + vector(depth - 1);
      }
      case 1 -> {
        head = pick(List.of("quantile", "limit_ratio"));
        args = scalar(depth - 1) + ", " + vector(depth - 1);
      }
      case 2 -> {
        head = "count_values";
        args = pick(VALUES) + ", " + vector(depth - 1);
      }
      default -> {
        head = pick(AGGS);
        args = vector(depth - 1);
      }
    }
    if (mod.isEmpty()) {
      return head + "(" + args + ")";
    }
    return chance(50) ? head + " " + mod + " (" + args + ")" : head + "(" + args + ") " + mod;
  }

  String scalar(int depth) {
    int k = depth <= 0 ? 0 : r.nextInt(6);
    return switch (k) {
      case 0, 1 -> (chance(20) ? "-" : "") + pick(NUMBERS);
      case 2 -> "scalar(" + vector(depth - 1) + ")";
      case 3 -> "(" + scalar(depth - 1) + " " + pick(ARITH) + " " + scalar(depth - 1) + ")";
      case 4 -> "(" + scalar(depth - 1) + " " + pick(CMP) + " bool " + scalar(depth - 1) + ")";
      default -> pick(List.of("time()", "pi()", "step()", "range()", "start()", "end()"));
    };
  }

  String matrix(int depth) {
    if (depth > 0 && chance(30)) {
      String inner = chance(50) ? selector(true) : "(" + vector(depth - 1) + ")";
      return inner + "[" + duration(depth) + ":" + (chance(50) ? duration(depth) : "") + "]"
          + atOffset();
    }
    String ext = chance(15) ? (chance(50) ? " anchored" : " smoothed") : "";
    return selector(false) + "[" + duration(depth) + "]" + ext + atOffset();
  }

  private String duration(int depth) {
    if (depth <= 0 || chance(60)) {
      return pick(DURATIONS);
    }
    return switch (r.nextInt(5)) {
      case 0 -> pick(DURATIONS) + " * " + (1 + r.nextInt(3));
      case 1 -> "step() + " + pick(DURATIONS);
      case 2 -> "min_of(range(), " + pick(DURATIONS) + ")";
      case 3 -> "(" + pick(DURATIONS) + " + " + pick(DURATIONS) + ") / 2";
      default -> "max_of(" + pick(DURATIONS) + ", 2 ^ 3)";
    };
  }

  private String atOffset() {
    String at = chance(25) ? pick(List.of(" @ 100", " @ start()", " @ end()", " @ 1.5e3", " @ -10"))
        : "";
    // Not "(1m + 30s)": an unsigned parenthesis would absorb a following "- x" (as in
    // Prometheus), while a signed one ends the offset.
    String off = chance(25) ? " offset " + pick(List.of("5m", "-1h", "-(1m + 30s)", "step()",
        "-min_of(step(), 1s)", "10")) : "";
    return chance(50) ? at + off : off + at;
  }

  private String selector(boolean modifiers) {
    StringBuilder sb = new StringBuilder();
    boolean named = chance(70);
    if (named) {
      sb.append(pick(NAMES));
    }
    if (!named || chance(50)) {
      sb.append('{');
      int n = named ? r.nextInt(3) : 1 + r.nextInt(2);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        if (!named && i == 0) {
          sb.append(chance(50) ? "\"my.metric\"" : "__name__=~\"x.+\"");
          continue;
        }
        sb.append(chance(80) ? pick(LABELS.subList(0, 4)) : pick(QUOTED_LABELS));
        sb.append(pick(List.of("=", "!=", "=~", "!~")));
        sb.append(pick(VALUES));
      }
      sb.append(chance(20) && n > 0 ? ",}" : "}");
    }
    if (modifiers) {
      if (chance(10)) {
        sb.append(chance(50) ? " anchored" : " smoothed");
      }
      sb.append(atOffset());
    }
    return sb.toString();
  }
}
