package dev.vigil.server.ruler;

import dev.vigil.model.labels.Labels;
import dev.vigil.rules.eval.Alert;
import dev.vigil.rules.eval.AlertState;
import dev.vigil.rules.eval.RuleStatus;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.manager.GroupStatus;
import dev.vigil.rules.manager.RuleManager;
import dev.vigil.rules.store.InvalidRuleGroupException;
import dev.vigil.rules.store.RuleStore;
import dev.vigil.rules.store.StoredGroup;
import dev.vigil.server.api.ApiParams;
import dev.vigil.server.api.JsonWriter;
import dev.vigil.server.api.ResultJson;
import dev.vigil.server.http.BodyTooLargeException;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;
import dev.vigil.server.limits.LimitsProvider;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.server.tenant.TenantException;
import dev.vigil.server.tenant.TenantResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mimir's rule config API ({@code /prometheus/config/v1/rules[/{namespace}[/{group}]]}: YAML
 * out, one group of YAML in, 202 on writes, Mimir's 404 texts) and Prometheus's
 * {@code /api/v1/rules} and {@code /api/v1/alerts} with the managers' live state.
 */
public final class RulerEndpoints {
  /** Mimir's prefix of the config API. */
  public static final String CONFIG_PREFIX = "/prometheus/config/v1/rules";
  private static final String YAML = "application/yaml";
  private static final byte[] ACCEPTED =
      "{\"status\":\"success\",\"data\":null,\"errorType\":\"\",\"error\":\"\"}"
          .getBytes(StandardCharsets.UTF_8);
  private static final int MAX_GROUP_BYTES = 1 << 20;

  private final RulerService ruler;
  private final TenantResolver tenants;
  private final LimitsProvider limits;

  public RulerEndpoints(RulerService ruler, TenantResolver tenants, LimitsProvider limits) {
    this.ruler = ruler;
    this.tenants = tenants;
    this.limits = limits;
  }

  /**
   * Mimir's ruler limits, checked before the group is stored: rules per group, and groups per
   * tenant when the group is new. Null when within them (or when the body does not parse: the
   * store then says why).
   */
  private String overLimits(String tenant, String ns, String yaml) {
    TenantLimits l = limits.forTenant(tenant);
    Object root;
    try {
      root = new org.snakeyaml.engine.v2.api.Load(
          org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(yaml);
    } catch (RuntimeException e) {
      return null;
    }
    if (!(root instanceof Map<?, ?> group)) {
      return null;
    }
    int rules = group.get("rules") instanceof List<?> list ? list.size() : 0;
    if (l.rulerMaxRulesPerRuleGroup() > 0 && rules > l.rulerMaxRulesPerRuleGroup()) {
      return "per-user rules per rule group limit (limit: " + l.rulerMaxRulesPerRuleGroup()
          + " actual: " + rules + ") exceeded";
    }
    int max = l.rulerMaxRuleGroupsPerTenant();
    if (max > 0) {
      String name = String.valueOf(group.get("name"));
      int total = 0;
      boolean replaces = false;
      for (var e : ruler.store().listAll(tenant).entrySet()) {
        total += e.getValue().size();
        for (StoredGroup g : e.getValue()) {
          replaces |= e.getKey().equals(ns) && g.name().equals(name);
        }
      }
      if (!replaces && total + 1 > max) {
        return "per-user rule groups limit (limit: " + max + " actual: " + (total + 1)
            + ") exceeded";
      }
    }
    return null;
  }

  /** {@code CONFIG_PREFIX} and everything below it: GET, POST, DELETE. */
  public HttpReply config(HttpCall call) throws IOException {
    String tenant;
    try {
      tenant = tenants.writeTenant(call.header(TenantResolver.HEADER));
    } catch (TenantException e) {
      return HttpReply.text(e.status(), e.getMessage());
    }
    String raw = call.rawPath();
    int at = raw.indexOf(CONFIG_PREFIX);
    String rest = at < 0 ? "" : raw.substring(at + CONFIG_PREFIX.length());
    List<String> segments = new ArrayList<>();
    for (String s : rest.split("/")) {
      if (!s.isEmpty()) {
        String d = percentDecode(s);
        if (d == null) {
          return HttpReply.text(400, "invalid URL encoding in " + raw);
        }
        segments.add(d);
      }
    }
    if (segments.size() > 2) {
      return HttpReply.text(404, "404 page not found");
    }
    RuleStore store = ruler.store();
    String ns = segments.isEmpty() ? null : segments.get(0);
    String group = segments.size() < 2 ? null : segments.get(1);
    switch (call.method()) {
      case "GET", "HEAD" -> {
        if (group != null) {
          Optional<StoredGroup> g = store.getGroup(tenant, ns, group);
          return g.map(x -> yaml(x.yaml()))
              .orElseGet(() -> HttpReply.text(404, "group does not exist"));
        }
        Map<String, List<StoredGroup>> all;
        if (ns == null) {
          all = store.listAll(tenant);
        } else {
          all = store.getNamespace(tenant, ns).filter(l -> !l.isEmpty())
              .map(l -> Map.of(ns, l)).orElse(Map.of());
        }
        if (all.isEmpty()) {
          return HttpReply.text(404, "no rule groups found");
        }
        return yaml(RuleStore.renderNamespaces(all));
      }
      case "POST" -> {
        if (ns == null || group != null) {
          return HttpReply.text(405, "POST takes one rule group at " + CONFIG_PREFIX
              + "/{namespace}");
        }
        byte[] body;
        try {
          body = call.body(MAX_GROUP_BYTES);
        } catch (BodyTooLargeException e) {
          return HttpReply.text(413, "rule group larger than " + MAX_GROUP_BYTES + " bytes");
        }
        String yamlText = new String(body, StandardCharsets.UTF_8);
        String over = overLimits(tenant, ns, yamlText);
        if (over != null) {
          return HttpReply.text(400, over);
        }
        try {
          store.setGroup(tenant, ns, yamlText);
        } catch (InvalidRuleGroupException e) {
          return HttpReply.text(400, e.getMessage());
        }
        ruler.ruler().sync(tenant);
        return new HttpReply(202, HttpReply.JSON, ACCEPTED, List.of());
      }
      case "DELETE" -> {
        if (ns == null) {
          return HttpReply.text(405, "DELETE needs a namespace");
        }
        boolean found = group == null ? store.deleteNamespace(tenant, ns)
            : store.deleteGroup(tenant, ns, group);
        if (!found) {
          return HttpReply.text(404, group == null ? "group namespace does not exist"
              : "group does not exist");
        }
        ruler.ruler().sync(tenant);
        return new HttpReply(202, HttpReply.JSON, ACCEPTED, List.of());
      }
      default -> {
        return HttpReply.text(405, "method " + call.method() + " not allowed");
      }
    }
  }

  private static HttpReply yaml(String text) {
    return new HttpReply(200, YAML, text.getBytes(StandardCharsets.UTF_8), List.of());
  }

  /** Percent-decoding of a path segment ({@code +} stays {@code +}); null when malformed. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private List<RuleManager> managers(String header) throws TenantException {
    List<RuleManager> out = new ArrayList<>();
    for (String t : tenants.readTenants(header)) {
      ruler.ruler().manager(t).ifPresent(out::add);
    }
    return out;
  }

  /** {@code /api/v1/rules} with Prometheus's JSON; {@code type=alert|record} filters. */
  public HttpReply rules(HttpCall call) {
    List<RuleManager> ms;
    try {
      ms = managers(call.header(TenantResolver.HEADER));
    } catch (TenantException e) {
      return HttpReply.text(e.status(), e.getMessage());
    }
    ApiParams p = ApiParams.parse(call.query(), null);
    String type = p.has("type") ? p.all("type").get(0) : "";
    if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      return error("invalid query parameter type='" + type + "'");
    }
    JsonWriter w = new JsonWriter();
    w.beginObject().name("status").value("success").name("data").beginObject()
        .name("groups").beginArray();
    for (RuleManager m : ms) {
      for (GroupStatus g : m.groups()) {
        writeGroup(w, g, type);
      }
    }
    w.endArray().endObject().endObject();
    return HttpReply.json(200, w.toByteArray());
  }

  /** {@code /api/v1/alerts}: pending and firing alerts of every alerting rule. */
  public HttpReply alerts(HttpCall call) {
    List<RuleManager> ms;
    try {
      ms = managers(call.header(TenantResolver.HEADER));
    } catch (TenantException e) {
      return HttpReply.text(e.status(), e.getMessage());
    }
    JsonWriter w = new JsonWriter();
    w.beginObject().name("status").value("success").name("data").beginObject()
        .name("alerts").beginArray();
    for (RuleManager m : ms) {
      for (GroupStatus g : m.groups()) {
        for (RuleStatus r : g.rules()) {
          for (Alert a : r.alerts()) {
            if (a.state() != AlertState.INACTIVE) {
              writeAlert(w, a);
            }
          }
        }
      }
    }
    w.endArray().endObject().endObject();
    return HttpReply.json(200, w.toByteArray());
  }

  private static HttpReply error(String message) {
    JsonWriter w = new JsonWriter();
    w.beginObject().name("status").value("error").name("errorType").value("bad_data")
        .name("error").value(message).endObject();
    return HttpReply.json(400, w.toByteArray());
  }

  private static void writeGroup(JsonWriter w, GroupStatus g, String type) {
    w.beginObject().name("name").value(g.group().name()).name("file").value(g.key().file())
        .name("rules").beginArray();
    List<Rule> defs = g.group().rules();
    for (int i = 0; i < defs.size(); i++) {
      Rule def = defs.get(i);
      RuleStatus st = i < g.rules().size() ? g.rules().get(i) : null;
      long lastEval = st == null ? 0 : st.lastEvaluation();
      long evalNanos = st == null ? 0 : st.evaluationNanos();
      String health = st == null ? "unknown" : st.health();
      String lastError = st == null ? null : st.lastError();
      switch (def) {
        case Rule.AlertingRule a -> {
          if (type.equals("record")) {
            continue;
          }
          AlertState state = AlertState.INACTIVE;
          List<Alert> alerts = st == null ? List.of() : st.alerts();
          for (Alert x : alerts) {
            if (x.state().ordinal() > state.ordinal()) {
              state = x.state();
            }
          }
          w.beginObject().name("state").value(state.label()).name("name").value(a.name())
              .name("query").value(a.expr())
              .name("duration").raw(seconds(a.holdDuration()))
              .name("keepFiringFor").raw(seconds(a.keepFiringFor()))
              .name("labels");
          ResultJson.writeLabels(w, Labels.fromMap(a.labels()));
          w.name("annotations");
          ResultJson.writeLabels(w, Labels.fromMap(a.annotations()));
          w.name("alerts").beginArray();
          for (Alert x : alerts) {
            if (x.state() != AlertState.INACTIVE) {
              writeAlert(w, x);
            }
          }
          w.endArray();
          writeHealth(w, health, lastError, lastEval, evalNanos);
          w.name("type").value("alerting").endObject();
        }
        case Rule.RecordingRule r -> {
          if (type.equals("alert")) {
            continue;
          }
          w.beginObject().name("name").value(r.name()).name("query").value(r.expr());
          if (!r.labels().isEmpty()) {
            w.name("labels");
            ResultJson.writeLabels(w, Labels.fromMap(r.labels()));
          }
          writeHealth(w, health, lastError, lastEval, evalNanos);
          w.name("type").value("recording").endObject();
        }
      }
    }
    w.endArray()
        .name("interval").raw(seconds(g.interval()))
        .name("limit").value(g.group().limit())
        .name("evaluationTime").raw(seconds(g.evaluationTime()))
        .name("lastEvaluation").value(goTime(g.lastEvaluation() == null ? null
            : g.lastEvaluation()))
        .endObject();
  }

  private static void writeHealth(JsonWriter w, String health, String lastError, long lastEval,
      long evalNanos) {
    w.name("health").value(health);
    if (lastError != null && !lastError.isEmpty()) {
      w.name("lastError").value(lastError);
    }
    w.name("evaluationTime").raw(seconds(Duration.ofNanos(evalNanos)))
        .name("lastEvaluation").value(goTime(lastEval == 0 ? null : Instant.ofEpochMilli(lastEval)));
  }

  private static void writeAlert(JsonWriter w, Alert a) {
    w.beginObject().name("labels");
    ResultJson.writeLabels(w, a.labels());
    w.name("annotations");
    ResultJson.writeLabels(w, a.annotations());
    w.name("state").value(a.state().label());
    if (a.activeAt() != 0) {
      w.name("activeAt").value(goTime(Instant.ofEpochMilli(a.activeAt())));
    }
    if (a.keepFiringSince() != 0) {
      w.name("keepFiringSince").value(goTime(Instant.ofEpochMilli(a.keepFiringSince())));
    }
    w.name("value").value(goExponent(a.value())).endObject();
  }

  /** A duration in seconds as a JSON number (Go's float64 of {@code Duration.Seconds()}). */
  private static String seconds(Duration d) {
    if (d == null) {
      return "0";
    }
    return new BigDecimal(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
  }

  /** Go's {@code time.Time} JSON (RFC 3339 with trimmed nanoseconds); zero time when null. */
  private static String goTime(Instant t) {
    return t == null ? "0001-01-01T00:00:00Z" : t.toString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: {@code 1e+00}, {@code 1.5e+03}. */
  static String goExponent(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    StringBuilder sb = new StringBuilder();
    if (v < 0 || (v == 0 && 1 / v < 0)) {
      sb.append('-');
    }
    if (v == 0) {
      return sb.append("0e+00").toString();
    }
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) {
      sb.append('0');
    }
    return sb.append(ae).toString();
  }
}
