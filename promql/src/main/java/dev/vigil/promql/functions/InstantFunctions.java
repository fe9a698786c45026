package dev.vigil.promql.functions;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.StringLiteral;
import dev.vigil.promql.parser.VectorSelector;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/** Functions evaluated once per step on instant vectors and scalars. */
final class InstantFunctions {
  private InstantFunctions() {}

  /** Applies {@code op} to every float sample; histograms are dropped; the name goes. */
  static FunctionImpl.InstantFunction floatFn(DoubleUnaryOperator op) {
    return (args, call, ctx, out) -> {
      StepVector in = args[0];
      for (int i = 0; i < in.size; i++) {
        if (in.h[i] == null) {
          out.add(in.labels[i], op.applyAsDouble(in.f[i]), null, true, in.series[i]);
        }
      }
    };
  }

  static double sgn(double v) {
    if (v > 0) {
      return 1;
    }
    if (v < 0) {
      return -1;
    }
    return v; // keeps 0, -0 and NaN as they are
  }

  static void time(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    out.addFloat(Labels.EMPTY, ctx.ts() / 1000.0, false);
  }

  static void pi(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    out.addFloat(Labels.EMPTY, Math.PI, false);
  }

  static void vector(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    out.addFloat(Labels.EMPTY, args[0].f[0], false);
  }

  static void scalar(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    StepVector v = args[0];
    boolean found = false;
    double value = Double.NaN;
    for (int i = 0; i < v.size; i++) {
      if (v.h[i] == null) {
        if (found) {
          out.addFloat(Labels.EMPTY, Double.NaN, false);
          return;
        }
        found = true;
        value = v.f[i];
      }
    }
    out.addFloat(Labels.EMPTY, found ? value : Double.NaN, false);
  }

  static void clamp(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    clamp(args[0], args[1].f[0], args[2].f[0], out);
  }

  static void clampMin(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    clamp(args[0], args[1].f[0], Double.POSITIVE_INFINITY, out);
  }

  static void clampMax(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    clamp(args[0], Double.NEGATIVE_INFINITY, args[1].f[0], out);
  }

  private static void clamp(StepVector in, double min, double max, StepVector out) {
    if (max < min) {
      return;
    }
    for (int i = 0; i < in.size; i++) {
      if (in.h[i] == null) {
        out.add(in.labels[i], Math.max(min, Math.min(max, in.f[i])), null, true, in.series[i]);
      }
    }
  }

  static void round(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    double toNearest = args.length >= 2 ? args[1].f[0] : 1;
    double inverse = 1.0 / toNearest;
    StepVector in = args[0];
    for (int i = 0; i < in.size; i++) {
      if (in.h[i] == null) {
        out.add(in.labels[i], Math.floor(in.f[i] * inverse + 0.5) / inverse, null, true,
            in.series[i]);
      }
    }
  }

  static void timestamp(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    StepVector in = args[0];
    for (int i = 0; i < in.size; i++) {
      out.add(in.labels[i], in.t[i] / 1000.0, null, true, in.series[i]);
    }
  }

  // ---- date functions ----

  interface DateField {
    double of(ZonedDateTime t);
  }

  static FunctionImpl.InstantFunction date(DateField field) {
    return (args, call, ctx, out) -> {
      if (args.length == 0) {
        out.addFloat(Labels.EMPTY, field.of(utc(Math.floorDiv(ctx.ts(), 1000L))), false);
        return;
      }
      StepVector in = args[0];
      for (int i = 0; i < in.size; i++) {
        if (in.h[i] == null) {
          out.add(in.labels[i], field.of(utc(goInt64(in.f[i]))), null, true, in.series[i]);
        }
      }
    };
  }

  /** Go's float64 to int64 conversion on amd64: out-of-range and NaN become MinInt64. */
  private static long goInt64(double v) {
    if (Double.isNaN(v) || v >= 9.223372036854775807E18 || v < -9.223372036854775808E18) {
      return Long.MIN_VALUE;
    }
    return (long) v;
  }

  private static ZonedDateTime utc(long seconds) {
    // Clamp to what java.time supports; Go's time handles a wider range.
    long s = Math.max(Math.min(seconds, Instant.MAX.getEpochSecond()), Instant.MIN.getEpochSecond());
    return Instant.ofEpochSecond(s).atZone(ZoneOffset.UTC);
  }

  static double daysInMonth(ZonedDateTime t) {
    return LocalDate.of(t.getYear(), t.getMonthValue(), 1).lengthOfMonth();
  }

  static double dayOfWeek(ZonedDateTime t) {
    return t.getDayOfWeek().getValue() % 7; // Sunday = 0 as in Go
  }

  // ---- sorting ----

  static void sort(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    sortByValue(args[0], out, false);
  }

  static void sortDesc(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    sortByValue(args[0], out, true);
  }

  private static void sortByValue(StepVector in, StepVector out, boolean desc) {
    int start = out.size;
    for (int i = 0; i < in.size; i++) {
      if (in.h[i] == null) {
        out.copyFrom(in, i);
      }
    }
    // Insertion sort keeps it allocation-free; NaNs always go last (Prometheus's order).
    for (int i = start + 1; i < out.size; i++) {
      for (int j = i; j > start && lessForSort(out.f[j], out.f[j - 1], desc); j--) {
        out.swap(j, j - 1);
      }
    }
  }

  private static boolean lessForSort(double a, double b, boolean desc) {
    if (Double.isNaN(a)) {
      return false;
    }
    if (Double.isNaN(b)) {
      return true;
    }
    return desc ? a > b : a < b;
  }

  static void sortByLabel(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    sortByLabels(args[0], call, out, false);
  }

  static void sortByLabelDesc(StepVector[] args, Call call, FunctionContext ctx,
      StepVector out) {
    sortByLabels(args[0], call, out, true);
  }

  private static void sortByLabels(StepVector in, Call call, StepVector out, boolean desc) {
    int n = call.args().size() - 1;
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = stringArg(call.args().get(i + 1));
    }
    int start = out.size;
    for (int i = 0; i < in.size; i++) {
      out.copyFrom(in, i);
    }
    for (int i = start + 1; i < out.size; i++) {
      for (int j = i; j > start && compareByLabels(out.labels[j], out.labels[j - 1], names,
          desc) < 0; j--) {
        out.swap(j, j - 1);
      }
    }
  }

  private static int compareByLabels(Labels a, Labels b, String[] names, boolean desc) {
    for (String name : names) {
      String va = a.get(name);
      String vb = b.get(name);
      if (va.equals(vb)) {
        continue;
      }
      int c = naturalLess(va, vb) ? -1 : 1;
      return desc ? -c : c;
    }
    int c = a.compareTo(b);
    return desc ? -c : c;
  }

  /** Natural order: digit runs compare as numbers (the natsort package Prometheus uses). */
  static boolean naturalLess(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      boolean da = Character.isDigit(ca);
      boolean db = Character.isDigit(cb);
      if (da && db) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        if (na.length() != nb.length()) {
          return na.length() < nb.length();
        }
        int c = na.compareTo(nb);
        if (c != 0) {
          return c < 0;
        }
      } else {
        if (ca != cb) {
          return ca < cb;
        }
        i++;
        j++;
      }
    }
    return a.length() - i < b.length() - j;
  }

  // ---- absent ----

  static void absent(StepVector[] args, Call call, FunctionContext ctx, StepVector out) {
    if (args[0].size > 0) {
      return;
    }
    out.addFloat(absentLabels(call.args().get(0)), 1, false);
  }

  /** The labels {@code absent()} reports: those fixed by equality matchers of a selector. */
  public static Labels absentLabels(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    java.util.List<Matcher> matchers;
    if (e instanceof VectorSelector vs) {
      matchers = vs.matchers();
    } else if (e instanceof MatrixSelector ms) {
      matchers = ms.vectorSelector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> has = new HashSet<>();
    for (Matcher m : matchers) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == MatchType.EQUAL && !has.contains(m.name())) {
        b.set(m.name(), m.value());
        has.add(m.name());
      } else {
        b.del(m.name());
      }
    }
    return b.build();
  }

  static String stringArg(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return ((StringLiteral) e).value();
  }
}
