package dev.vigil.mixin.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.mixin.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against an in-process fake of Grafana's folder and dashboard API (ids and versions added). */
class GrafanaSyncTest {
  HttpServer server;
  final Map<String, Map<String, Object>> dashboards = new TreeMap<>();
  final Map<String, String> folderOf = new TreeMap<>();
  final Map<String, Object> folders = new TreeMap<>();
  int nextId = 1;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @SuppressWarnings("unchecked")
  private void handle(HttpExchange x) throws IOException {
    if (!"Bearer secret".equals(x.getRequestHeaders().getFirst("Authorization"))) {
      reply(x, 401, "{\"message\":\"Unauthorized\"}");
      return;
    }
    String path = x.getRequestURI().getPath();
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (path.startsWith("/api/dashboards/uid/")) {
      var d = dashboards.get(path.substring("/api/dashboards/uid/".length()));
      reply(x, d == null ? 404 : 200, d == null ? "{\"message\":\"Dashboard not found\"}" : Json.write(Map.of("dashboard", d, "meta", Map.of())));
    } else if (path.equals("/api/dashboards/db")) {
      var req = (Map<String, Object>) Json.parse(body, "req");
      var d = new LinkedHashMap<>((Map<String, Object>) req.get("dashboard"));
      var old = dashboards.get((String) d.get("uid"));
      d.put("id", (double) nextId++);
      d.put("version", old == null ? 1.0 : (Double) old.get("version") + 1);
      dashboards.put((String) d.get("uid"), d);
      folderOf.put((String) d.get("uid"), (String) req.get("folderUid"));
      reply(x, 200, "{\"status\":\"success\"}");
    } else if (path.startsWith("/api/folders/")) {
      String uid = path.substring("/api/folders/".length());
      reply(x, folders.containsKey(uid) ? 200 : 404, "{}");
    } else if (path.equals("/api/folders")) {
      var req = (Map<String, Object>) Json.parse(body, "req");
      folders.put((String) req.get("uid"), req);
      reply(x, 200, "{}");
    } else {
      reply(x, 404, "{}");
    }
  }

  private static void reply(HttpExchange x, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(code, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  @Test
  void appliesNewAndChangedDashboardsIntoTheMixinFolder() throws Exception {
    var sync = GrafanaSync.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "secret");
    Map<String, String> files = Map.of("a.json", "{\"uid\": \"a\", \"title\": \"A\", \"panels\": []}",
        "b.json", "{\"uid\": \"b\", \"title\": \"B\"}");
    assertThat(sync.apply("kubernetes", files)).extracting(Object::toString)
        .containsExactly("+ a.json (uid a)", "+ b.json (uid b)");
    assertThat(folders).containsKey("kubernetes");
    assertThat(folderOf).containsEntry("a", "kubernetes");
    assertThat(sync.diff(files)).isEmpty(); // Grafana's id and version do not count

    var changed = Map.of("a.json", "{\"uid\": \"a\", \"title\": \"A2\", \"panels\": []}", "b.json", files.get("b.json"));
    assertThat(sync.apply("kubernetes", changed)).extracting(Object::toString).containsExactly("~ a.json (uid a)");
    assertThat(dashboards.get("a")).containsEntry("title", "A2").containsEntry("version", 2.0);
  }
}
