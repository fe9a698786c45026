package dev.vigil.collector.scrape;

import dev.vigil.collector.config.PrometheusDuration;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.relabel.Relabeler;
import dev.vigil.model.labels.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A target after target relabelling: all its labels, internal {@code __…__} ones included, from
 * which the URL, interval and timeout are read. {@link #labels()} are the labels its series get.
 */
public record ScrapeTarget(Labels allLabels, URI url, Duration interval, Duration timeout) {
  public static final String ADDRESS = "__address__";
  public static final String SCHEME = "__scheme__";
  public static final String METRICS_PATH = "__metrics_path__";
  public static final String SCRAPE_INTERVAL = "__scrape_interval__";
  public static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
  public static final String PARAM_PREFIX = "__param_";
  public static final String META_PREFIX = "__meta_";

  /** The labels attached to every scraped series: all labels not starting with {@code __}. */
  public Labels labels() {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < allLabels.size(); i++) {
      if (!allLabels.name(i).startsWith("__")) {
        b.set(allLabels.name(i), allLabels.value(i));
      }
    }
    return b.build();
  }

  /** Stable across restarts, so a target keeps its place in the schedule (as Prometheus's). */
  public long hash() {
    long h = allLabels.hash();
    String u = url.toString();
    for (int i = 0; i < u.length(); i++) {
      h ^= u.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * Prometheus's {@code PopulateLabels}: add job, scheme, path, interval, timeout and params as
   * labels unless discovery set them, run {@code relabel_configs}, then check the result.
   *
   * @return the target, or null when relabelling dropped it
   * @throws IllegalArgumentException with Prometheus's message when the target is invalid
   */
  public static ScrapeTarget populate(Labels discovered, ScrapeConfig cfg) {
    Labels.Builder lb = discovered.toBuilder();
    addDefaults(lb, cfg);
    if (!Relabeler.processBuilder(lb, cfg.relabelConfigs())) {
      return null;
    }
    String addr = lb.get(ADDRESS);
    if (addr.isEmpty()) {
      throw new IllegalArgumentException("no address");
    }
    if (addr.contains("/")) {
      throw new IllegalArgumentException("\"" + addr + "\" is not a valid hostname");
    }
    Duration interval = duration(lb.get(SCRAPE_INTERVAL), "scrape interval");
    Duration timeout = duration(lb.get(SCRAPE_TIMEOUT), "scrape timeout");
    if (timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException("scrape timeout cannot be greater than scrape interval (\""
          + lb.get(SCRAPE_TIMEOUT) + "\" > \"" + lb.get(SCRAPE_INTERVAL) + "\")");
    }
    // Meta labels go after relabelling; other internal labels stay for the URL.
    Labels snapshot = lb.build();
    for (int i = 0; i < snapshot.size(); i++) {
      if (snapshot.name(i).startsWith(META_PREFIX)) {
        lb.del(snapshot.name(i));
      }
    }
    if (lb.get("instance").isEmpty()) {
      lb.set("instance", addr);
    }
    Labels all = lb.build();
    return new ScrapeTarget(all, url(all), interval, timeout);
  }

  /**
   * The labels relabelling starts from: the discovered ones plus job, scheme, path, interval,
   * timeout and params unless discovery set them (what Prometheus shows as a target's
   * "discovered labels").
   */
  public static Labels withDefaults(Labels discovered, ScrapeConfig cfg) {
    Labels.Builder lb = discovered.toBuilder();
    addDefaults(lb, cfg);
    return lb.build();
  }

  private static void addDefaults(Labels.Builder lb, ScrapeConfig cfg) {
    setIfAbsent(lb, "job", cfg.jobName());
    setIfAbsent(lb, SCRAPE_INTERVAL, PrometheusDuration.format(cfg.scrapeInterval()));
    setIfAbsent(lb, SCRAPE_TIMEOUT, PrometheusDuration.format(cfg.scrapeTimeout()));
    setIfAbsent(lb, METRICS_PATH, cfg.metricsPath());
    setIfAbsent(lb, SCHEME, cfg.scheme());
    for (Map.Entry<String, List<String>> p : cfg.params().entrySet()) {
      if (!p.getValue().isEmpty()) {
        setIfAbsent(lb, PARAM_PREFIX + p.getKey(), p.getValue().get(0));
      }
    }
  }

  private static URI url(Labels l) {
    StringBuilder sb = new StringBuilder();
    sb.append(l.get(SCHEME)).append("://").append(l.get(ADDRESS));
    String path = l.get(METRICS_PATH);
    if (!path.startsWith("/")) {
      sb.append('/');
    }
    sb.append(path);
    char sep = path.indexOf('?') >= 0 ? '&' : '?';
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).startsWith(PARAM_PREFIX)) {
        sb.append(sep).append(URLEncoder.encode(l.name(i).substring(PARAM_PREFIX.length()), StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(l.value(i), StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    try {
      return URI.create(sb.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid target URL " + sb + ": " + e.getMessage(), e);
    }
  }

  private static Duration duration(String s, String what) {
    Duration d;
    try {
      d = PrometheusDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("error parsing " + what + ": " + e.getMessage(), e);
    }
    if (d.isZero()) {
      throw new IllegalArgumentException(what + " cannot be 0");
    }
    return d;
  }

  private static void setIfAbsent(Labels.Builder lb, String name, String value) {
    if (lb.get(name).isEmpty()) {
      lb.set(name, value);
    }
  }
}
