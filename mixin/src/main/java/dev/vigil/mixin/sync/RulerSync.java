package dev.vigil.mixin.sync;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Keeps one ruler namespace equal to the rendered rule groups, like {@code mimirtool rules sync}
 * for a single namespace: groups missing remotely are created, differing ones replaced, remote
 * groups that the mixin no longer has are deleted. Group bodies are compared as YAML values, so
 * formatting and key order do not count as changes.
 *
 * @param baseUrl the ruler's base URL (the API lives under {@code /prometheus/config/v1/rules})
 * @param tenant sent as {@code X-Scope-OrgID}; null sends none (single-tenant servers)
 */
public record RulerSync(URI baseUrl, @Nullable String tenant, HttpClient http) {
  public enum Change { ADD, CHANGE, DELETE }

  /** One difference: a group and what must happen to it. */
  public record Diff(Change change, String group) {
    @Override
    public String toString() {
      return switch (change) {
        case ADD -> "+ " + group + " (new)";
        case CHANGE -> "~ " + group + " (changed)";
        case DELETE -> "- " + group + " (not in the mixin)";
      };
    }
  }

  public static RulerSync of(URI baseUrl, @Nullable String tenant) {
    return new RulerSync(baseUrl, tenant,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  /** The rule groups of a render ({@code rules/NAME/GROUP.yaml} files): group name -> YAML body. */
  public static Map<String, String> groupsOf(Map<String, String> rendered) {
    Load yaml = new Load(LoadSettings.builder().build());
    Map<String, String> out = new TreeMap<>();
    rendered.forEach((file, content) -> {
      if (file.startsWith("rules/") && yaml.loadFromString(content) instanceof Map<?, ?> g
          && g.get("name") instanceof String name) {
        out.put(name, content);
      }
    });
    return out;
  }

  /** What {@link #apply} would do; {@code groups} maps group name to its YAML body. */
  public List<Diff> diff(String namespace, Map<String, String> groups) throws IOException, InterruptedException {
    Map<String, Object> remote = remoteGroups(namespace);
    List<Diff> out = new ArrayList<>();
    Load yaml = new Load(LoadSettings.builder().build());
    for (var e : new TreeMap<>(groups).entrySet()) {
      Object have = remote.get(e.getKey());
      if (have == null) {
        out.add(new Diff(Change.ADD, e.getKey()));
      } else if (!canonical(have).equals(canonical(yaml.loadFromString(e.getValue())))) {
        out.add(new Diff(Change.CHANGE, e.getKey()));
      }
    }
    for (String g : new TreeMap<>(remote).keySet()) {
      if (!groups.containsKey(g)) {
        out.add(new Diff(Change.DELETE, g));
      }
    }
    return out;
  }

  /** Makes the namespace equal to {@code groups}; returns what was done. */
  public List<Diff> apply(String namespace, Map<String, String> groups) throws IOException, InterruptedException {
    List<Diff> diffs = diff(namespace, groups);
    for (Diff d : diffs) {
      if (d.change() == Change.DELETE) {
        send(HttpRequest.newBuilder(uri(namespace, d.group())).DELETE(), "delete group " + d.group());
      } else {
        send(HttpRequest.newBuilder(uri(namespace, null))
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(groups.get(d.group()))), "write group " + d.group());
      }
    }
    return diffs;
  }

  private Map<String, Object> remoteGroups(String namespace) throws IOException, InterruptedException {
    HttpResponse<String> r;
    try {
      r = http.send(request(HttpRequest.newBuilder(uri(namespace, null)).GET()), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach the ruler at " + baseUrl + " (" + e + ")", e);
    }
    if (r.statusCode() == 404) {
      return Map.of(); // Mimir: "group does not exist" for an unknown namespace
    }
    check(r, "read namespace " + namespace);
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(r.body());
    Map<String, Object> out = new LinkedHashMap<>();
    if (doc instanceof Map<?, ?> m && m.get(namespace) instanceof List<?> list) {
      for (Object g : list) {
        if (g instanceof Map<?, ?> gm && gm.get("name") instanceof String name) {
          out.put(name, gm);
        }
      }
    }
    return out;
  }

  private URI uri(String namespace, @Nullable String group) {
    String base = baseUrl.toString().replaceAll("/+$", "") + "/prometheus/config/v1/rules/" + enc(namespace);
    return URI.create(group == null ? base : base + "/" + enc(group));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest request(HttpRequest.Builder b) {
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return b.timeout(Duration.ofSeconds(30)).build();
  }

  private void send(HttpRequest.Builder b, String what) throws IOException, InterruptedException {
    check(http.send(request(b), HttpResponse.BodyHandlers.ofString()), what);
  }

  private void check(HttpResponse<String> r, String what) throws IOException {
    if (r.statusCode() / 100 != 2) {
      throw new IOException("ruler at " + baseUrl + ": cannot " + what + ": HTTP " + r.statusCode() + ": "
          + r.body().strip());
    }
  }

  /** Sorted maps and doubles for numbers, so equal YAML values compare equal. */
  static Object canonical(@Nullable Object v) {
    return switch (v) {
      case null -> "null";
      case Map<?, ?> m -> {
        Map<String, Object> t = new TreeMap<>();
        m.forEach((k, x) -> t.put(String.valueOf(k), canonical(x)));
        yield t;
      }
      case List<?> l -> l.stream().map(RulerSync::canonical).toList();
      case Number n -> n.doubleValue();
      default -> v;
    };
  }
}
