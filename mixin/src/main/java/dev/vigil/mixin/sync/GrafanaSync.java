package dev.vigil.mixin.sync;

import dev.vigil.mixin.json.Json;
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

/**
 * Pushes rendered dashboards to Grafana's HTTP API, one folder per mixin: the folder is created
 * if missing ({@code /api/folders}), each dashboard is compared by uid with
 * {@code GET /api/dashboards/uid/UID} (ignoring Grafana's {@code id} and {@code version}) and
 * written with {@code POST /api/dashboards/db} ({@code overwrite: true}) when it differs.
 *
 * @param token a service-account token sent as {@code Authorization: Bearer}; null sends none
 */
public record GrafanaSync(URI baseUrl, @Nullable String token, HttpClient http) {
  /** A dashboard file that is new or differs from Grafana's copy. */
  public record Diff(String file, String uid, boolean isNew) {
    @Override
    public String toString() {
      return (isNew ? "+ " : "~ ") + file + " (uid " + uid + ")";
    }
  }

  public static GrafanaSync of(URI baseUrl, @Nullable String token) {
    return new GrafanaSync(baseUrl, token, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  /** {@code dashboards}: file name -> dashboard JSON (the {@code dashboards/} files of a render). */
  public List<Diff> diff(Map<String, String> dashboards) throws IOException, InterruptedException {
    List<Diff> out = new ArrayList<>();
    for (var e : new TreeMap<>(dashboards).entrySet()) {
      Map<String, Object> local = dashboard(e.getKey(), e.getValue());
      String uid = (String) local.get("uid");
      HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/dashboards/uid/" + enc(uid))).GET());
      if (r.statusCode() == 404) {
        out.add(new Diff(e.getKey(), uid, true));
        continue;
      }
      check(r, "read dashboard " + uid);
      Object remote = Json.parse(r.body(), "Grafana's dashboard " + uid) instanceof Map<?, ?> m ? m.get("dashboard") : null;
      if (!comparable(remote).equals(comparable(local))) {
        out.add(new Diff(e.getKey(), uid, false));
      }
    }
    return out;
  }

  /** Creates the folder if needed and writes every dashboard that differs; returns them. */
  public List<Diff> apply(String folder, Map<String, String> dashboards) throws IOException, InterruptedException {
    List<Diff> diffs = diff(dashboards);
    if (diffs.isEmpty()) {
      return diffs;
    }
    HttpResponse<String> f = send(HttpRequest.newBuilder(uri("/api/folders/" + enc(folder))).GET());
    if (f.statusCode() == 404) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("uid", folder);
      body.put("title", folder);
      check(send(post("/api/folders", body)), "create folder " + folder);
    } else {
      check(f, "read folder " + folder);
    }
    for (Diff d : diffs) {
      Map<String, Object> dash = dashboard(d.file(), dashboards.get(d.file()));
      dash.put("id", null); // Grafana matches by uid; a stale id would be rejected
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("dashboard", dash);
      body.put("folderUid", folder);
      body.put("overwrite", true);
      body.put("message", "vigil mixin apply");
      check(send(post("/api/dashboards/db", body)), "write dashboard " + d.uid());
    }
    return diffs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dashboard(String file, String json) {
    if (!(Json.parse(json, file) instanceof Map<?, ?> m) || !(m.get("uid") instanceof String uid) || uid.isEmpty()) {
      throw new IllegalArgumentException(file + ": a dashboard needs a uid to be synced with Grafana");
    }
    return new LinkedHashMap<>((Map<String, Object>) m);
  }

  private static Object comparable(@Nullable Object dashboard) {
    if (!(dashboard instanceof Map<?, ?> m)) {
      return "absent";
    }
    Map<String, Object> c = new TreeMap<>();
    m.forEach((k, v) -> {
      if (!"id".equals(k) && !"version".equals(k)) {
        c.put(String.valueOf(k), RulerSync.canonical(v));
      }
    });
    return c;
  }

  private URI uri(String path) {
    return URI.create(baseUrl.toString().replaceAll("/+$", "") + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder post(String path, Map<String, Object> body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach Grafana at " + baseUrl + " (" + e + ")", e);
    }
  }

  private void check(HttpResponse<String> r, String what) throws IOException {
    if (r.statusCode() / 100 != 2) {
      throw new IOException("Grafana at " + baseUrl + ": cannot " + what + ": HTTP " + r.statusCode() + ": " + r.body().strip());
    }
  }
}
