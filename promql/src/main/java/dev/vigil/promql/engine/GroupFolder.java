package dev.vigil.promql.engine;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramAccumulator;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.functions.Annotations;
import dev.vigil.promql.functions.HistogramMean;
import dev.vigil.promql.functions.Quantiles;
import dev.vigil.promql.parser.AggregateOp;
import dev.vigil.promql.parser.PositionRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * sum, avg, count, min, max, group, stddev, stdvar and quantile, folded series-major: each input
 * series is consumed once, front to back, and each of its points is folded into the state of
 * (its group, the point's step). For every (group, step) the values arrive in input-series
 * order, exactly as in Prometheus's step-by-step loop, so results are bit-identical; but the
 * input is read sequentially and can be streamed (nothing per input series is kept), which is
 * what makes {@code sum by (job) (rate(x[5m]))} cheap.
 */
final class GroupFolder {
  /** Accumulators of one output group, one slot per step. */
  private static final class Group {
    final Labels labels;
    final boolean[] seen;
    final boolean[] hasFloat;
    final boolean[] hasHist;
    final boolean[] incompatible;
    final boolean[] incremental;
    final boolean[] dropName;
    final boolean[] resetSeen;
    final boolean[] notResetSeen;
    final boolean[] reconciled;
    final double[] value;
    final double[] mean;
    final double[] kahan;
    final double[] count;
    HistogramAccumulator[] accs;
    HistogramMean[] means;
    double[][] qvalues;
    int[] qn;

    Group(Labels labels, int steps) {
      this.labels = labels;
      seen = new boolean[steps];
      hasFloat = new boolean[steps];
      hasHist = new boolean[steps];
      incompatible = new boolean[steps];
      incremental = new boolean[steps];
      dropName = new boolean[steps];
      resetSeen = new boolean[steps];
      notResetSeen = new boolean[steps];
      reconciled = new boolean[steps];
      value = new double[steps];
      mean = new double[steps];
      kahan = new double[steps];
      count = new double[steps];
    }
  }

  private final Evaluator ev;
  private final AggregateOp op;
  private final PositionRange exprPos;
  private final String opName;
  private final java.util.Set<String> grouping;
  private final boolean without;
  private final int steps;
  private final Map<Labels, Group> byLabels = new HashMap<>();
  private final List<Group> groups = new ArrayList<>();
  private final double[] c1 = new double[1];
  private Labels lastInput;
  private Group lastGroup;

  GroupFolder(Evaluator ev, AggregateOp op, PositionRange exprPos, java.util.Set<String> grouping,
      boolean without) {
    this.ev = ev;
    this.op = op;
    this.exprPos = exprPos;
    this.opName = op.text();
    this.grouping = grouping;
    this.without = without;
    this.steps = ev.numSteps();
  }

  private Group groupOf(Labels input) {
    if (input == lastInput) {
      return lastGroup;
    }
    Labels key = AggregationEval.groupLabels(input, grouping, without);
    Group g = byLabels.get(key);
    if (g == null) {
      // The state is a small constant factor of the output, which max samples bounds.
      ev.qc.addSamples(steps);
      g = new Group(key, steps);
      byLabels.put(key, g);
      groups.add(g);
    }
    lastInput = input;
    lastGroup = g;
    return g;
  }

  /** Folds every point of {@code s}; {@code s} may be reused by the caller afterwards. */
  void accept(SeriesPoints s) {
    ev.qc.maybeCheckTimeout();
    Group g = groupOf(s.labels);
    long start = ev.start;
    long interval = ev.interval;
    long[] ft = s.ft;
    double[] fv = s.fv;
    for (int i = 0, n = s.fn; i < n; i++) {
      fold(g, (int) ((ft[i] - start) / interval), fv[i], null, s);
    }
    for (int i = 0; i < s.hn; i++) {
      fold(g, (int) ((s.ht[i] - start) / interval), 0, s.hv[i], s);
    }
  }

  private void fold(Group g, int k, double f, FloatHistogram h, SeriesPoints s) {
    if (!g.seen[k]) {
      first(g, k, f, h, s.dropName);
      return;
    }
    if (s.dropName) {
      g.dropName[k] = true;
    }
    switch (op) {
      case SUM, AVG -> {
        if (op == AggregateOp.AVG) {
          g.count[k]++;
        }
        if (h != null) {
          boolean firstHist = !g.hasHist[k];
          g.hasHist[k] = true;
          if (firstHist) {
            startHistogram(g, k, h);
          } else if (!g.incompatible[k]) {
            trackHint(g, k, h);
            boolean ok = op == AggregateOp.AVG ? g.means[k].add(h) : g.accs[k].add(h);
            if (!ok) {
              ev.annotate(Annotations.mixedExponentialCustom(s.labels.metricName(), exprPos));
              g.incompatible[k] = true;
            } else if (op == AggregateOp.AVG ? g.means[k].customBoundsReconciled()
                : g.accs[k].customBoundsReconciled()) {
              g.reconciled[k] = true;
            }
          }
        } else if (op == AggregateOp.SUM) {
          g.hasFloat[k] = true;
          c1[0] = g.kahan[k];
          g.value[k] = Quantiles.kahanInc(f, g.value[k], c1);
          g.kahan[k] = c1[0];
        } else {
          g.hasFloat[k] = true;
          double count = g.count[k];
          if (!g.incremental[k]) {
            c1[0] = g.kahan[k];
            double newV = Quantiles.kahanInc(f, g.value[k], c1);
            if (!Double.isInfinite(newV)) {
              g.value[k] = newV;
              g.kahan[k] = c1[0];
              return;
            }
            g.incremental[k] = true;
            g.mean[k] = g.value[k] / (count - 1);
            g.kahan[k] /= count - 1;
          }
          double q = (count - 1) / count;
          c1[0] = q * g.kahan[k];
          g.mean[k] = Quantiles.kahanInc(f / count, q * g.mean[k], c1);
          g.kahan[k] = c1[0];
        }
      }
      case GROUP -> { }
      case MAX -> {
        if (h != null) {
          ev.annotate(Annotations.histogramIgnoredInAggregation(opName, exprPos));
        } else if (g.value[k] < f || Double.isNaN(g.value[k])) {
          g.value[k] = f;
        }
      }
      case MIN -> {
        if (h != null) {
          ev.annotate(Annotations.histogramIgnoredInAggregation(opName, exprPos));
        } else if (g.value[k] > f || Double.isNaN(g.value[k])) {
          g.value[k] = f;
        }
      }
      case COUNT -> g.count[k]++;
      case STDVAR, STDDEV -> {
        if (h == null) {
          g.count[k]++;
          double delta = f - g.mean[k];
          g.mean[k] += delta / g.count[k];
          g.value[k] += delta * (f - g.mean[k]);
        } else {
          ev.annotate(Annotations.histogramIgnoredInAggregation(opName, exprPos));
        }
      }
      case QUANTILE -> {
        if (h != null) {
          ev.annotate(Annotations.histogramIgnoredInAggregation(opName, exprPos));
          return;
        }
        if (g.qn[k] == g.qvalues[k].length) {
          g.qvalues[k] = Arrays.copyOf(g.qvalues[k], g.qn[k] * 2);
        }
        g.qvalues[k][g.qn[k]++] = f;
      }
      default -> throw new IllegalStateException("not a simple aggregation: " + op);
    }
  }

  private void first(Group g, int k, double f, FloatHistogram h, boolean drop) {
    g.seen[k] = true;
    g.value[k] = f;
    g.mean[k] = f;
    g.kahan[k] = 0;
    g.count[k] = 1;
    g.dropName[k] = drop;
    switch (op) {
      case SUM, AVG -> {
        if (h == null) {
          g.hasFloat[k] = true;
        } else {
          g.hasHist[k] = true;
          startHistogram(g, k, h);
        }
      }
      case STDVAR, STDDEV -> {
        if (h != null) {
          g.seen[k] = false;
          ev.annotate(Annotations.histogramIgnoredInAggregation(opName, exprPos));
        } else if (Double.isNaN(f) || Double.isInfinite(f)) {
          g.value[k] = Double.NaN;
        } else {
          g.value[k] = 0;
        }
      }
      case QUANTILE -> {
        if (h != null) {
          g.seen[k] = false;
          ev.annotate(Annotations.histogramIgnoredInAggregation(opName, exprPos));
        }
        if (g.qvalues == null) {
          g.qvalues = new double[steps][];
          g.qn = new int[steps];
        }
        if (g.qvalues[k] == null) {
          g.qvalues[k] = new double[8];
        }
        g.qvalues[k][0] = f;
        g.qn[k] = 1;
      }
      case GROUP -> g.value[k] = 1;
      case MIN, MAX -> {
        if (h != null) {
          g.seen[k] = false;
          ev.annotate(Annotations.histogramIgnoredInAggregation(opName, exprPos));
        }
      }
      default -> { }
    }
  }

  private void startHistogram(Group g, int k, FloatHistogram h) {
    if (op == AggregateOp.AVG) {
      if (g.means == null) {
        g.means = new HistogramMean[steps];
      }
      if (g.means[k] == null) {
        g.means[k] = new HistogramMean();
      }
      g.means[k].reset().add(h);
    } else {
      if (g.accs == null) {
        g.accs = new HistogramAccumulator[steps];
      }
      if (g.accs[k] == null) {
        g.accs[k] = HistogramAccumulator.kahan();
      }
      g.accs[k].set(h);
    }
    trackHint(g, k, h);
  }

  private static void trackHint(Group g, int k, FloatHistogram h) {
    if (h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
      g.resetSeen[k] = true;
    } else if (h.counterResetHint() == CounterResetHint.NOT_COUNTER_RESET) {
      g.notResetSeen[k] = true;
    }
  }

  /** The output series, groups in order of first appearance; {@code params} per step. */
  List<SeriesPoints> finish(double[] params) {
    List<SeriesPoints> out = new ArrayList<>(groups.size());
    for (Group g : groups) {
      SeriesPoints os = null;
      long t = ev.start;
      for (int k = 0; k < steps; k++, t += ev.interval) {
        if (!g.seen[k]) {
          continue;
        }
        ev.ts = t;
        double v = g.value[k];
        FloatHistogram hv = null;
        double count = g.count[k];
        switch (op) {
          case AVG -> {
            if (g.hasFloat[k] && g.hasHist[k]) {
              ev.annotate(Annotations.mixedFloatsHistogramsAgg(exprPos));
              continue;
            }
            if (g.hasHist[k]) {
              if (g.incompatible[k]) {
                continue;
              }
              hv = g.means[k].result();
            } else if (g.incremental[k]) {
              v = g.mean[k] + g.kahan[k];
            } else {
              v = g.value[k] / count + g.kahan[k] / count;
            }
          }
          case COUNT -> v = count;
          case STDVAR -> v = g.value[k] / count;
          case STDDEV -> v = Math.sqrt(g.value[k] / count);
          case QUANTILE -> v = Quantiles.quantile(params[k], g.qvalues[k], g.qn[k]);
          case SUM -> {
            if (g.hasFloat[k] && g.hasHist[k]) {
              ev.annotate(Annotations.mixedFloatsHistogramsAgg(exprPos));
              continue;
            }
            if (g.hasHist[k]) {
              if (g.incompatible[k]) {
                continue;
              }
              hv = g.accs[k].build(true);
            } else {
              v = g.value[k] + g.kahan[k];
            }
          }
          default -> { }
        }
        if (g.hasHist[k] && g.resetSeen[k] && g.notResetSeen[k]) {
          ev.annotate(Annotations.counterResetCollision("aggregation", exprPos));
        }
        if (g.reconciled[k]) {
          ev.annotate(Annotations.mismatchedCustomBuckets("aggregation", exprPos));
        }
        if (os == null) {
          os = new SeriesPoints(g.labels, g.dropName[k], Math.min(steps, 1024));
          out.add(os);
        }
        os.dropName = g.dropName[k];
        os.add(t, v, hv);
      }
    }
    return out;
  }
}
