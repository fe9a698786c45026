package dev.vigil.server.scrape;

import dev.vigil.collector.manager.TargetMetadata;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.server.api.ApiParams;
import dev.vigil.server.api.ApiResponse;
import dev.vigil.server.api.ErrorType;
import dev.vigil.server.api.JsonWriter;
import dev.vigil.server.api.PrometheusApi;
import java.util.List;

/**
 * {@code GET /api/v1/targets/metadata} as Prometheus answers it: per active target matching
 * {@code match_target} (a series selector over the target's labels), its metadata entries
 * ({@code target}, {@code metric}, {@code type}, {@code help}, {@code unit}), or with
 * {@code metric} only that family's ({@code metric} then left out of each entry). {@code limit}
 * is checked before each target, as Prometheus does, so a target's entries are never split.
 * Both {@code vigil server} and {@code vigil agent} serve it.
 */
public final class TargetMetadataEndpoint {
  private TargetMetadataEndpoint() {}

  /** The answer for {@code p} over {@code targets} (every active target, in job order). */
  public static ApiResponse answer(ApiParams p, List<TargetMetadata> targets) {
    int limit = -1;
    String limitText = p.get("limit");
    if (!limitText.isEmpty()) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        return PrometheusApi.error(ErrorType.BAD_DATA, "limit must be a number");
      }
    }
    String matchTarget = p.get("match_target");
    List<Matcher> matchers = List.of();
    if (!matchTarget.isEmpty()) {
      try {
        matchers = Parser.parseMetricSelector(matchTarget);
      } catch (ParseException e) {
        return PrometheusApi.error(ErrorType.BAD_DATA,
            "invalid parameter \"match_target\": " + e.getMessage());
      }
    }
    String metric = p.get("metric");
    JsonWriter w = new JsonWriter();
    w.beginObject().name("status").value("success").name("data").beginArray();
    int n = 0;
    for (TargetMetadata t : targets) {
      if (limit >= 0 && n >= limit) {
        break;
      }
      if (!matches(t.target(), matchers)) {
        continue;
      }
      if (metric.isEmpty()) {
        for (MetricMetadata m : t.metadata()) {
          entry(w, t.target(), m.family(), m);
          n++;
        }
        continue;
      }
      MetricMetadata m = t.of(metric);
      if (m != null) {
        entry(w, t.target(), null, m);
        n++;
      }
    }
    w.endArray().endObject();
    return new ApiResponse(200, w.toByteArray());
  }

  private static boolean matches(Labels l, List<Matcher> matchers) {
    for (Matcher m : matchers) {
      if (!m.matches(l.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  private static void entry(JsonWriter w, Labels target, String family, MetricMetadata m) {
    w.beginObject().name("target").beginObject();
    for (int i = 0; i < target.size(); i++) {
      w.name(target.name(i)).value(target.value(i));
    }
    w.endObject();
    if (family != null) {
      w.name("metric").value(family);
    }
    w.name("type").value(m.type().promName()).name("help").value(m.help()).name("unit")
        .value(m.unit()).endObject();
  }
}
