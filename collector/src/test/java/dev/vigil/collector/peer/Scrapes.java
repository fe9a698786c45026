package dev.vigil.collector.peer;

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
    awaitSteady(api, jobs, "Prometheus", prometheus::logTail);
  }

  /**
   * As {@link #awaitSteady(PrometheusApi, List, PeerProcess)} for any server with Prometheus's
   * query API ({@code vigil server} too); {@code diagnostics} adds to the failure message.
   */
  public static void awaitSteady(PrometheusApi api, List<String> jobs, String server,
      java.util.function.Supplier<String> diagnostics) {
    String re = String.join("|", jobs);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      Map<Labels, PrometheusApi.Point> up = api.query("up{job=~\"" + re + "\"} == 1 and scrape_series_added == 0");
      Map<String, Integer> steady = new java.util.TreeMap<>();
      for (Labels l : up.keySet()) {
        steady.merge(l.get("job"), 1, Integer::sum);
      }
      // Every target of every job, not just one per job: a job may have several.
      Map<String, Integer> targets = new java.util.TreeMap<>();
      List<PrometheusApi.ActiveTarget> active = api.activeTargets();
      for (PrometheusApi.ActiveTarget t : active) {
        targets.merge(t.labels().get("job"), 1, Integer::sum);
      }
      boolean all = true;
      for (String job : jobs) {
        all &= targets.getOrDefault(job, 0) > 0 && targets.get(job).equals(steady.get(job));
      }
      if (all) {
        return;
      }
      state = "steady targets per job: " + steady + " of " + targets + ", targets: " + active;
      PeerProcess.sleep(250);
    }
    throw new IllegalStateException(server + " did not scrape " + jobs + " twice within 30 s; " + state
        + "\n" + diagnostics.get());
  }

  /**
   * What differs between two servers' latest samples read the same way ({@link
   * PrometheusApi#latestRaw}): series only one side has, value strings or native-histogram JSON
   * that differ (so formatting counts: {@code -0}, {@code NaN}, exponents), and the times of
   * series labelled {@code ts="explicit"}. {@code scrape_duration_seconds} values are skipped.
   */
  public static List<String> rawDifferences(Map<Labels, PrometheusApi.RawPoint> theirs,
      Map<Labels, PrometheusApi.RawPoint> ours) {
    List<String> diffs = new ArrayList<>();
    int onlyTheirs = 0;
    int onlyOurs = 0;
    for (Map.Entry<Labels, PrometheusApi.RawPoint> e : theirs.entrySet()) {
      PrometheusApi.RawPoint o = ours.get(e.getKey());
      PrometheusApi.RawPoint p = e.getValue();
      if (o == null) {
        if (onlyTheirs++ < 15) {
          diffs.add("only in Prometheus: " + e.getKey() + " " + p);
        }
        continue;
      }
      if (!sameHistogramJson(p.histogram(), o.histogram())) {
        diffs.add("histogram " + e.getKey() + ": Prometheus " + p.histogram() + ", Vigil " + o.histogram());
      }
      if (!e.getKey().metricName().equals("scrape_duration_seconds")
          && !java.util.Objects.equals(p.value(), o.value())) {
        diffs.add("value of " + e.getKey() + ": Prometheus " + p.value() + ", Vigil " + o.value());
      }
      if (e.getKey().get("ts").equals("explicit") && !p.time().equals(o.time())) {
        diffs.add("timestamp of " + e.getKey() + ": Prometheus " + p.time() + ", Vigil " + o.time());
      }
    }
    for (Labels l : ours.keySet()) {
      if (!theirs.containsKey(l) && onlyOurs++ < 15) {
        diffs.add("only in Vigil: " + l + " " + ours.get(l));
      }
    }
    if (onlyTheirs > 15 || onlyOurs > 15) {
      diffs.add("in all " + onlyTheirs + " series only in Prometheus, " + onlyOurs + " only in Vigil");
    }
    return diffs;
  }

  /**
   * Whether two native histograms as the query API writes them are the same: count, sum, bucket
   * boundary rules and counts as equal strings; bucket bounds equal or within 4 ulps, because
   * Prometheus computes them from a literal table that is not correctly rounded (see the model
   * module's {@code BucketBounds}).
   */
  public static boolean sameHistogramJson(String a, String b) {
    if (java.util.Objects.equals(a, b)) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    tools.jackson.databind.JsonNode x = JSON.readTree(a);
    tools.jackson.databind.JsonNode y = JSON.readTree(b);
    if (!x.path("count").equals(y.path("count")) || !x.path("sum").equals(y.path("sum"))
        || x.path("buckets").size() != y.path("buckets").size()) {
      return false;
    }
    for (int i = 0; i < x.path("buckets").size(); i++) {
      tools.jackson.databind.JsonNode bx = x.path("buckets").get(i);
      tools.jackson.databind.JsonNode by = y.path("buckets").get(i);
      if (!bx.get(0).equals(by.get(0)) || !bx.get(3).equals(by.get(3))
          || !closeBound(bx.get(1).asString(), by.get(1).asString())
          || !closeBound(bx.get(2).asString(), by.get(2).asString())) {
        return false;
      }
    }
    return true;
  }

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private static boolean closeBound(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    double x = PrometheusApi.parseValue(a);
    double y = PrometheusApi.parseValue(b);
    return Math.abs(x - y) <= 4 * Math.ulp(Math.max(Math.abs(x), Math.abs(y)));
  }
}
