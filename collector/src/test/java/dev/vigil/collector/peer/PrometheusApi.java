package dev.vigil.collector.peer;

import dev.vigil.model.labels.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The parts of Prometheus's HTTP API the peer tests read. */
public final class PrometheusApi {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One sample; {@code t} in milliseconds. For a native histogram {@code v} is NaN and
   * {@code histogram} describes it as {@link #describeHistogram} does.
   */
  public record Point(long t, double v, String histogram) {
    public Point(long t, double v) {
      this(t, v, null);
    }
  }

  /**
   * A native histogram as the comparison sees it: count, sum and the sorted counts of its
   * non-empty buckets (zero bucket included). Bucket bounds are left out: Prometheus's JSON
   * renders them through its own bound tables.
   */
  public static String describeHistogram(double count, double sum, List<Double> bucketCounts) {
    List<Double> sorted = new ArrayList<>(bucketCounts);
    sorted.removeIf(c -> c == 0);
    sorted.sort(null);
    return "count=" + count + " sum=" + sum + " buckets=" + sorted;
  }

  /** An active target of {@code /api/v1/targets}. */
  public record ActiveTarget(Labels discovered, Labels labels, String health, String lastError, String scrapeUrl) {}

  private final String base;

  public PrometheusApi(String baseUrl) {
    this.base = baseUrl;
  }

  /** An instant query at the server's current time; the answer must be a vector. */
  public Map<Labels, Point> query(String expr) {
    JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    if (!data.path("resultType").asString().equals("vector")) {
      throw new IllegalStateException(expr + " gave " + data.path("resultType").asString());
    }
    Map<Labels, Point> out = new TreeMap<>();
    for (JsonNode s : data.path("result")) {
      JsonNode v = s.path("value");
      // The time is a JSON number of seconds with millisecond precision.
      long t = Math.round(v.get(0).asDouble() * 1000);
      out.put(labels(s.path("metric")), new Point(t, parseValue(v.get(1).asString())));
    }
    return out;
  }

  /**
   * The latest sample (its own timestamp, not the evaluation time) of every series
   * {@code selector} selects within the last {@code window} (a PromQL duration).
   */
  public Map<Labels, Point> latestSamples(String selector, String window) {
    String expr = selector + "[" + window + "]";
    JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    Map<Labels, Point> out = new TreeMap<>();
    for (JsonNode s : data.path("result")) {
      JsonNode values = s.path("values");
      JsonNode histograms = s.path("histograms");
      Point last = null;
      if (values.size() > 0) {
        JsonNode v = values.get(values.size() - 1);
        last = new Point(Math.round(v.get(0).asDouble() * 1000), parseValue(v.get(1).asString()));
      }
      if (histograms.size() > 0) {
        JsonNode v = histograms.get(histograms.size() - 1);
        long t = Math.round(v.get(0).asDouble() * 1000);
        if (last == null || t > last.t()) {
          JsonNode h = v.get(1);
          List<Double> counts = new ArrayList<>();
          for (JsonNode bucket : h.path("buckets")) {
            counts.add(parseValue(bucket.get(3).asString()));
          }
          last = new Point(t, Double.NaN, describeHistogram(parseValue(h.path("count").asString()),
              parseValue(h.path("sum").asString()), counts));
        }
      }
      if (last != null) {
        out.put(labels(s.path("metric")), last);
      }
    }
    return out;
  }

  /**
   * A sample as the API's JSON writes it, untouched: the time (seconds, Prometheus's number
   * format), and the value string of a float or the JSON text of a native histogram.
   */
  public record RawPoint(String time, String value, String histogram) {}

  /**
   * As {@link #latestSamples}, but with the JSON's own strings, so that two servers' answers
   * compare formatting and all.
   */
  public Map<Labels, RawPoint> latestRaw(String selector, String window) {
    String expr = selector + "[" + window + "]";
    JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    Map<Labels, RawPoint> out = new TreeMap<>();
    for (JsonNode s : data.path("result")) {
      JsonNode values = s.path("values");
      JsonNode histograms = s.path("histograms");
      RawPoint last = null;
      double lastT = Double.NEGATIVE_INFINITY;
      if (values.size() > 0) {
        JsonNode v = values.get(values.size() - 1);
        last = new RawPoint(v.get(0).toString(), v.get(1).asString(), null);
        lastT = v.get(0).asDouble();
      }
      if (histograms.size() > 0) {
        JsonNode v = histograms.get(histograms.size() - 1);
        if (last == null || v.get(0).asDouble() > lastT) {
          last = new RawPoint(v.get(0).toString(), null, v.get(1).toString());
        }
      }
      if (last != null) {
        out.put(labels(s.path("metric")), last);
      }
    }
    return out;
  }

  /** One entry of {@code /api/v1/targets/metadata}. */
  public record TargetMetadata(Labels target, String metric, String type, String help, String unit) {}

  /** {@code /api/v1/targets/metadata} for {@code matchTarget}, in the server's order. */
  public List<TargetMetadata> targetMetadata(String matchTarget) {
    List<TargetMetadata> out = new ArrayList<>();
    String sel = URLEncoder.encode(matchTarget, StandardCharsets.UTF_8);
    for (JsonNode m : get("/api/v1/targets/metadata?match_target=" + sel)) {
      out.add(new TargetMetadata(labels(m.path("target")), m.path("metric").asString(), m.path("type").asString(),
          m.path("help").asString(), m.path("unit").asString()));
    }
    return out;
  }

  /** The {@code data} of {@code /api/v1/query_exemplars} for {@code query} in [start, end] (seconds). */
  public JsonNode queryExemplars(String query, double start, double end) {
    return get("/api/v1/query_exemplars?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + "&start=" + start + "&end=" + end);
  }

  public List<ActiveTarget> activeTargets() {
    List<ActiveTarget> out = new ArrayList<>();
    for (JsonNode t : get("/api/v1/targets?state=active").path("activeTargets")) {
      out.add(new ActiveTarget(labels(t.path("discoveredLabels")), labels(t.path("labels")),
          t.path("health").asString(), t.path("lastError").asString(), t.path("scrapeUrl").asString()));
    }
    return out;
  }

  public List<Labels> droppedTargets() {
    List<Labels> out = new ArrayList<>();
    for (JsonNode t : get("/api/v1/targets?state=dropped").path("droppedTargets")) {
      out.add(labels(t.path("discoveredLabels")));
    }
    return out;
  }

  /** Metric family name to type ({@code counter}, {@code histogram}, ...) of the job's targets. */
  public Map<String, String> metadataTypes(String job) {
    Map<String, String> out = new HashMap<>();
    String sel = URLEncoder.encode("{job=\"" + job + "\"}", StandardCharsets.UTF_8);
    for (JsonNode m : get("/api/v1/targets/metadata?match_target=" + sel)) {
      out.put(m.path("metric").asString(), m.path("type").asString());
    }
    return out;
  }

  /** Go's {@code strconv.ParseFloat} for what Prometheus's JSON writes ("NaN", "+Inf", "-0", ...). */
  public static double parseValue(String s) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  private static Labels labels(JsonNode obj) {
    Labels.Builder b = Labels.builder();
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      b.set(e.getKey(), e.getValue().asString());
    }
    return b.build();
  }

  private JsonNode get(String pathAndQuery) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode root = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !root.path("status").asString().equals("success")) {
        throw new IllegalStateException(pathAndQuery + " -> " + r.statusCode() + " " + r.body());
      }
      return root.path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
