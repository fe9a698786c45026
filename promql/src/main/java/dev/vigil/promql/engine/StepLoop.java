package dev.vigil.promql.engine;

import dev.vigil.model.labels.Labels;
import dev.vigil.promql.functions.StepVector;
import dev.vigil.promql.parser.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's rangeEval: evaluates the input expressions to matrices, then for every step
 * gathers each input's samples at that step into a reused {@link StepVector}, calls the step
 * function, and appends its output to the output series. For an instant query the output keeps
 * the order the step function produced (sort functions, topk rely on it).
 */
final class StepLoop {
  interface StepFn {
    void apply(StepVector[] in, StepVector out);
  }

  private final Evaluator ev;
  private final Expr[] exprs;
  final List<List<SeriesPoints>> mats = new ArrayList<>();
  private boolean evaluated;
  private int originalSamples;

  /** A loop over {@code exprs}, evaluated on first use; null entries are string arguments. */
  StepLoop(Evaluator ev, Expr[] exprs) {
    this.ev = ev;
    this.exprs = exprs;
  }

  /** A loop over already evaluated inputs. */
  StepLoop(Evaluator ev, List<List<SeriesPoints>> inputs) {
    this.ev = ev;
    this.exprs = new Expr[inputs.size()];
    this.mats.addAll(inputs);
    this.evaluated = true;
    this.originalSamples = ev.qc.currentSamples;
  }

  /** Evaluates the inputs (once); null expressions (string arguments) yield null. */
  void evalInputs() {
    if (evaluated) {
      return;
    }
    evaluated = true;
    originalSamples = ev.qc.currentSamples;
    for (Expr e : exprs) {
      mats.add(e == null ? null : ev.eval(e));
    }
  }

  List<SeriesPoints> run(StepFn fn) {
    evalInputs();
    int n = exprs.length;
    StepVector[] in = new StepVector[n];
    int[][] fCursor = new int[n][];
    int[][] hCursor = new int[n][];
    int biggest = 1;
    for (int i = 0; i < n; i++) {
      List<SeriesPoints> m = mats.get(i);
      if (m == null) {
        continue;
      }
      in[i] = new StepVector(m.size());
      fCursor[i] = new int[m.size()];
      hCursor[i] = new int[m.size()];
      biggest = Math.max(biggest, m.size());
    }
    StepVector out = new StepVector(biggest);
    boolean instant = ev.start == ev.end;
    int steps = ev.numSteps();
    List<SeriesPoints> result = new ArrayList<>();
    Map<Labels, SeriesPoints> byLabels = instant ? null : new HashMap<>();
    int tempSamples = ev.qc.currentSamples;
    SeriesPoints[] lastAtPos = new SeriesPoints[16];
    for (long t = ev.start; t <= ev.end; t += ev.interval) {
      ev.qc.maybeCheckTimeout();
      ev.ts = t;
      for (int i = 0; i < n; i++) {
        List<SeriesPoints> m = mats.get(i);
        if (m == null) {
          continue;
        }
        StepVector v = in[i];
        v.clear();
        int[] fc = fCursor[i];
        int[] hc = hCursor[i];
        for (int j = 0, sz = m.size(); j < sz; j++) {
          SeriesPoints s = m.get(j);
          int c = fc[j];
          if (c < s.fn && s.ft[c] == t) {
            v.add(s.labels, s.fv[c], null, s.dropName, j);
            v.t[v.size - 1] = t;
            fc[j] = c + 1;
            continue;
          }
          c = hc[j];
          if (c < s.hn && s.ht[c] == t) {
            v.add(s.labels, 0, s.hv[c], s.dropName, j);
            v.t[v.size - 1] = t;
            hc[j] = c + 1;
          }
        }
      }
      out.clear();
      fn.apply(in, out);
      ev.qc.setSamples(tempSamples);
      ev.qc.addSamples(out.size);
      tempSamples += out.size;
      if (instant) {
        for (int k = 0; k < out.size; k++) {
          SeriesPoints s = new SeriesPoints(out.labels[k], out.dropName[k], 1);
          s.add(t, out.f[k], out.h[k]);
          result.add(s);
        }
        break;
      }
      if (lastAtPos.length < out.size) {
        lastAtPos = java.util.Arrays.copyOf(lastAtPos, Math.max(out.size, lastAtPos.length * 2));
      }
      for (int k = 0; k < out.size; k++) {
        Labels l = out.labels[k];
        // Outputs usually come in the same order every step with the very same label objects:
        // check the series seen at this position last step before hashing.
        SeriesPoints s = lastAtPos[k];
        if (s == null || s.labels != l) {
          s = byLabels.get(l);
        }
        if (s == null) {
          s = new SeriesPoints(l, out.dropName[k], Math.min(steps, 1024));
          byLabels.put(l, s);
          result.add(s);
        } else if (s.lastT == t) {
          throw new QueryException("vector cannot contain metrics with the same labelset");
        }
        s.lastT = t;
        s.add(t, out.f[k], out.h[k]);
        lastAtPos[k] = s;
      }
    }
    int total = 0;
    for (SeriesPoints s : result) {
      total += s.size();
    }
    ev.qc.setSamples(originalSamples + total);
    return result;
  }
}
