package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.BinaryExpr;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.DurationExpr;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.NumberLiteral;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.promql.parser.StringLiteral;
import dev.vigil.promql.parser.SubqueryExpr;
import dev.vigil.promql.parser.UnaryExpr;
import dev.vigil.promql.parser.VectorSelector;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.Sample;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana's queries: every panel query ({@code expr} of a target) and every template-variable
 * query of the 23 kubernetes-mixin dashboards runs against a Vigil server holding a small
 * cluster's worth of kube-state-metrics, cAdvisor, kubelet, node-exporter and apiserver series,
 * the way Grafana sends them: variables through {@code /api/v1/label/{name}/values} with a
 * {@code match[]} selector, panels as form-POSTed range queries with {@code $__rate_interval}
 * and the template variables substituted. Every query must parse and run without error.
 *
 * <p>The data set is generated from the queries themselves: each selector yields series at the
 * level its metric lives at (container, pod, node, namespace), with the labels of one consistent
 * topology (cluster {@code prod}, two nodes, two namespaces, four pods each with two
 * containers) and values satisfying the selector's matchers, so joins find their partners and
 * the "one" sides of {@code group_left} stay unique, as in a real cluster.
 */
class DashboardQueriesTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long INTERVAL = 30_000;
  private static final int POINTS = 121; // one hour
  /** The value each dashboard variable takes, as a user would pick from the drop-down. */
  private static final Map<String, String> VARIABLES = Map.ofEntries(
      Map.entry("cluster", "prod"),
      Map.entry("namespace", "default"),
      Map.entry("pod", "default-web-0"),
      Map.entry("node", "node-a"),
      Map.entry("instance", "10.0.0.1:9100"),
      Map.entry("workload", "web"),
      Map.entry("type", "deployment"),
      Map.entry("volume", "data-pvc"),
      Map.entry("datasource", "vigil"),
      // Grafana's built-ins for a 1 h dashboard at 30 s resolution, scrape interval 30 s.
      Map.entry("__rate_interval", "2m"),
      Map.entry("__interval", "30s"),
      Map.entry("__range", "1h"));
  private static final Pattern VARIABLE = Pattern.compile(
      "\\$\\{(\\w+)(?::\\w+)?}|\\[\\[(\\w+)]]|\\$(\\w+)");
  private static final Pattern LABEL_VALUES = Pattern.compile(
      "^\\s*label_values\\((?:(.*),)?\\s*(\\w+)\\s*\\)\\s*$", Pattern.DOTALL);

  @TempDir Path dataDir;

  record Query(String dashboard, String title, String expr) {}

  static Path dashboardsDir() {
    String conf = System.getProperty("vigil.conformance.dir", "../../shared/conformance");
    return Path.of(conf, "kubernetes-mixin", "dashboards");
  }

  static String substitute(String s) {
    java.util.regex.Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String v = VARIABLES.get(name);
      if (v == null) {
        throw new AssertionError("unknown dashboard variable $" + name + " in " + s);
      }
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  static void collectTargets(JsonElement e, String dashboard, String title, List<Query> out) {
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        collectTargets(x, dashboard, title, out);
      }
    } else if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      String t = o.has("title") && o.get("title").isJsonPrimitive()
          ? o.get("title").getAsString() : title;
      if (o.has("targets")) {
        for (JsonElement target : o.getAsJsonArray("targets")) {
          JsonObject to = target.getAsJsonObject();
          if (to.has("expr")) {
            out.add(new Query(dashboard, t, to.get("expr").getAsString()));
          }
        }
      }
      for (var entry : o.entrySet()) {
        if (!entry.getKey().equals("targets") && !entry.getKey().equals("templating")) {
          collectTargets(entry.getValue(), dashboard, t, out);
        }
      }
    }
  }

  /** Panel queries and variable queries of every dashboard, in file order. */
  static void readDashboards(List<Query> panels, List<Query> variables) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(dashboardsDir())) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("dashboards in %s", dashboardsDir()).hasSize(23);
    for (Path f : files) {
      JsonObject d = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
      String name = f.getFileName().toString();
      collectTargets(d, name, "", panels);
      if (d.has("templating")) {
        for (JsonElement v : d.getAsJsonObject("templating").getAsJsonArray("list")) {
          JsonObject vo = v.getAsJsonObject();
          if (vo.get("type").getAsString().equals("query")) {
            JsonElement q = vo.get("query");
            String text = q.isJsonObject() ? q.getAsJsonObject().get("query").getAsString()
                : q.getAsString();
            variables.add(new Query(name, "$" + vo.get("name").getAsString(), text));
          }
        }
      }
    }
  }

  // ---- the generated cluster ----

  enum Level { CONTAINER, POD, NODE, NAMESPACE }

  static Level level(String metric) {
    if (metric.contains("container")) {
      return Level.CONTAINER;
    }
    if (metric.contains("pod")) {
      return Level.POD;
    }
    if (metric.startsWith("kube_namespace") || metric.startsWith("namespace")) {
      return Level.NAMESPACE;
    }
    return Level.NODE;
  }

  static List<Map<String, String>> rows(Level level) {
    List<Map<String, String>> rows = new ArrayList<>();
    String[] nodes = {"node-a", "node-b"};
    for (int n = 0; n < nodes.length && (level == Level.NODE); n++) {
      rows.add(Map.of("node", nodes[n], "instance", "10.0.0." + (n + 1) + ":9100"));
    }
    for (String ns : new String[] {"default", "monitoring"}) {
      if (level == Level.NAMESPACE) {
        rows.add(Map.of("namespace", ns));
        continue;
      }
      for (int p = 0; p < 4 && level != Level.NODE; p++) {
        Map<String, String> pod = new TreeMap<>(Map.of("namespace", ns,
            "pod", ns + "-web-" + p, "node", nodes[p % 2],
            "instance", "10.0.0." + (p % 2 + 1) + ":9100",
            "workload", "web", "workload_type", "deployment"));
        if (level == Level.POD) {
          rows.add(pod);
          continue;
        }
        for (String c : new String[] {"app", "sidecar"}) {
          Map<String, String> row = new TreeMap<>(pod);
          row.put("container", c);
          row.put("image", "registry/" + c + ":1.0");
          rows.add(row);
        }
      }
    }
    return rows;
  }

  static String defaultJob(String metric) {
    if (metric.startsWith("container_")) {
      return "cadvisor";
    }
    if (metric.startsWith("kube_")) {
      return "kube-state-metrics";
    }
    if (metric.startsWith("node_")) {
      return "node-exporter";
    }
    if (metric.startsWith("kubelet_")) {
      return "kubelet";
    }
    if (metric.startsWith("apiserver_")) {
      return "kube-apiserver";
    }
    return "integrations/other";
  }

  private static final List<String> CANDIDATES = List.of("x", "/dev/sda1", "mmcblk0p1",
      "/dev/nvme0n1", "eth0", "ext4", "/", "200", "500", "GET", "LIST", "cpu", "memory",
      "core", "byte", "Running", "Pending", "deployment", "ReplicaSet", "resource", "1", "0.99",
      "0.5", "0.9", "kube-apiserver", "read", "write", "all", "sda");

  /** A value for a label that the matcher accepts, preferring {@code current}. */
  static String satisfy(Matcher m, String current) {
    if (m.matches(current)) {
      return current;
    }
    if (m.type() == MatchType.EQUAL) {
      return m.value();
    }
    if (m.type() == MatchType.REGEX) {
      for (String alt : m.value().split("\\|")) {
        String lit = alt.replace("\\.", ".").replace("(", "").replace(")", "");
        if (!lit.isEmpty() && m.matches(lit)) {
          return lit;
        }
      }
    }
    for (String c : CANDIDATES) {
      if (m.matches(c)) {
        return c;
      }
    }
    throw new AssertionError("no value found for matcher " + m);
  }

  static void selectors(Expr e, List<VectorSelector> out) {
    switch (e) {
      case VectorSelector v -> out.add(v);
      case MatrixSelector m -> out.add(m.vectorSelector());
      case AggregateExpr a -> {
        selectors(a.expr(), out);
        if (a.param() != null) {
          selectors(a.param(), out);
        }
      }
      case BinaryExpr b -> {
        selectors(b.lhs(), out);
        selectors(b.rhs(), out);
      }
      case Call c -> c.args().forEach(x -> selectors(x, out));
      case ParenExpr p -> selectors(p.expr(), out);
      case UnaryExpr u -> selectors(u.expr(), out);
      case SubqueryExpr s -> selectors(s.expr(), out);
      case NumberLiteral n -> { }
      case StringLiteral s -> { }
      case DurationExpr d -> { }
    }
  }

  /** Series (label maps, sorted) wanted by the selectors of {@code exprs}. */
  static Map<String, Map<String, String>> seriesFor(List<String> exprs) {
    Map<String, Map<String, String>> series = new TreeMap<>();
    for (String text : exprs) {
      List<VectorSelector> sels = new ArrayList<>();
      selectors(Parser.parseExpr(text, ParserOptions.ALL_FEATURES), sels);
      for (VectorSelector v : sels) {
        String metric = v.name();
        for (Matcher m : v.matchers()) {
          if (m.name().equals("__name__") && m.type() == MatchType.EQUAL) {
            metric = m.value();
          }
        }
        if (metric == null || metric.isEmpty()) {
          continue;
        }
        List<String> les = metric.endsWith("_bucket")
            ? List.of("0.005", "0.1", "1", "10", "+Inf") : List.of("");
        for (Map<String, String> row : rows(level(metric))) {
          for (String le : les) {
            Map<String, String> labels = new TreeMap<>(row);
            labels.put("__name__", metric);
            labels.put("cluster", "prod");
            labels.put("job", defaultJob(metric));
            if (!le.isEmpty()) {
              labels.put("le", le);
            }
            for (Matcher m : v.matchers()) {
              String cur = labels.getOrDefault(m.name(), "");
              String val = satisfy(m, cur.isEmpty() && !m.matches("") ? "x" : cur);
              if (val.isEmpty()) {
                labels.remove(m.name());
              } else {
                labels.put(m.name(), val);
              }
            }
            series.put(labels.toString(), labels);
          }
        }
      }
    }
    return series;
  }

  static boolean isCounter(String metric) {
    return metric.endsWith("_total") || metric.endsWith("_count") || metric.endsWith("_sum")
        || metric.endsWith("_bucket");
  }

  static void ingest(TestServer s, Map<String, Map<String, String>> series) throws Exception {
    WriteRequest.Builder req = WriteRequest.newBuilder();
    int h = 0;
    for (Map<String, String> labels : series.values()) {
      h++;
      TimeSeries.Builder ts = TimeSeries.newBuilder();
      labels.forEach((k, v) -> ts.addLabels(Label.newBuilder().setName(k).setValue(v)));
      String metric = labels.get("__name__");
      boolean counter = isCounter(metric);
      double le = labels.containsKey("le") ? Math.min(1, Double.parseDouble(
          labels.get("le").replace("+Inf", "Infinity")) + 0.2) : 1;
      double base = metric.startsWith("kube_") ? 1 : 10 + h % 50;
      for (int i = 0; i < POINTS; i++) {
        double v = counter ? (i + 1) * (1 + h % 7) * le * 3 : base + (i % 3 == 0 ? 0 : 0.5 * (h % 2));
        ts.addSamples(Sample.newBuilder().setTimestamp(T0 + i * INTERVAL).setValue(
            metric.startsWith("kube_") && !counter ? 1 : v));
      }
      req.addTimeseries(ts);
      if (req.getTimeseriesCount() == 500) {
        push(s, req.build());
        req = WriteRequest.newBuilder();
      }
    }
    if (req.getTimeseriesCount() > 0) {
      push(s, req.build());
    }
  }

  static void push(TestServer s, WriteRequest r) throws Exception {
    HttpResponse<String> resp = s.push("k8s", RemoteWriteVersion.V1.contentType(),
        r.toByteArray());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void everyDashboardQueryRuns() throws Exception {
    List<Query> panels = new ArrayList<>();
    List<Query> variables = new ArrayList<>();
    readDashboards(panels, variables);

    List<String> exprs = new ArrayList<>();
    for (Query q : panels) {
      exprs.add(substitute(q.expr()));
    }
    for (Query q : variables) {
      java.util.regex.Matcher m = LABEL_VALUES.matcher(q.expr());
      assertThat(m.matches()).as("variable query %s of %s", q.expr(), q.dashboard()).isTrue();
      if (m.group(1) != null) {
        exprs.add(substitute(m.group(1)));
      }
    }
    Map<String, Map<String, String>> series = seriesFor(exprs);

    ServerConfig config = TestServer.config(dataDir).withIngestionRate(0, 0);
    try (TestServer s = new TestServer(config)) {
      ingest(s, series);
      String start = Long.toString((T0 + 30 * 60_000) / 1000);
      String end = Long.toString((T0 + 60 * 60_000) / 1000);
      String window = "&start=" + (T0 / 1000) + "&end=" + end;

      // Template variables, as Grafana resolves label_values(selector, label).
      List<String> failures = new ArrayList<>();
      int variablesWithValues = 0;
      for (Query q : variables) {
        java.util.regex.Matcher m = LABEL_VALUES.matcher(q.expr());
        assertThat(m.matches()).isTrue();
        String path = "/prometheus/api/v1/label/" + m.group(2) + "/values?"
            + (m.group(1) == null ? "" : "match[]=" + enc(substitute(m.group(1)).trim()))
            + window;
        HttpResponse<String> r = s.get("k8s", path);
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        if (r.statusCode() != 200 || !body.get("status").getAsString().equals("success")) {
          failures.add(q.dashboard() + " " + q.title() + ": " + q.expr() + " -> " + r.body());
          continue;
        }
        JsonArray values = body.getAsJsonArray("data");
        if (!values.isEmpty()) {
          variablesWithValues++;
        }
        String chosen = VARIABLES.get(q.title().substring(1));
        if (chosen != null && !values.toString().contains("\"" + chosen + "\"")) {
          failures.add(q.dashboard() + " " + q.title() + ": " + q.expr() + " lacks " + chosen
              + ": " + values);
        }
      }

      // Panels, as Grafana sends them: form-encoded POST of query_range.
      int withData = 0;
      for (Query q : panels) {
        String expr = substitute(q.expr());
        HttpResponse<String> r = s.postForm("k8s", "/prometheus/api/v1/query_range",
            "query=" + enc(expr) + "&start=" + start + "&end=" + end + "&step=60");
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        if (r.statusCode() != 200 || !body.get("status").getAsString().equals("success")) {
          failures.add(q.dashboard() + " / " + q.title() + ": " + expr + " -> " + r.body());
          continue;
        }
        if (!body.getAsJsonObject("data").getAsJsonArray("result").isEmpty()) {
          withData++;
        }
      }
      System.getLogger(DashboardQueriesTest.class.getName()).log(System.Logger.Level.INFO,
          "kubernetes-mixin dashboards: {0} panel queries run ({1} with data), {2} variable "
          + "queries ({3} with values), {4} failures, {5} series ingested", panels.size(),
          withData, variables.size(), variablesWithValues, failures.size(), series.size());
      assertThat(failures).as("dashboard queries that failed").isEmpty();
      assertThat(panels).hasSizeGreaterThanOrEqualTo(400);
      assertThat(withData).as("panel queries with data").isGreaterThan(panels.size() * 9 / 10);
    }
  }
}
