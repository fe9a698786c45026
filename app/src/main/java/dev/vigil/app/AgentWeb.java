package dev.vigil.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.manager.TargetState;
import dev.vigil.server.ListenAddress;
import dev.vigil.server.api.ApiParams;
import dev.vigil.server.scrape.TargetsEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

/**
 * The agent's small HTTP API, as Prometheus in agent mode serves it: {@code /api/v1/targets}
 * and {@code /api/v1/targets/metadata} (same JSON as {@code vigil server}), {@code /metrics} (its own metrics, Prometheus's names: see
 * {@link AgentMetrics}), {@code /-/healthy}, {@code /-/ready} and
 * {@code POST /-/reload}, which re-reads the configuration and applies its scrape jobs
 * (unchanged jobs keep running; a changed {@code remote_write} needs a restart).
 */
final class AgentWeb implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AgentWeb.class.getName());

  private final HttpServer http;

  private AgentWeb(HttpServer http) {
    this.http = http;
  }

  /**
   * Serves on {@code listen} until closed.
   *
   * @param reload reads the configuration again (throws with a message naming the problem)
   * @throws IOException when the address cannot be bound
   */
  static AgentWeb start(ListenAddress listen, Agent agent, Callable<PrometheusConfig> reload) throws IOException {
    InetSocketAddress addr = listen.host().isEmpty() ? new InetSocketAddress(listen.port())
        : new InetSocketAddress(listen.host(), listen.port());
    HttpServer http = HttpServer.create(addr, 0);
    http.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vigil-agent-http");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/api/v1/targets", ex -> {
      ApiParams p = ApiParams.parse(ex.getRequestURI().getRawQuery(), null);
      byte[] body = TargetsEndpoint.render(agent.targets().filter(TargetState.parse(p.get("state")), p.get("scrapePool")));
      reply(ex, 200, "application/json", body);
    });
    http.createContext("/api/v1/targets/metadata", ex -> {
      ApiParams p = ApiParams.parse(ex.getRequestURI().getRawQuery(), null);
      var answer = dev.vigil.server.scrape.TargetMetadataEndpoint.answer(p, agent.targetMetadata());
      reply(ex, answer.status(), "application/json", answer.body());
    });
    http.createContext("/metrics", ex -> {
      AgentMetrics.Body body = agent.metrics().scrape(ex.getRequestHeaders().getFirst("Accept"));
      reply(ex, 200, body.contentType(), body.bytes());
    });
    http.createContext("/-/healthy", ex -> reply(ex, 200, "text/plain", "Vigil agent is Healthy.\n".getBytes(StandardCharsets.UTF_8)));
    http.createContext("/-/ready", ex -> reply(ex, 200, "text/plain", "Vigil agent is Ready.\n".getBytes(StandardCharsets.UTF_8)));
    http.createContext("/-/reload", ex -> {
      if (!ex.getRequestMethod().equals("POST") && !ex.getRequestMethod().equals("PUT")) {
        reply(ex, 405, "text/plain", "Only POST or PUT requests allowed\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      try {
        PrometheusConfig next = reload.call();
        if (!next.remoteWrite().equals(agent.remoteWrite())) {
          throw new IllegalArgumentException("remote_write changed; restart the agent to apply it");
        }
        agent.apply(next);
        reply(ex, 200, "text/plain", new byte[0]);
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "reload failed: {0}", e.getMessage());
        reply(ex, 500, "text/plain", ("failed to reload config: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    });
    http.start();
    return new AgentWeb(http);
  }

  int port() {
    return http.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    http.stop(0);
    ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
  }
}
