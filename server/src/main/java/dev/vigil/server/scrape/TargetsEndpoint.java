package dev.vigil.server.scrape;

import dev.vigil.collector.config.PrometheusDuration;
import dev.vigil.collector.manager.ActiveTarget;
import dev.vigil.collector.manager.DroppedTarget;
import dev.vigil.collector.manager.TargetState;
import dev.vigil.collector.manager.TargetsView;
import dev.vigil.model.labels.Labels;
import dev.vigil.server.api.ApiParams;
import dev.vigil.server.api.JsonWriter;
import dev.vigil.server.http.Endpoint;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/targets}, field for field as Prometheus answers it: {@code activeTargets}
 * (discovered and final labels, pool, URLs, last error, last scrape time in RFC 3339 with Go's
 * trimmed nanoseconds, duration in seconds, health, interval, timeout), {@code droppedTargets}
 * (discovered labels and pool) and {@code droppedTargetCounts}; filtered by {@code state}
 * ({@code active}, {@code dropped}, {@code any}) and {@code scrapePool}.
 */
public final class TargetsEndpoint implements Endpoint {
  /** Go's zero {@code time.Time}, which Prometheus shows for a target not scraped yet. */
  static final String NEVER = "0001-01-01T00:00:00Z";

  private final Supplier<TargetsView> targets;

  public TargetsEndpoint(Supplier<TargetsView> targets) {
    this.targets = targets;
  }

  @Override
  public HttpReply handle(HttpCall call) {
    ApiParams p = ApiParams.parse(call.query(), null);
    TargetsView view = targets.get().filter(TargetState.parse(p.get("state")), p.get("scrapePool"));
    return HttpReply.json(200, render(view));
  }

  /** The answer for {@code view} (already filtered); {@code vigil agent} serves it too. */
  public static byte[] render(TargetsView view) {
    JsonWriter w = new JsonWriter();
    w.beginObject().name("status").value("success").name("data").beginObject();
    w.name("activeTargets").beginArray();
    for (ActiveTarget t : view.active()) {
      w.beginObject();
      labels(w.name("discoveredLabels"), t.discoveredLabels());
      labels(w.name("labels"), t.labels());
      w.name("scrapePool").value(t.scrapePool());
      w.name("scrapeUrl").value(t.scrapeUrl().toString());
      w.name("globalUrl").value(t.globalUrl().toString());
      w.name("lastError").value(t.lastError());
      w.name("lastScrape").value(t.lastScrape() == null ? NEVER : rfc3339Nano(t.lastScrape()));
      w.name("lastScrapeDuration").raw(seconds(t.lastScrapeDuration().toNanos()));
      w.name("health").value(t.health().apiName());
      w.name("scrapeInterval").value(PrometheusDuration.format(t.scrapeInterval()));
      w.name("scrapeTimeout").value(PrometheusDuration.format(t.scrapeTimeout()));
      w.endObject();
    }
    w.endArray();
    w.name("droppedTargets").beginArray();
    for (DroppedTarget t : view.dropped()) {
      w.beginObject();
      labels(w.name("discoveredLabels"), t.discoveredLabels());
      w.name("scrapePool").value(t.scrapePool());
      w.endObject();
    }
    w.endArray();
    w.name("droppedTargetCounts").beginObject();
    for (Map.Entry<String, Integer> e : view.droppedCounts().entrySet()) {
      w.name(e.getKey()).value((long) e.getValue());
    }
    w.endObject();
    w.endObject().endObject();
    return w.toByteArray();
  }

  private static void labels(JsonWriter w, Labels l) {
    w.beginObject();
    for (int i = 0; i < l.size(); i++) {
      w.name(l.name(i)).value(l.value(i));
    }
    w.endObject();
  }

  /** Go's {@code time.RFC3339Nano} in UTC: fraction digits without trailing zeros. */
  static String rfc3339Nano(Instant t) {
    String base = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
    int nanos = t.getNano();
    if (nanos == 0) {
      return base + "Z";
    }
    String frac = String.format("%09d", nanos);
    int end = frac.length();
    while (frac.charAt(end - 1) == '0') {
      end--;
    }
    return base + "." + frac.substring(0, end) + "Z";
  }

  /** A duration as a JSON number of seconds, as Go's float64 encoding writes it. */
  static String seconds(long nanos) {
    if (nanos == 0) {
      return "0";
    }
    return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }
}
