package dev.vigil.server.api;

import dev.vigil.model.histogram.AllBucketIterator;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.RangeSeries;
import dev.vigil.promql.value.Sample;
import dev.vigil.promql.value.Scalar;
import dev.vigil.promql.value.StringValue;
import dev.vigil.promql.value.Value;
import dev.vigil.promql.value.Vector;
import java.util.List;

/** Writes PromQL values and label sets in the shapes of Prometheus's {@code /api/v1} JSON. */
public final class ResultJson {
  private ResultJson() {}

  /** {@code {"resultType":"vector","result":[...]}}. */
  public static void writeData(JsonWriter out, Value value) {
    out.beginObject();
    writeResult(out, value);
    out.endObject();
  }

  /**
   * The data of a query answer, with Prometheus's {@code stats} object when asked for
   * ({@code stats=all}): timings in seconds and sample counts.
   */
  public static void writeData(JsonWriter out, QueryOutcome outcome, boolean stats) {
    out.beginObject();
    writeResult(out, outcome.value());
    if (stats) {
      // Prometheus's timers, from what Vigil measures: preparation is parsing (the engine
      // selects series while it evaluates, so its storage time is in innerEvalTime); there is
      // no queue and the engine returns results sorted.
      double eval = outcome.evalNanos() / 1e9;
      double prepare = outcome.prepareNanos() / 1e9;
      out.name("stats").beginObject().name("timings").beginObject()
          .name("evalTotalTime").raw(Double.toString(prepare + eval))
          .name("resultSortTime").raw("0")
          .name("queryPreparationTime").raw(Double.toString(prepare))
          .name("innerEvalTime").raw(Double.toString(eval))
          .name("execQueueTime").raw("0")
          .name("execTotalTime").raw(Double.toString(prepare + eval))
          .endObject()
          .name("samples").beginObject()
          .name("totalQueryableSamples").value(outcome.totalSamples())
          .name("peakSamples").value(outcome.peakSamples())
          .endObject().endObject();
    }
    out.endObject();
  }

  private static void writeResult(JsonWriter out, Value value) {
    switch (value) {
      case Scalar s -> {
        out.name("resultType").value("scalar").name("result");
        out.beginArray().timestamp(s.t()).sampleValue(s.v()).endArray();
      }
      case StringValue s -> {
        out.name("resultType").value("string").name("result");
        out.beginArray().timestamp(s.t()).value(s.v()).endArray();
      }
      case Vector v -> {
        out.name("resultType").value("vector").name("result").beginArray();
        for (Sample s : v.samples()) {
          out.beginObject().name("metric");
          writeLabels(out, s.labels());
          if (s.isHistogram()) {
            out.name("histogram").beginArray().timestamp(s.t());
            writeHistogram(out, s.h());
            out.endArray();
          } else {
            out.name("value").beginArray().timestamp(s.t()).sampleValue(s.f()).endArray();
          }
          out.endObject();
        }
        out.endArray();
      }
      case Matrix m -> {
        out.name("resultType").value("matrix").name("result").beginArray();
        for (RangeSeries rs : m.series()) {
          out.beginObject().name("metric");
          writeLabels(out, rs.labels());
          if (rs.floatCount() > 0) {
            out.name("values").beginArray();
            long[] ts = rs.floatTimestamps();
            double[] vs = rs.floatValues();
            for (int i = 0; i < ts.length; i++) {
              out.beginArray().timestamp(ts[i]).sampleValue(vs[i]).endArray();
            }
            out.endArray();
          }
          if (rs.histogramCount() > 0) {
            out.name("histograms").beginArray();
            long[] ts = rs.histogramTimestamps();
            FloatHistogram[] hs = rs.histograms();
            for (int i = 0; i < ts.length; i++) {
              out.beginArray().timestamp(ts[i]);
              writeHistogram(out, hs[i]);
              out.endArray();
            }
            out.endArray();
          }
          out.endObject();
        }
        out.endArray();
      }
    }
  }

  /** A label set as a JSON object, in label order. */
  public static void writeLabels(JsonWriter out, Labels labels) {
    out.beginObject();
    for (int i = 0; i < labels.size(); i++) {
      out.name(labels.name(i)).value(labels.value(i));
    }
    out.endObject();
  }

  /**
   * Prometheus's {@code jsonutil.MarshalHistogram}: count, sum and the non-empty buckets as
   * {@code [boundaryRule, "lower", "upper", "count"]}, rule 0 = (lower, upper], 1 = [lower,
   * upper), 2 = (lower, upper), 3 = [lower, upper].
   */
  public static void writeHistogram(JsonWriter out, FloatHistogram h) {
    out.beginObject();
    out.name("count").sampleValue(h.count());
    out.name("sum").sampleValue(h.sum());
    boolean any = false;
    AllBucketIterator it = AllBucketIterator.ascending(h);
    while (it.next()) {
      if (it.count() == 0) {
        continue;
      }
      if (!any) {
        out.name("buckets").beginArray();
        any = true;
      }
      int rule = it.lowerInclusive() ? (it.upperInclusive() ? 3 : 1)
          : (it.upperInclusive() ? 0 : 2);
      out.beginArray().value(rule).sampleValue(it.lower()).sampleValue(it.upper())
          .sampleValue(it.count()).endArray();
    }
    if (any) {
      out.endArray();
    }
    out.endObject();
  }

  /** Writes {@code "warnings":[...]} and {@code "infos":[...]} when not empty (omitempty). */
  static void writeAnnotations(JsonWriter out, List<String> warnings, List<String> infos) {
    if (!warnings.isEmpty()) {
      out.name("warnings").beginArray();
      for (String w : warnings) {
        out.value(w);
      }
      out.endArray();
    }
    if (!infos.isEmpty()) {
      out.name("infos").beginArray();
      for (String i : infos) {
        out.value(i);
      }
      out.endArray();
    }
  }
}
