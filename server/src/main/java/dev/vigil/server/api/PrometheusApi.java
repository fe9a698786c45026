package dev.vigil.server.api;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarQueryable;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.LabelStrings;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StorageException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Prometheus HTTP API endpoints as functions from parameters (and the tenant's
 * {@link Queryable}) to Prometheus's JSON envelope. Thread-safe; holds no per-request state.
 */
public final class PrometheusApi {
  /** What Prometheus's API answers for a call with neither data nor error. */
  public static final ApiResponse NO_CONTENT = new ApiResponse(204, new byte[0]);

  /** Prometheus refuses range queries with more points per series than this. */
  public static final long MAX_POINTS_PER_SERIES = 11_000;

  private final QueryLanguage promql;
  private final Clock clock;
  private final BuildInfo buildInfo;
  private final String configYaml;
  private final Map<String, String> flags;

  public PrometheusApi(QueryLanguage promql, Clock clock, BuildInfo buildInfo, String configYaml,
      Map<String, String> flags) {
    this.promql = promql;
    this.clock = clock;
    this.buildInfo = buildInfo;
    this.configYaml = configYaml;
    this.flags = Map.copyOf(flags);
  }

  /** {@code /api/v1/query}. */
  public ApiResponse query(ApiParams p, Queryable q) {
    return query(p, q, QueryLimits.DEFAULTS);
  }

  /** {@code /api/v1/query} under the tenant's query limits. */
  public ApiResponse query(ApiParams p, Queryable q, QueryLimits limits) {
    try {
      long t = p.time("time", clock.millis());
      checkTimeout(p);
      QueryOutcome out = promql.instant(q, p.get("query"), t, limits);
      boolean stats = p.has("stats");
      return success(w -> ResultJson.writeData(w, out, stats), out.warnings(), out.infos());
    } catch (ApiException e) {
      return error(e);
    }
  }

  /** {@code /api/v1/query_range}. */
  public ApiResponse queryRange(ApiParams p, Queryable q) {
    return queryRange(p, q, QueryLimits.DEFAULTS);
  }

  /** {@code /api/v1/query_range} under the tenant's query limits. */
  public ApiResponse queryRange(ApiParams p, Queryable q, QueryLimits limits) {
    try {
      long start = p.time("start", Long.MIN_VALUE);
      if (!p.has("start")) {
        throw ApiException.invalidParam("start", "cannot parse \"\" to a valid timestamp");
      }
      long end = p.time("end", Long.MIN_VALUE);
      if (!p.has("end")) {
        throw ApiException.invalidParam("end", "cannot parse \"\" to a valid timestamp");
      }
      if (end < start) {
        throw new ApiException(ErrorType.BAD_DATA, "end timestamp must not be before start time");
      }
      long step = p.duration("step");
      if (step <= 0) {
        throw new ApiException(ErrorType.BAD_DATA, "zero or negative query resolution step "
            + "widths are not accepted. Try a positive integer");
      }
      // Integer division like Go's Duration division: 11000 points plus the first are allowed.
      if ((end - start) / step > MAX_POINTS_PER_SERIES) {
        throw new ApiException(ErrorType.BAD_DATA, "exceeded maximum resolution of 11,000 points "
            + "per timeseries. Try decreasing the query resolution (?step=XX)");
      }
      long maxLength = limits.maxTotalQueryLength().toMillis();
      if (maxLength > 0 && end - start > maxLength) {
        // Mimir's query-frontend answer (bad_data, 400).
        throw new ApiException(ErrorType.BAD_DATA, "the total query time range exceeds the limit"
            + " (query length: " + goDuration(end - start) + ", limit: " + goDuration(maxLength)
            + ") (err-mimir-max-total-query-length). To adjust the related per-tenant limit, "
            + "configure -query-frontend.max-total-query-length, or contact your service "
            + "administrator.");
      }
      checkTimeout(p);
      QueryOutcome out = promql.range(q, p.get("query"), start, end, step, limits);
      boolean stats = p.has("stats");
      return success(w -> ResultJson.writeData(w, out, stats), out.warnings(), out.infos());
    } catch (ApiException e) {
      return error(e);
    }
  }

  private static String goDuration(long ms) {
    return dev.vigil.server.limits.GoDuration.format(java.time.Duration.ofMillis(ms));
  }

  private static void checkTimeout(ApiParams p) throws ApiException {
    if (p.has("timeout")) {
      p.duration("timeout"); // validated like Prometheus; the engine's own timeout applies
    }
  }

  /** {@code /api/v1/series}. */
  public ApiResponse series(ApiParams p, Queryable q) {
    try {
      List<String> match = p.all("match[]");
      if (match.isEmpty()) {
        throw new ApiException(ErrorType.BAD_DATA, "no match[] parameter provided");
      }
      long start = p.time("start", ApiParams.MIN_TIME);
      long end = p.time("end", ApiParams.MAX_TIME);
      int limit = limit(p);
      List<List<Matcher>> sets = matcherSets(match);
      TreeSet<Labels> found = new TreeSet<>();
      List<String> warnings = new ArrayList<>();
      try (Querier querier = q.querier(start, end)) {
        SelectHints hints = new SelectHints(start, end, 0, "series", List.of(), false, 0);
        for (List<Matcher> set : sets) {
          SeriesSet ss = querier.select(false, hints, set);
          while (ss.next()) {
            found.add(ss.at().labels());
          }
          warnings.addAll(ss.warnings());
        }
      }
      List<Labels> result = new ArrayList<>(found);
      if (limit > 0 && result.size() > limit) {
        result = result.subList(0, limit);
        warnings.add("results truncated due to limit");
      }
      List<Labels> out = result;
      return success(w -> {
        w.beginArray();
        for (Labels l : out) {
          ResultJson.writeLabels(w, l);
        }
        w.endArray();
      }, warnings, List.of());
    } catch (ApiException e) {
      return error(e);
    } catch (StorageException e) {
      return error(new ApiException(ErrorType.INTERNAL, e.getMessage(), e));
    }
  }

  /** {@code /api/v1/labels}. */
  public ApiResponse labelNames(ApiParams p, Queryable q) {
    return stringList(p, q, null);
  }

  /** {@code /api/v1/label/{name}/values} with the name from the path. */
  public ApiResponse labelValuesOf(ApiParams p, Queryable q, String name) {
    return labelValues(name == null ? "" : name, p, q);
  }

  /** {@code /api/v1/label/{name}/values}. */
  public ApiResponse labelValues(String name, ApiParams p, Queryable q) {
    String n = name;
    if (n.startsWith("U__")) {
      n = unescapeUtf8Name(n);
    }
    if (n == null || !LabelStrings.isValidLegacyLabelName(n)) {
      return error(new ApiException(ErrorType.BAD_DATA,
          "invalid label name: " + LabelStrings.quote(name)));
    }
    return stringList(p, q, n);
  }

  private ApiResponse stringList(ApiParams p, Queryable q, String labelName) {
    try {
      long start = p.time("start", ApiParams.MIN_TIME);
      long end = p.time("end", ApiParams.MAX_TIME);
      int limit = limit(p);
      List<List<Matcher>> sets = matcherSets(p.all("match[]"));
      if (sets.isEmpty()) {
        sets = List.of(List.of());
      }
      TreeSet<String> found = new TreeSet<>();
      try (Querier querier = q.querier(start, end)) {
        for (List<Matcher> set : sets) {
          found.addAll(labelName == null ? querier.labelNames(set)
              : querier.labelValues(labelName, set));
        }
      }
      List<String> result = new ArrayList<>(found);
      List<String> warnings = new ArrayList<>();
      if (limit > 0 && result.size() > limit) {
        result = result.subList(0, limit);
        warnings.add("results truncated due to limit");
      }
      List<String> out = result;
      return success(w -> {
        w.beginArray();
        for (String s : out) {
          w.value(s);
        }
        w.endArray();
      }, warnings, List.of());
    } catch (ApiException e) {
      return error(e);
    } catch (StorageException e) {
      return error(new ApiException(ErrorType.INTERNAL, e.getMessage(), e));
    }
  }

  private List<List<Matcher>> matcherSets(List<String> match) throws ApiException {
    List<List<Matcher>> sets = new ArrayList<>(match.size());
    for (String m : match) {
      List<Matcher> set = promql.parseSelector(m);
      boolean anyNonEmpty = false;
      for (Matcher x : set) {
        if (!x.matchesEmpty()) {
          anyNonEmpty = true;
          break;
        }
      }
      if (!anyNonEmpty) {
        throw new ApiException(ErrorType.BAD_DATA,
            "match[] must contain at least one non-empty matcher");
      }
      sets.add(set);
    }
    return sets;
  }

  private static int limit(ApiParams p) throws ApiException {
    if (!p.has("limit")) {
      return 0;
    }
    String s = p.get("limit");
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw ApiException.invalidParam("limit", "cannot parse \"" + s + "\" to a valid limit");
    }
    if (v < 0) {
      throw ApiException.invalidParam("limit", "limit must be non-negative");
    }
    return v;
  }

  /** Prometheus's {@code U__} value-encoding escape for UTF-8 label names in URLs. */
  private static String unescapeUtf8Name(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 3; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_' && i + 1 < s.length() && s.charAt(i + 1) == '_') {
        sb.append('_');
        i++;
      } else if (c == '_') {
        int close = s.indexOf('_', i + 1);
        if (close < 0) {
          return null;
        }
        try {
          sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, close), 16));
        } catch (IllegalArgumentException e) {
          return null;
        }
        i = close;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** {@code /api/v1/metadata} of a server that keeps no metadata: an empty map. */
  public ApiResponse metadata(ApiParams p) {
    return metadata(p, metric -> new java.util.TreeMap<>());
  }

  /**
   * {@code /api/v1/metadata} as Prometheus answers it: {@code {family: [{type, help, unit}]}},
   * at most {@code limit} families (a negative or absent limit: all; 0: none) and
   * {@code limit_per_metric} entries each (when positive), only {@code metric}'s when given.
   *
   * @param byMetric the tenant's metadata by family, sorted, only the given family's when the
   *     argument is not empty
   */
  public ApiResponse metadata(ApiParams p, java.util.function.Function<String,
      ? extends java.util.SortedMap<String, List<dev.vigil.protocol.remote.MetricMetadata>>>
      byMetric) {
    try {
      int limit = metadataLimit(p, "limit");
      int perMetric = metadataLimit(p, "limit_per_metric");
      String metric = p.has("metric") ? p.get("metric") : "";
      var data = byMetric.apply(metric);
      return success(w -> {
        w.beginObject();
        int families = 0;
        for (var e : data.entrySet()) {
          if (limit >= 0 && families >= limit) {
            break;
          }
          families++;
          w.name(e.getKey()).beginArray();
          int n = 0;
          for (var m : e.getValue()) {
            if (perMetric > 0 && n >= perMetric) {
              break;
            }
            n++;
            w.beginObject().name("type").value(m.type().promName()).name("help")
                .value(m.help()).name("unit").value(m.unit()).endObject();
          }
          w.endArray();
        }
        w.endObject();
      }, List.of(), List.of());
    } catch (ApiException e) {
      return error(e);
    }
  }

  /** Prometheus's parsing of the metadata limits: any integer, -1 when absent. */
  private static int metadataLimit(ApiParams p, String name) throws ApiException {
    if (!p.has(name) || p.get(name).isEmpty()) {
      return -1;
    }
    try {
      return Integer.parseInt(p.get(name));
    } catch (NumberFormatException e) {
      throw new ApiException(ErrorType.BAD_DATA, name + " must be a number");
    }
  }

  /**
   * {@code /api/v1/query_exemplars}, as Prometheus's: the exemplars in {@code [start, end]} of
   * the series matched by the selectors of {@code query}; 204 without a body when the query
   * has no selector (Prometheus's answer to "no data"), else one entry per series (sorted by
   * labels) with its exemplars oldest first. Stores that keep no exemplars answer an empty list.
   */
  public ApiResponse queryExemplars(ApiParams p, Queryable q) {
    try {
      long start = p.time("start", ApiParams.MIN_TIME);
      long end = p.time("end", ApiParams.MAX_TIME);
      if (end < start) {
        throw new ApiException(ErrorType.BAD_DATA,
            "end timestamp must not be before start timestamp");
      }
      List<List<Matcher>> sets = promql.selectors(p.get("query"));
      if (sets.isEmpty()) {
        return NO_CONTENT; // Prometheus: no data and no error is 204 without a body
      }
      List<ExemplarSeries> found = q instanceof ExemplarQueryable eq
          ? eq.selectExemplars(start, end, sets) : List.of();
      return success(w -> {
        w.beginArray();
        for (ExemplarSeries s : found) {
          w.beginObject().name("seriesLabels");
          ResultJson.writeLabels(w, s.seriesLabels());
          w.name("exemplars").beginArray();
          for (Exemplar e : s.exemplars()) {
            w.beginObject().name("labels");
            ResultJson.writeLabels(w, e.labels());
            w.name("value").sampleValue(e.value()).name("timestamp").timestamp(e.timestamp())
                .endObject();
          }
          w.endArray().endObject();
        }
        w.endArray();
      }, List.of(), List.of());
    } catch (ApiException e) {
      return error(e);
    } catch (StorageException e) {
      return error(new ApiException(ErrorType.INTERNAL, e.getMessage(), e));
    }
  }

  /** {@code /api/v1/format_query}. */
  public ApiResponse formatQuery(ApiParams p) {
    try {
      String formatted = promql.format(p.get("query"));
      return success(w -> w.value(formatted), List.of(), List.of());
    } catch (ApiException e) {
      return error(e);
    }
  }

  /** {@code /api/v1/parse_query}. */
  public ApiResponse parseQuery(ApiParams p) {
    try {
      JsonWriter tree = new JsonWriter();
      promql.writeSyntaxTree(p.get("query"), tree);
      String json = tree.toString();
      return success(w -> w.raw(json), List.of(), List.of());
    } catch (ApiException e) {
      return error(e);
    }
  }

  /**
   * {@code /api/v1/status/tsdb}: cardinality statistics; {@code head} is null when the store
   * (or a federation of stores) has no single head to describe.
   */
  public ApiResponse tsdbStatus(ApiParams p, Queryable q, HeadStats head) {
    try {
      int limit = 10;
      if (p.has("limit")) {
        limit = limit(p);
        if (limit == 0) {
          throw ApiException.invalidParam("limit", "limit must be positive");
        }
      }
      int n = limit;
      return success(w -> TsdbStatus.write(w, q, head, n), List.of(), List.of());
    } catch (ApiException e) {
      return error(e);
    } catch (StorageException e) {
      return error(new ApiException(ErrorType.INTERNAL, e.getMessage(), e));
    }
  }

  /** {@code /api/v1/status/buildinfo}. */
  public ApiResponse buildInfo() {
    BuildInfo b = buildInfo;
    return success(w -> w.beginObject()
        .name("application").value(BuildInfo.APPLICATION)
        .name("version").value(b.version())
        .name("revision").value(b.revision())
        .name("branch").value(b.branch())
        .name("buildUser").value("vigil")
        .name("buildDate").value(b.buildDate())
        .name("goVersion").value("java" + Runtime.version().feature())
        .name("features").beginObject()
        .name("ruler_config_api").value(Boolean.toString(b.rulerConfigApi()))
        .name("alertmanager_config_api").value(Boolean.toString(b.alertmanagerConfigApi()))
        .name("query_sharding").value("false")
        .name("federated_rules").value("false")
        .endObject()
        .endObject(), List.of(), List.of());
  }

  /** {@code /api/v1/rules}: no rule groups until the ruler is wired in. */
  public ApiResponse rules() {
    return success(w -> w.beginObject().name("groups").beginArray().endArray().endObject(),
        List.of(), List.of());
  }

  /** {@code /api/v1/alerts}: no alerts until the ruler is wired in. */
  public ApiResponse alerts() {
    return success(w -> w.beginObject().name("alerts").beginArray().endArray().endObject(),
        List.of(), List.of());
  }

  /** {@code /api/v1/status/config}. */
  public ApiResponse config() {
    return success(w -> w.beginObject().name("yaml").value(configYaml).endObject(), List.of(),
        List.of());
  }

  /** {@code /api/v1/status/flags}. */
  public ApiResponse flags() {
    return success(w -> {
      w.beginObject();
      for (String k : new TreeSet<>(flags.keySet())) {
        w.name(k).value(flags.get(k));
      }
      w.endObject();
    }, List.of(), List.of());
  }

  /** Writes the {@code data} field of a success envelope. */
  @FunctionalInterface
  interface DataWriter {
    void write(JsonWriter w);
  }

  static ApiResponse success(DataWriter data, List<String> warnings, List<String> infos) {
    JsonWriter w = new JsonWriter();
    w.beginObject().name("status").value("success").name("data");
    data.write(w);
    ResultJson.writeAnnotations(w, warnings, infos);
    w.endObject();
    return new ApiResponse(200, w.toByteArray());
  }

  /** The error envelope: {@code {"status":"error","errorType":"bad_data","error":"..."}}. */
  public static ApiResponse error(ApiException e) {
    JsonWriter w = new JsonWriter();
    w.beginObject().name("status").value("error").name("errorType").value(e.type().wireName())
        .name("error").value(e.getMessage()).endObject();
    return new ApiResponse(e.type().status(), w.toByteArray());
  }

  /** An error envelope for a type and message. */
  public static ApiResponse error(ErrorType type, String message) {
    return error(new ApiException(type, message));
  }
}
