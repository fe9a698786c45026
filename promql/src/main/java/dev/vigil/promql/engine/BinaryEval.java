package dev.vigil.promql.engine;

import dev.vigil.model.histogram.CombineResult;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.IncompatibleHistogramsException;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.functions.Annotations;
import dev.vigil.promql.functions.GoMath;
import dev.vigil.promql.functions.StepVector;
import dev.vigil.promql.parser.BinaryExpr;
import dev.vigil.promql.parser.BinaryOp;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.PositionRange;
import dev.vigil.promql.parser.ValueType;
import dev.vigil.promql.parser.VectorMatching;
import dev.vigil.promql.parser.VectorMatching.Cardinality;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators: scalar/scalar, vector/scalar and vector/vector with one-to-one,
 * many-to-one, one-to-many and set matching, the {@code bool} modifier and fill values.
 * Matching signatures are computed once per input series (not per step) and turned into
 * ordinals, so each step only compares ints.
 */
final class BinaryEval {
  private BinaryEval() {}

  static List<SeriesPoints> eval(Evaluator ev, BinaryExpr e) {
    ValueType lt = e.lhs().type();
    ValueType rt = e.rhs().type();
    BinaryOp op = e.op();
    if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      return new StepLoop(ev, new Expr[] {e.lhs(), e.rhs()}).run((in, out) ->
          out.addFloat(Labels.EMPTY, scalarBinop(op, in[0].f[0], in[1].f[0]), false));
    }
    if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
      return vectorVector(ev, e);
    }
    boolean swap = lt == ValueType.SCALAR;
    return new StepLoop(ev, new Expr[] {e.lhs(), e.rhs()}).run((in, out) -> {
      StepVector vec = swap ? in[1] : in[0];
      double scalar = swap ? in[0].f[0] : in[1].f[0];
      vectorScalar(ev, op, vec, scalar, swap, e.returnBool(), e.pos(), out);
    });
  }

  static double scalarBinop(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> GoMath.pow(l, r);
      case MOD -> l % r;
      case EQLC -> l == r ? 1 : 0;
      case NEQ -> l != r ? 1 : 0;
      case GTR -> l > r ? 1 : 0;
      case LSS -> l < r ? 1 : 0;
      case GTE -> l >= r ? 1 : 0;
      case LTE -> l <= r ? 1 : 0;
      case ATAN2 -> Math.atan2(l, r);
      case LAND, LOR, LUNLESS, TRIM_UPPER, TRIM_LOWER ->
          throw new QueryException("operator \"" + op.text() + "\" not allowed for Scalar operations");
    };
  }

  static boolean changesMetricSchema(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, DIV, MUL, POW, MOD, ATAN2 -> true;
      default -> false;
    };
  }

  /** Result of one element operation. */
  private static final class Elem {
    double f;
    FloatHistogram h;
    boolean keep;
  }

  /**
   * Prometheus's vectorElemBinop. Returns false (with an info annotation) when the sample types
   * cannot be combined.
   */
  private static boolean elemBinop(Evaluator ev, BinaryOp op, double l, double r,
      FloatHistogram hl, FloatHistogram hr, PositionRange pos, Elem out) {
    out.h = null;
    if (hl == null && hr == null) {
      out.keep = true;
      switch (op) {
        case ADD -> out.f = l + r;
        case SUB -> out.f = l - r;
        case MUL -> out.f = l * r;
        case DIV -> out.f = l / r;
        case POW -> out.f = GoMath.pow(l, r);
        case MOD -> out.f = l % r;
        case ATAN2 -> out.f = Math.atan2(l, r);
        case EQLC -> {
          out.f = l;
          out.keep = l == r;
        }
        case NEQ -> {
          out.f = l;
          out.keep = l != r;
        }
        case GTR -> {
          out.f = l;
          out.keep = l > r;
        }
        case LSS -> {
          out.f = l;
          out.keep = l < r;
        }
        case GTE -> {
          out.f = l;
          out.keep = l >= r;
        }
        case LTE -> {
          out.f = l;
          out.keep = l <= r;
        }
        case TRIM_UPPER, TRIM_LOWER -> {
          ev.annotate(Annotations.incompatibleTypesInBinOp("float", op.text(), "float", pos));
          out.keep = false;
          return false;
        }
        default -> throw new IllegalStateException("set operator in element binop");
      }
      return true;
    }
    out.keep = false;
    if (hl == null) {
      if (op == BinaryOp.MUL) {
        out.h = hr.mul(l).compact(0);
        out.keep = true;
        return true;
      }
      ev.annotate(Annotations.incompatibleTypesInBinOp("float", op.text(), "histogram", pos));
      return false;
    }
    if (hr == null) {
      if (op == BinaryOp.MUL) {
        out.h = hl.mul(r).compact(0);
        out.keep = true;
        return true;
      }
      if (op == BinaryOp.DIV) {
        out.h = hl.div(r).compact(0);
        out.keep = true;
        return true;
      }
      if (op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER) {
        // h </ x keeps observations below x, h >/ x those above.
        out.h = hl.trimBuckets(r, op == BinaryOp.TRIM_UPPER);
        out.keep = true;
        return true;
      }
      ev.annotate(Annotations.incompatibleTypesInBinOp("histogram", op.text(), "float", pos));
      return false;
    }
    switch (op) {
      case EQLC, NEQ -> {
        out.h = hl;
        boolean eq = sameHistogram(hl, hr);
        out.keep = op == BinaryOp.EQLC ? eq : !eq;
        return true;
      }
      case ADD, SUB -> {
        CombineResult cr;
        try {
          cr = op == BinaryOp.ADD ? hl.add(hr) : hl.sub(hr);
        } catch (IncompatibleHistogramsException ex) {
          ev.annotate(Annotations.incompatibleBucketLayout(op.text(), pos));
          return false;
        }
        String operation = op == BinaryOp.ADD ? "addition" : "subtraction";
        if (cr.counterResetCollision()) {
          ev.annotate(Annotations.counterResetCollision(operation, pos));
        }
        if (cr.customBoundsReconciled()) {
          ev.annotate(Annotations.mismatchedCustomBuckets(operation, pos));
        }
        FloatHistogram res = cr.histogram();
        if (op == BinaryOp.SUB) {
          res = res.withCounterResetHint(CounterResetHint.GAUGE);
        }
        out.h = res.compact(0);
        out.keep = true;
        return true;
      }
      default -> {
        ev.annotate(Annotations.incompatibleTypesInBinOp("histogram", op.text(), "histogram", pos));
        return false;
      }
    }
  }

  private static boolean sameHistogram(FloatHistogram a, FloatHistogram b) {
    // Prometheus's FloatHistogram.Equals: everything but the counter reset hint.
    return a.equalsExact(b);
  }

  private static void vectorScalar(Evaluator ev, BinaryOp op, StepVector vec, double scalar,
      boolean swap, boolean returnBool, PositionRange pos, StepVector out) {
    Elem r = new Elem();
    boolean dropsName = changesMetricSchema(op) || returnBool;
    for (int i = 0; i < vec.size; i++) {
      double lf = vec.f[i];
      double rf = scalar;
      FloatHistogram lh = vec.h[i];
      FloatHistogram rh = null;
      if (swap) {
        lf = scalar;
        rf = vec.f[i];
        rh = lh;
        lh = null;
      }
      if (!elemBinop(ev, op, lf, rf, lh, rh, pos, r)) {
        continue;
      }
      double f = r.f;
      FloatHistogram h = r.h;
      boolean keep = r.keep;
      if (op.isComparison() && swap) {
        f = rf;
        h = rh;
      }
      if (returnBool) {
        f = keep ? 1 : 0;
        h = null;
        keep = true;
      }
      if (keep) {
        Labels l = vec.labels[i];
        boolean drop = vec.dropName[i];
        if (dropsName) {
          drop = true;
          if (!ev.delayedNameRemoval()) {
            l = l.withoutMetricName();
          }
        }
        out.add(l, f, h, drop, vec.series[i]);
      }
    }
  }

  /** Per-series matching signatures as small ints (equal signature, equal ordinal). */
  private static int[][] signatures(List<List<SeriesPoints>> mats, VectorMatching m) {
    List<String> names = m.matchingLabels();
    Set<String> drop = new HashSet<>(names);
    drop.add(Labels.METRIC_NAME);
    Map<Labels, Integer> ordinals = new HashMap<>();
    int[][] out = new int[2][];
    for (int side = 0; side < 2; side++) {
      List<SeriesPoints> mat = mats.get(side);
      int[] sig = new int[mat.size()];
      for (int i = 0; i < sig.length; i++) {
        Labels l = mat.get(i).labels;
        Labels key = m.on() ? l.keep(names) : l.drop(drop);
        Integer ord = ordinals.get(key);
        if (ord == null) {
          ord = ordinals.size();
          ordinals.put(key, ord);
        }
        sig[i] = ord;
      }
      out[side] = sig;
    }
    return out;
  }

  private static Labels matchLabels(Labels l, VectorMatching m) {
    if (m.on()) {
      return l.keep(m.matchingLabels());
    }
    Set<String> drop = new HashSet<>(m.matchingLabels());
    drop.add(Labels.METRIC_NAME);
    return l.drop(drop);
  }

  private static List<SeriesPoints> vectorVector(Evaluator ev, BinaryExpr e) {
    VectorMatching m = e.matching() != null ? e.matching()
        : new VectorMatching(e.op().isSetOperator() ? Cardinality.MANY_TO_MANY
            : Cardinality.ONE_TO_ONE, List.of(), false, List.of(), null, null);
    StepLoop loop = new StepLoop(ev, new Expr[] {e.lhs(), e.rhs()});
    loop.evalInputs();
    int[][] sigs = signatures(loop.mats, m);
    int numSigs = 0;
    for (int[] s : sigs) {
      for (int v : s) {
        numSigs = Math.max(numSigs, v + 1);
      }
    }
    int[] lsig = sigs[0];
    int[] rsig = sigs[1];
    boolean[] present = new boolean[numSigs];
    BinaryOp op = e.op();
    return switch (op) {
      case LAND -> loop.run((in, out) -> {
        StepVector l = in[0];
        StepVector r = in[1];
        if (l.size == 0 || r.size == 0) {
          return;
        }
        Arrays.fill(present, false);
        for (int j = 0; j < r.size; j++) {
          present[rsig[r.series[j]]] = true;
        }
        for (int i = 0; i < l.size; i++) {
          if (present[lsig[l.series[i]]]) {
            out.copyFrom(l, i);
          }
        }
      });
      case LOR -> loop.run((in, out) -> {
        StepVector l = in[0];
        StepVector r = in[1];
        Arrays.fill(present, false);
        for (int i = 0; i < l.size; i++) {
          present[lsig[l.series[i]]] = true;
          out.copyFrom(l, i);
        }
        for (int j = 0; j < r.size; j++) {
          if (!present[rsig[r.series[j]]]) {
            out.copyFrom(r, j);
          }
        }
      });
      case LUNLESS -> loop.run((in, out) -> {
        StepVector l = in[0];
        StepVector r = in[1];
        Arrays.fill(present, false);
        for (int j = 0; j < r.size; j++) {
          present[rsig[r.series[j]]] = true;
        }
        for (int i = 0; i < l.size; i++) {
          if (!present[lsig[l.series[i]]]) {
            out.copyFrom(l, i);
          }
        }
      });
      default -> {
        VectorBinop vb = new VectorBinop(ev, e, m, lsig, rsig, numSigs);
        yield loop.run(vb::step);
      }
    };
  }

  /** One-to-one / many-to-one / one-to-many arithmetic and comparison, per step. */
  private static final class VectorBinop {
    private final Evaluator ev;
    private final BinaryExpr e;
    private final VectorMatching m;
    private final int[] lsig;
    private final int[] rsig;
    private final int[] rightIdx;
    private final boolean[] matched;
    private final Map<Integer, Set<Labels>> matchedLabels = new HashMap<>();
    // Result labels depend only on the matched pair of input series; each left series usually
    // meets the same right series at every step, so one cached pair per left series suffices.
    private int[] cachedRight = new int[0];
    private Labels[] cachedResult = new Labels[0];
    private final Elem elem = new Elem();

    VectorBinop(Evaluator ev, BinaryExpr e, VectorMatching m, int[] lsig, int[] rsig,
        int numSigs) {
      this.ev = ev;
      this.e = e;
      this.m = m;
      this.lsig = lsig;
      this.rsig = rsig;
      this.rightIdx = new int[numSigs];
      this.matched = new boolean[numSigs];
    }

    void step(StepVector[] in, StepVector out) {
      StepVector lhs = in[0];
      StepVector rhs = in[1];
      int[] ls = lsig;
      int[] rs = rsig;
      Double fillL = m.fillLeft();
      Double fillR = m.fillRight();
      if ((lhs.size == 0 && rhs.size == 0)
          || ((lhs.size == 0 || rhs.size == 0) && fillL == null && fillR == null)) {
        return;
      }
      boolean oneToMany = m.cardinality() == Cardinality.ONE_TO_MANY;
      if (oneToMany) {
        StepVector t = lhs;
        lhs = rhs;
        rhs = t;
        int[] ts = ls;
        ls = rs;
        rs = ts;
      }
      Arrays.fill(rightIdx, -1);
      for (int j = 0; j < rhs.size; j++) {
        int sig = rs[rhs.series[j]];
        if (rightIdx[sig] >= 0) {
          int prev = rightIdx[sig];
          String a = rhs.labels[j].toString();
          String b = rhs.labels[prev].toString();
          if (a.compareTo(b) > 0) {
            String t = a;
            a = b;
            b = t;
          }
          throw new QueryException("found duplicate series for the match group "
              + matchLabels(rhs.labels[j], m) + " on the " + (oneToMany ? "left" : "right")
              + " hand-side of the operation: [" + a + ", " + b + "]"
              + ";many-to-many matching not allowed: matching labels must be unique on one side");
        }
        rightIdx[sig] = j;
      }
      boolean oneToOne = m.cardinality() == Cardinality.ONE_TO_ONE;
      if (oneToOne) {
        Arrays.fill(matched, false);
      } else {
        matchedLabels.clear();
      }
      for (int i = 0; i < lhs.size; i++) {
        int sig = ls[lhs.series[i]];
        int j = rightIdx[sig];
        if (j >= 0) {
          apply(lhs.labels[i], lhs.f[i], lhs.h[i], lhs.series[i], rhs.labels[j], rhs.f[j],
              rhs.h[j], rhs.series[j], sig, oneToMany, oneToOne, out);
        } else if (fillR != null) {
          apply(lhs.labels[i], lhs.f[i], lhs.h[i], lhs.series[i],
              matchLabels(lhs.labels[i], m), fillR, null, -1, sig, oneToMany, oneToOne, out);
        }
      }
      if (fillL != null) {
        for (int j = 0; j < rhs.size; j++) {
          int sig = rs[rhs.series[j]];
          boolean done = oneToOne ? matched[sig]
              : matchedLabels.containsKey(sig) && !matchedLabels.get(sig).isEmpty();
          if (done) {
            continue;
          }
          apply(matchLabels(rhs.labels[j], m), fillL, null, -1, rhs.labels[j], rhs.f[j],
              rhs.h[j], rhs.series[j], sig, oneToMany, oneToOne, out);
        }
      }
    }

    private void apply(Labels ll, double lf, FloatHistogram lh, int lSeries, Labels rl,
        double rf, FloatHistogram rh, int rSeries, int sig, boolean oneToMany,
        boolean oneToOne, StepVector out) {
      double fl = lf;
      double fr = rf;
      FloatHistogram hl = lh;
      FloatHistogram hr = rh;
      if (oneToMany) {
        fl = rf;
        fr = lf;
        hl = rh;
        hr = lh;
      }
      boolean ok = elemBinop(ev, e.op(), fl, fr, hl, hr, e.pos(), elem);
      if (!ok) {
        // Incompatible sample types yield nothing and do not count as a match.
        return;
      }
      double f = elem.f;
      FloatHistogram h = elem.h;
      boolean keep = elem.keep;
      boolean returnBool = e.returnBool();
      if (returnBool) {
        h = null;
        f = keep ? 1 : 0;
      }
      Labels metric = resultMetric(ll, rl, lSeries, rSeries, oneToMany);
      if (oneToOne) {
        if (matched[sig]) {
          throw new QueryException("multiple matches for labels: many-to-one matching must be "
              + "explicit (group_left/group_right)");
        }
        matched[sig] = true;
      } else {
        Set<Labels> set = matchedLabels.computeIfAbsent(sig, k -> new HashSet<>());
        if (!set.add(metric)) {
          throw new QueryException(
              "multiple matches for labels: grouping labels must ensure unique matches");
        }
      }
      if (!keep && !returnBool) {
        return;
      }
      out.add(metric, f, h, returnBool, -1);
    }

    private Labels resultMetric(Labels lhs, Labels rhs, int lSeries, int rSeries,
        boolean oneToMany) {
      int a = -1;
      int b = -1;
      if (lSeries >= 0 && rSeries >= 0) {
        a = lSeries;
        b = rSeries;
        if (a >= cachedRight.length) {
          int n = Math.max(a + 1, cachedRight.length * 2);
          int old = cachedRight.length;
          cachedRight = java.util.Arrays.copyOf(cachedRight, n);
          java.util.Arrays.fill(cachedRight, old, n, -1);
          cachedResult = java.util.Arrays.copyOf(cachedResult, n);
        }
        if (cachedRight[a] == b) {
          return cachedResult[a];
        }
      }
      Labels.Builder lb = lhs.toBuilder();
      boolean dropName = (!ev.delayedNameRemoval() && e.returnBool())
          || changesMetricSchema(e.op());
      if (dropName) {
        lb.del(Labels.METRIC_NAME);
        lb.del("__type__");
        lb.del("__unit__");
      }
      if (m.cardinality() == Cardinality.ONE_TO_ONE) {
        if (m.on()) {
          lb.keep(m.matchingLabels());
        } else {
          for (String n : m.matchingLabels()) {
            lb.del(n);
          }
        }
      }
      for (String n : m.include()) {
        String v = rhs.get(n);
        if (!v.isEmpty()) {
          lb.set(n, v);
        } else {
          lb.del(n);
        }
      }
      Labels out = lb.build();
      if (a >= 0) {
        cachedRight[a] = b;
        cachedResult[a] = out;
      }
      return out;
    }

  }
}
