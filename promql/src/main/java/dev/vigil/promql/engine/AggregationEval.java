package dev.vigil.promql.engine;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.functions.Annotations;
import dev.vigil.promql.functions.GoFormat;
import dev.vigil.promql.functions.StepVector;
import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.AggregateOp;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.NumberLiteral;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.StringLiteral;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation operators (Prometheus's rangeEvalAgg): input series are mapped to groups once;
 * each step then folds the series' values into per-group primitive accumulators. Float
 * arithmetic mirrors Prometheus (Kahan sums, incremental mean on overflow, Welford variance).
 */
final class AggregationEval {
  private final Evaluator ev;
  private final AggregateExpr e;
  private final AggregateOp op;

  AggregationEval(Evaluator ev, AggregateExpr e) {
    this.ev = ev;
    this.e = e;
    this.op = e.op();
  }

  /** The grouping labels of {@code l}: by keeps, without drops (and always drops the name). */
  static Labels groupLabels(Labels l, Set<String> grouping, boolean without) {
    if (without) {
      Set<String> drop = new HashSet<>(grouping);
      drop.add(Labels.METRIC_NAME);
      return l.drop(drop);
    }
    if (grouping.isEmpty()) {
      return Labels.EMPTY;
    }
    return l.keep(grouping);
  }

  List<SeriesPoints> eval() {
    Set<String> grouping = new HashSet<>(e.grouping());
    if (op == AggregateOp.COUNT_VALUES) {
      return countValues(grouping);
    }
    int originalSamples = ev.qc.currentSamples;
    double[] params = null;
    double pMin = 0;
    double pMax = 0;
    boolean pNaN = false;
    if (e.param() != null) {
      List<SeriesPoints> pm = ev.eval(e.param());
      if (!pm.isEmpty()) {
        SeriesPoints ps = pm.get(0);
        params = Arrays.copyOf(ps.fv, ps.fn);
        pMin = Double.MAX_VALUE;
        pMax = -Double.MAX_VALUE;
        for (int i = 0; i < ps.fn; i++) {
          double v = ps.fv[i];
          pMin = min(pMin, v);
          pMax = max(pMax, v);
          if (Double.isNaN(v)) {
            pNaN = true;
          }
        }
        if (unwrap(e.param()) instanceof NumberLiteral) {
          pMin = ps.fv[0];
          pMax = ps.fv[0];
          pNaN = Double.isNaN(ps.fv[0]);
        }
      }
    }
    boolean kOp = op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK
        || op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO;
    if (!kOp) {
      if (op == AggregateOp.QUANTILE) {
        quantileChecks(pMin, pMax, pNaN);
      }
      GroupFolder folder = new GroupFolder(ev, op, e.expr().pos(), grouping, e.without());
      ev.evalInto(e.expr(), folder::accept);
      List<SeriesPoints> result = folder.finish(params);
      int total = 0;
      for (SeriesPoints s : result) {
        total += s.size();
      }
      ev.qc.setSamples(originalSamples + total);
      return result;
    }
    List<SeriesPoints> input = ev.eval(e.expr());

    switch (op) {
      case TOPK, BOTTOMK, LIMITK -> {
        if (pMax < 1) {
          return new ArrayList<>();
        }
        if (pNaN) {
          throw new QueryException("Parameter value is NaN");
        }
        if (pMin <= -9.223372036854775808E18) {
          throw new QueryException("Scalar value " + GoFormat.g(pMin) + " underflows int64");
        }
        if (pMax >= 9.223372036854775807E18) {
          throw new QueryException("Scalar value " + GoFormat.g(pMax) + " overflows int64");
        }
      }
      case LIMIT_RATIO -> {
        if (pMax == 0 && pMin == 0) {
          return new ArrayList<>();
        }
        if (pNaN) {
          throw new QueryException("Ratio value is NaN");
        }
        if (pMax > 1.0) {
          ev.annotate(Annotations.invalidRatio(pMax, 1.0, e.param().pos()));
        }
        if (pMin < -1.0) {
          ev.annotate(Annotations.invalidRatio(pMin, -1.0, e.param().pos()));
        }
      }
      default -> { }
    }

    // Map input series to groups.
    int n = input.size();
    int[] groupOf = new int[n];
    Map<Labels, Integer> groupIndex = new HashMap<>();
    List<Labels> groupLabels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Labels g = groupLabels(input.get(i).labels, grouping, e.without());
      Integer idx = groupIndex.get(g);
      if (idx == null) {
        idx = groupLabels.size();
        groupIndex.put(g, idx);
        groupLabels.add(g);
      }
      groupOf[i] = idx;
    }
    int groups = groupLabels.size();
    List<SeriesPoints> result = kAggregation(input, groupOf, groups, params);
    int total = 0;
    for (SeriesPoints s : result) {
      total += s.size();
    }
    ev.qc.setSamples(originalSamples + total);
    return result;
  }

  private void quantileChecks(double pMin, double pMax, boolean pNaN) {
    if (pNaN) {
      ev.annotate(Annotations.invalidQuantile(Double.NaN, e.param().pos()));
    }
    if (pMax > 1) {
      ev.annotate(Annotations.invalidQuantile(pMax, e.param().pos()));
    }
    if (pMin < 0) {
      ev.annotate(Annotations.invalidQuantile(pMin, e.param().pos()));
    }
  }

  private static double min(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
  }

  private static double max(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }

  private static Expr unwrap(Expr x) {
    while (x instanceof ParenExpr p) {
      x = p.expr();
    }
    return x;
  }

  // ---- topk, bottomk, limitk, limit_ratio ----

  private List<SeriesPoints> kAggregation(List<SeriesPoints> input, int[] groupOf, int groups,
      double[] params) {
    int n = input.size();
    int steps = ev.numSteps();
    boolean instant = ev.start == ev.end;
    int[] fc = new int[n];
    int[] hc = new int[n];
    // Per group: candidate sample slots (series index, value, histogram).
    int[][] members = new int[groups][];
    int[] memberCount = new int[groups];
    double[] vals = new double[n];
    FloatHistogram[] hists = new FloatHistogram[n];
    List<SeriesPoints> result = new ArrayList<>();
    // Output series by input series index, in order of first selection.
    SeriesPoints[] bySeries = new SeriesPoints[n];
    List<SeriesPoints> selectedOrder = new ArrayList<>();
    String opName = op.text();
    int step = 0;
    for (long t = ev.start; t <= ev.end; t += ev.interval, step++) {
      ev.qc.maybeCheckTimeout();
      ev.ts = t;
      double fParam = params == null ? 0 : params[step];
      Arrays.fill(memberCount, 0);
      for (int si = 0; si < n; si++) {
        SeriesPoints s = input.get(si);
        if (fc[si] < s.fn && s.ft[fc[si]] == t) {
          vals[si] = s.fv[fc[si]++];
          hists[si] = null;
        } else if (hc[si] < s.hn && s.ht[hc[si]] == t) {
          hists[si] = s.hv[hc[si]++];
          vals[si] = 0;
        } else {
          continue;
        }
        int gi = groupOf[si];
        if (members[gi] == null) {
          members[gi] = new int[4];
        } else if (memberCount[gi] == members[gi].length) {
          members[gi] = Arrays.copyOf(members[gi], memberCount[gi] * 2);
        }
        members[gi][memberCount[gi]++] = si;
      }
      long k = 0;
      double ratio = 0;
      switch (op) {
        case TOPK, BOTTOMK, LIMITK -> {
          k = Math.min((long) fParam, (long) n);
          if (k < 1) {
            if (instant) {
              return result;
            }
            continue;
          }
        }
        case LIMIT_RATIO -> {
          if (fParam == 0) {
            if (instant) {
              return result;
            }
            continue;
          }
          ratio = Math.max(-1.0, Math.min(1.0, fParam));
        }
        default -> { }
      }
      for (int gi = 0; gi < groups; gi++) {
        int cnt = memberCount[gi];
        if (cnt == 0) {
          continue;
        }
        int[] mem = members[gi];
        int selected;
        switch (op) {
          case TOPK, BOTTOMK -> {
            // Histograms do not take part; keep float members only, in input order.
            int w = 0;
            for (int i = 0; i < cnt; i++) {
              if (hists[mem[i]] == null) {
                mem[w++] = mem[i];
              } else {
                ev.annotate(Annotations.histogramIgnoredInAggregation(opName, e.expr().pos()));
              }
            }
            cnt = w;
            selected = selectK(mem, cnt, (int) Math.min(k, cnt), vals,
                op == AggregateOp.TOPK);
          }
          case LIMITK -> selected = (int) Math.min(k, cnt);
          case LIMIT_RATIO -> {
            int w = 0;
            for (int i = 0; i < cnt; i++) {
              if (addRatioSample(ratio, input.get(mem[i]).labels)) {
                mem[w++] = mem[i];
              }
            }
            selected = w;
          }
          default -> throw new IllegalStateException("not a k aggregation: " + op);
        }
        for (int i = 0; i < selected; i++) {
          int si = mem[i];
          SeriesPoints src = input.get(si);
          SeriesPoints os = instant ? null : bySeries[si];
          if (os == null) {
            os = new SeriesPoints(src.labels, src.dropName, instant ? 1 : Math.min(steps, 1024));
            if (instant) {
              result.add(os);
            } else {
              bySeries[si] = os;
              selectedOrder.add(os);
            }
          }
          os.add(t, vals[si], hists[si]);
          ev.qc.addSamples(1);
        }
      }
    }
    if (!instant) {
      result.addAll(selectedOrder);
    }
    return result;
  }

  private int[] heap = new int[0];

  /**
   * Prometheus's topk/bottomk selection, ported so ties resolve the same way: a k-element heap
   * (Go's container/heap with vectorByValueHeap's or vectorByReverseValueHeap's Less) fed in
   * input order, then sorted best first (NaN last). Writes the winners to {@code mem[0, n)}.
   */
  private int selectK(int[] mem, int cnt, int k, double[] vals, boolean top) {
    if (heap.length < k) {
      heap = new int[k];
    }
    int[] h = heap;
    int size = 0;
    for (int i = 0; i < cnt; i++) {
      int s = mem[i];
      double f = vals[s];
      if (size < k) {
        h[size++] = s;
        up(h, size - 1, vals, top);
        continue;
      }
      double root = vals[h[0]];
      boolean replace = top ? root < f : root > f;
      if (replace || (Double.isNaN(root) && !Double.isNaN(f))) {
        h[0] = s;
        if (k > 1 && !down(h, 0, size, vals, top)) {
          up(h, 0, vals, top);
        }
      }
    }
    // Heapsort: popping the least to the back leaves the best first (descending for topk,
    // ascending for bottomk, NaN last) in O(k log k).
    for (int end = size - 1; end > 0; end--) {
      int t = h[0];
      h[0] = h[end];
      h[end] = t;
      down(h, 0, end, vals, top);
    }
    System.arraycopy(h, 0, mem, 0, size);
    return size;
  }

  /** The heap order: NaN first, then ascending (topk) or descending (bottomk). */
  private static boolean less(double a, double b, boolean top) {
    if (Double.isNaN(a)) {
      return true;
    }
    return top ? a < b : a > b;
  }

  private static void up(int[] h, int j, double[] vals, boolean top) {
    while (j > 0) {
      int i = (j - 1) / 2;
      if (!less(vals[h[j]], vals[h[i]], top)) {
        break;
      }
      int t = h[i];
      h[i] = h[j];
      h[j] = t;
      j = i;
    }
  }

  private static boolean down(int[] h, int i0, int n, double[] vals, boolean top) {
    int i = i0;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < n && less(vals[h[j2]], vals[h[j1]], top)) {
        j = j2;
      }
      if (!less(vals[h[j]], vals[h[i]], top)) {
        break;
      }
      int t = h[i];
      h[i] = h[j];
      h[j] = t;
      i = j;
    }
    return i > i0;
  }

  /**
   * Prometheus's hash ratio sampler: a series is kept when its label hash, as a fraction of
   * the hash space, falls below the ratio (or, for a negative ratio, at or above 1 + ratio),
   * so limit_ratio(r) and limit_ratio(-(1-r)) are complements.
   */
  private static boolean addRatioSample(double ratio, Labels l) {
    double offset = unsignedToDouble(l.hash()) / 1.8446744073709552E19;
    return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1.0 + ratio);
  }

  private static double unsignedToDouble(long v) {
    double d = (double) (v >>> 1) * 2.0;
    return d + (v & 1);
  }

  // ---- count_values ----

  private List<SeriesPoints> countValues(Set<String> grouping) {
    Expr p = unwrap(e.param());
    String label = ((StringLiteral) p).value();
    if (!GoFormat.isValidLabelName(label)) {
      throw new QueryException("invalid label name " + GoFormat.quote(label));
    }
    Set<String> g = new HashSet<>(grouping);
    if (!e.without()) {
      g.add(label);
    }
    return new StepLoop(ev, new Expr[] {e.expr()}).run((in, out) -> {
      StepVector v = in[0];
      Map<Labels, int[]> counts = new LinkedHashMap<>();
      for (int i = 0; i < v.size; i++) {
        String value = v.h[i] == null ? GoFormat.formatF(v.f[i]) : GoFormat.histogram(v.h[i]);
        Labels withValue = v.labels[i].toBuilder().set(label, value).build();
        Labels key = groupLabels(withValue, g, e.without());
        counts.computeIfAbsent(key, x -> new int[1])[0]++;
      }
      for (Map.Entry<Labels, int[]> c : counts.entrySet()) {
        out.addFloat(c.getKey(), c.getValue()[0], false);
      }
    });
  }
}
