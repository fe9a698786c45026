package dev.vigil.promql.functions;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import java.util.Arrays;

/**
 * A reusable instant-vector buffer: the samples of one evaluation step in parallel arrays. A
 * sample is a float ({@code h[i] == null}) or a native histogram. {@code dropName[i]} marks
 * samples whose {@code __name__} must be removed at the end of the query (delayed name removal).
 * {@code series[i]} is the index of the input series the sample came from (-1 if none), which
 * lets binary operators and aggregations reuse per-series work across steps.
 *
 * <p>Not thread-safe; owned by one node's evaluation and reset every step.
 */
public final class StepVector {
  public Labels[] labels;
  public double[] f;
  public FloatHistogram[] h;
  public boolean[] dropName;
  public long[] t;
  public int[] series;
  public int size;

  public StepVector(int capacity) {
    int c = Math.max(capacity, 4);
    labels = new Labels[c];
    f = new double[c];
    h = new FloatHistogram[c];
    dropName = new boolean[c];
    t = new long[c];
    series = new int[c];
  }

  public void clear() {
    Arrays.fill(labels, 0, size, null);
    Arrays.fill(h, 0, size, null);
    size = 0;
  }

  /** Appends a sample; {@code hist} null for a float sample. */
  public void add(Labels l, double v, FloatHistogram hist, boolean drop, int seriesIndex) {
    if (size == labels.length) {
      grow();
    }
    labels[size] = l;
    f[size] = v;
    h[size] = hist;
    dropName[size] = drop;
    t[size] = 0;
    series[size] = seriesIndex;
    size++;
  }

  public void addFloat(Labels l, double v, boolean drop) {
    add(l, v, null, drop, -1);
  }

  /** Copies sample {@code i} of {@code from} to the end of this vector. */
  public void copyFrom(StepVector from, int i) {
    add(from.labels[i], from.f[i], from.h[i], from.dropName[i], from.series[i]);
    t[size - 1] = from.t[i];
  }

  private void grow() {
    int c = labels.length * 2;
    labels = Arrays.copyOf(labels, c);
    f = Arrays.copyOf(f, c);
    h = Arrays.copyOf(h, c);
    dropName = Arrays.copyOf(dropName, c);
    t = Arrays.copyOf(t, c);
    series = Arrays.copyOf(series, c);
  }

  /** Moves sample {@code from} to slot {@code to} (used to filter in place). */
  public void move(int from, int to) {
    labels[to] = labels[from];
    f[to] = f[from];
    h[to] = h[from];
    dropName[to] = dropName[from];
    t[to] = t[from];
    series[to] = series[from];
  }

  /** Truncates to {@code n} samples. */
  public void truncate(int n) {
    Arrays.fill(labels, n, size, null);
    Arrays.fill(h, n, size, null);
    size = n;
  }

  public void swap(int i, int j) {
    Labels l = labels[i];
    labels[i] = labels[j];
    labels[j] = l;
    double d = f[i];
    f[i] = f[j];
    f[j] = d;
    FloatHistogram x = h[i];
    h[i] = h[j];
    h[j] = x;
    boolean b = dropName[i];
    dropName[i] = dropName[j];
    dropName[j] = b;
    long tt = t[i];
    t[i] = t[j];
    t[j] = tt;
    int s = series[i];
    series[i] = series[j];
    series[j] = s;
  }
}
