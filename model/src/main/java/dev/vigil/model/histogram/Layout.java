package dev.vigil.model.histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Spans plus the bucket counts they describe, for one side of a histogram. */
record Layout(List<Span> spans, double[] buckets) {

  /**
   * Prometheus's {@code Compact(maxEmptyBuckets)} in its canonical result: empty buckets at span
   * edges dropped, runs of more than {@code maxEmpty} empty buckets split into a gap, gaps of at
   * most {@code maxEmpty} buckets filled with explicit zeros so the spans merge.
   */
  static Layout compact(List<Span> spans, double[] buckets, int maxEmpty) {
    int total = 0;
    for (Span s : spans) {
      total += s.length();
    }
    total = Math.min(total, buckets.length);
    int[] idx = new int[total];
    double[] val = new double[total];
    int n = 0;
    int index = 0;
    int bi = 0;
    for (Span s : spans) {
      index += s.offset();
      for (int j = 0; j < s.length() && bi < buckets.length; j++, index++) {
        double v = buckets[bi++];
        if (v != 0) {
          idx[n] = index;
          val[n] = v;
          n++;
        }
      }
    }
    List<Span> out = new ArrayList<>();
    if (n == 0) {
      return new Layout(out, new double[0]);
    }
    // Count the output buckets: nonzero ones plus zero fillers for gaps <= maxEmpty.
    int size = 1;
    for (int i = 1; i < n; i++) {
      int gap = idx[i] - idx[i - 1] - 1;
      size += gap <= maxEmpty ? gap + 1 : 1;
    }
    double[] b = new double[size];
    int k = 0;
    int spanStart = idx[0];
    int spanLen = 1;
    int prevEnd = 0;
    b[k++] = val[0];
    for (int i = 1; i < n; i++) {
      int gap = idx[i] - idx[i - 1] - 1;
      if (gap <= maxEmpty) {
        k += gap; // zeros already in place
        b[k++] = val[i];
        spanLen += gap + 1;
      } else {
        out.add(new Span(out.isEmpty() ? spanStart : spanStart - prevEnd, spanLen));
        prevEnd = spanStart + spanLen;
        spanStart = idx[i];
        spanLen = 1;
        b[k++] = val[i];
      }
    }
    out.add(new Span(out.isEmpty() ? spanStart : spanStart - prevEnd, spanLen));
    return new Layout(out, b);
  }

  /**
   * Merges buckets into the lower-resolution {@code to} schema (Prometheus's reduceResolution on
   * absolute counts): each target bucket present if any source bucket maps to it, explicit zero
   * buckets preserved, adjacent target buckets in one span.
   */
  static Layout reduceResolution(List<Span> spans, double[] buckets, int from, int to) {
    if (from == to) {
      return new Layout(spans, buckets.clone());
    }
    double[] out = new double[buckets.length];
    List<Span> outSpans = new ArrayList<>();
    int k = -1;
    int index = 0;
    int bi = 0;
    int lastTarget = 0;
    int spanStart = 0;
    int spanLen = 0;
    int prevEnd = 0;
    for (int n = 0; n < spans.size(); n++) {
      Span s = spans.get(n);
      if (n > 0 && s.offset() < 0) {
        throw new IllegalArgumentException("span number " + (n + 1) + " with offset " + s.offset()
            + ": histogram has a span whose offset is negative");
      }
      index += s.offset();
      for (int j = 0; j < s.length(); j++, index++) {
        if (bi >= buckets.length) {
          throw new IllegalArgumentException("have " + buckets.length + " buckets but spans need"
              + " more: histogram spans specify different number of buckets than provided");
        }
        double v = buckets[bi++];
        int t = BucketBounds.targetIndex(index, from, to);
        if (k >= 0 && t == lastTarget) {
          out[k] += v;
          continue;
        }
        if (k >= 0 && t == lastTarget + 1) {
          out[++k] = v;
          spanLen++;
          lastTarget = t;
          continue;
        }
        if (k >= 0) {
          outSpans.add(new Span(outSpans.isEmpty() ? spanStart : spanStart - prevEnd, spanLen));
          prevEnd = spanStart + spanLen;
        }
        out[++k] = v;
        spanStart = t;
        spanLen = 1;
        lastTarget = t;
      }
    }
    if (bi != buckets.length) {
      throw new IllegalArgumentException(
          "spans need " + bi + " buckets, have " + buckets.length + " buckets: histogram spans"
              + " specify different number of buckets than provided");
    }
    if (k >= 0) {
      outSpans.add(new Span(outSpans.isEmpty() ? spanStart : spanStart - prevEnd, spanLen));
    }
    return new Layout(outSpans, Arrays.copyOf(out, k + 1));
  }

  /** Prometheus's spansMatch: equal layouts, ignoring zero-length spans. */
  static boolean spansMatch(List<Span> s1, List<Span> s2) {
    if (s1.isEmpty() && s2.isEmpty()) {
      return true;
    }
    int i1 = 0;
    int i2 = 0;
    while (true) {
      if (i1 >= s1.size()) {
        return allEmpty(s2, i2);
      }
      if (i2 >= s2.size()) {
        return allEmpty(s1, i1);
      }
      int off1 = s1.get(i1).offset();
      int len1 = s1.get(i1).length();
      int off2 = s2.get(i2).offset();
      int len2 = s2.get(i2).length();
      i1++;
      i2++;
      if (len1 == 0) {
        for (; i1 < s1.size() && s1.get(i1).length() == 0; i1++) {
          off1 += s1.get(i1).offset();
        }
        if (i1 < s1.size()) {
          off1 += s1.get(i1).offset();
          len1 = s1.get(i1).length();
          i1++;
        }
      }
      if (len2 == 0) {
        for (; i2 < s2.size() && s2.get(i2).length() == 0; i2++) {
          off2 += s2.get(i2).offset();
        }
        if (i2 < s2.size()) {
          off2 += s2.get(i2).offset();
          len2 = s2.get(i2).length();
          i2++;
        }
      }
      if (len1 == 0 && len2 == 0) {
        return true;
      }
      if (off1 != off2 || len1 != len2) {
        return false;
      }
    }
  }

  private static boolean allEmpty(List<Span> s, int from) {
    for (int i = from; i < s.size(); i++) {
      if (s.get(i).length() > 0) {
        return false;
      }
    }
    return true;
  }
}
