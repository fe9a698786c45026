package dev.vigil.mixin.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Against an in-process fake of Mimir's ruler config API (tenant header, 202s, 404 text). */
class RulerSyncTest {
  HttpServer server;
  /** tenant -> namespace -> group -> parsed group. */
  final Map<String, Map<String, Map<String, Object>>> store = new TreeMap<>();
  final List<String> calls = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/prometheus/config/v1/rules/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    String tenant = x.getRequestHeaders().getFirst("X-Scope-OrgID");
    if (tenant == null) {
      reply(x, 401, "no org id");
      return;
    }
    String[] parts = x.getRequestURI().getRawPath().substring("/prometheus/config/v1/rules/".length()).split("/");
    String ns = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    calls.add(x.getRequestMethod() + " " + ns + (parts.length > 1 ? "/" + URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : ""));
    var groups = store.computeIfAbsent(tenant, t -> new TreeMap<>()).computeIfAbsent(ns, n -> new LinkedHashMap<>());
    switch (x.getRequestMethod()) {
      case "GET" -> {
        if (groups.isEmpty()) {
          reply(x, 404, "group does not exist");
        } else {
          reply(x, 200, new Dump(DumpSettings.builder().build()).dumpToString(Map.of(ns, List.copyOf(groups.values()))));
        }
      }
      case "POST" -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) new Load(LoadSettings.builder().build())
            .loadFromString(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        groups.put((String) g.get("name"), g);
        reply(x, 202, "{\"status\":\"success\",\"data\":null,\"errorType\":\"\",\"error\":\"\"}");
      }
      case "DELETE" -> {
        String g = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        reply(x, groups.remove(g) == null ? 404 : 202, groups.containsKey(g) ? "" : "{\"status\":\"success\"}");
      }
      default -> reply(x, 405, "");
    }
  }

  private static void reply(HttpExchange x, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
    x.close();
  }

  private RulerSync sync(String tenant) {
    return RulerSync.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), tenant);
  }

  @Test
  void diffAndApplyKeepTheNamespaceEqualToTheMixin() throws Exception {
    Map<String, String> groups = RulerSync.groupsOf(Map.of(
        "rules/demo/a.yaml", "name: a\nrules:\n- record: job:up:sum\n  expr: sum by (job) (up)\n",
        "rules/demo/b c.yaml", "name: b c\ninterval: 1m\nrules:\n- alert: Down\n  expr: up == 0\n",
        "alerts.yaml", "groups: []\n"));
    assertThat(groups).containsOnlyKeys("a", "b c");

    assertThat(sync("t1").diff("demo", groups)).extracting(Object::toString).containsExactly("+ a (new)", "+ b c (new)");
    sync("t1").apply("demo", groups);
    assertThat(sync("t1").diff("demo", groups)).isEmpty();

    // Change one group, drop the other: one replace, one delete; other tenants untouched.
    Map<String, String> next = Map.of("a", "name: a\nrules:\n- record: job:up:sum\n  expr: sum by (job) (up == 1)\n");
    assertThat(sync("t1").apply("demo", next)).extracting(Object::toString)
        .containsExactly("~ a (changed)", "- b c (not in the mixin)");
    assertThat(store.get("t1").get("demo")).containsOnlyKeys("a");
    assertThat(calls).contains("DELETE demo/b c");
    assertThat(sync("t2").diff("demo", next)).extracting(Object::toString).containsExactly("+ a (new)");
  }

  @Test
  void serverErrorsNameTheUrlAndStatus() {
    assertThatThrownBy(() -> sync(null).diff("demo", Map.of()))
        .isInstanceOf(IOException.class).hasMessageContaining("HTTP 401").hasMessageContaining("no org id");
  }
}
