package dev.vigil.collector.peer;

import dev.vigil.collector.peer.PrometheusApi.Point;
import dev.vigil.collector.peer.VigilCollector.Latest;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Waiting for Prometheus's scrapes and comparing its samples with Vigil's. */
public final class Scrapes {
  private Scrapes() {}

  /**
   * Waits until every target of {@code jobs} is up and its latest scrape added no series (so it
   * was scraped successfully at least twice from the replayed body).
   */
  public static void awaitSteady(PrometheusApi api, List<String> jobs, PeerProcess prometheus) {
    String re = String.join("|", jobs);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      Map<Labels, Point> up = api.query("up{job=~\"" + re + "\"} == 1 and scrape_series_added == 0");
      List<String> steady = new ArrayList<>();
      for (Labels l : up.keySet()) {
        steady.add(l.get("job"));
      }
      if (steady.containsAll(jobs)) {
        return;
      }
      state = "steady: " + steady + ", targets: " + api.activeTargets();
      PeerProcess.sleep(250);
    }
    throw new IllegalStateException("Prometheus did not scrape " + jobs + " twice within 30 s; " + state
        + "\n" + prometheus.logTail());
  }

  /**
   * What differs between Prometheus's latest samples and Vigil's: series only one side has,
   * values that are not bit-identical (NaN equals NaN; -0 differs from 0), and timestamps of
   * series labelled {@code ts="explicit"}. {@code scrape_duration_seconds} values are skipped.
   */
  public static List<String> differences(Map<Labels, Point> theirs, Map<Labels, Latest> ours) {
    List<String> diffs = new ArrayList<>();
    int onlyTheirs = 0;
    int onlyOurs = 0;
    for (Map.Entry<Labels, Point> e : theirs.entrySet()) {
      Latest o = ours.get(e.getKey());
      if (o == null) {
        if (onlyTheirs++ < 15) {
          diffs.add("only in Prometheus: " + e.getKey() + " " + e.getValue().v());
        }
        continue;
      }
      Point p = e.getValue();
      if (o.h() != null || p.histogram() != null) {
        String ourH = o.h() == null ? "float " + o.v() : describe(o.h());
        String theirH = p.histogram() == null ? "float " + p.v() : p.histogram();
        if (!ourH.equals(theirH)) {
          diffs.add("histogram " + e.getKey() + ": Prometheus " + theirH + ", Vigil " + ourH);
        }
        continue;
      }
      if (!e.getKey().metricName().equals("scrape_duration_seconds") && !sameFloat(p.v(), o.v())) {
        diffs.add("value of " + e.getKey() + ": Prometheus " + p.v() + ", Vigil " + o.v());
      }
      if (e.getKey().get("ts").equals("explicit") && p.t() != o.t()) {
        diffs.add("timestamp of " + e.getKey() + ": Prometheus " + p.t() + ", Vigil " + o.t());
      }
    }
    for (Labels l : ours.keySet()) {
      if (!theirs.containsKey(l) && onlyOurs++ < 15) {
        diffs.add("only in Vigil: " + l + " " + ours.get(l).v());
      }
    }
    if (onlyTheirs > 15 || onlyOurs > 15) {
      diffs.add("in all " + onlyTheirs + " series only in Prometheus, " + onlyOurs + " only in Vigil");
    }
    return diffs;
  }

  static String describe(FloatHistogram h) {
    List<Double> counts = new ArrayList<>();
    counts.add(h.zeroCount());
    for (double c : h.positiveBuckets()) {
      counts.add(c);
    }
    for (double c : h.negativeBuckets()) {
      counts.add(c);
    }
    return PrometheusApi.describeHistogram(h.count(), h.sum(), counts);
  }

  public static boolean sameFloat(double a, double b) {
    return (Double.isNaN(a) && Double.isNaN(b)) || Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
  }
}
