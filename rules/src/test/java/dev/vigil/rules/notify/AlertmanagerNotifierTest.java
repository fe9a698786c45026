package dev.vigil.rules.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.labels.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a fake Alertmanager on 127.0.0.1 that records bodies and answers as told. */
class AlertmanagerNotifierTest {
  private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  private URI fakeAlertmanager(IntSupplier status) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v2/alerts", ex -> {
      requests.incrementAndGet();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int code = status.getAsInt();
      if (code == 200) {
        bodies.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type")
            + " " + body);
      }
      ex.sendResponseHeaders(code, -1);
      ex.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static NotifierAlert alert(String name) {
    return new NotifierAlert(Labels.of("alertname", name, "env", "own"), Labels.EMPTY,
        Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:04:00Z"), "u");
  }

  private static AlertmanagerNotifierOptions options(URI am, int capacity, int batch) {
    return new AlertmanagerNotifierOptions(List.of(am), Labels.of("cluster", "c1", "env", "x"),
        capacity, batch, Duration.ofSeconds(5), 2, Duration.ofMillis(10));
  }

  @Test
  void postsBatchesWithExternalLabels() throws Exception {
    URI am = fakeAlertmanager(() -> 200);
    try (AlertmanagerNotifier n = new AlertmanagerNotifier(options(am, 100, 2))) {
      n.send(List.of(alert("A"), alert("B"), alert("C")));
      n.start();
      String first = bodies.poll(5, TimeUnit.SECONDS);
      String second = bodies.poll(5, TimeUnit.SECONDS);
      assertThat(first).startsWith("POST application/json [{\"labels\":{\"alertname\":\"A\","
          + "\"cluster\":\"c1\",\"env\":\"own\"}"); // an alert's own label wins
      assertThat(first).contains("\"alertname\":\"B\"");
      assertThat(second).contains("\"alertname\":\"C\"").doesNotContain("\"B\"");
      n.close(); // the counter moves after the response; close waits for the sender
      assertThat(n.sent(am)).isEqualTo(3);
      assertThat(n.dropped()).isZero();
    }
  }

  @Test
  void retriesServerErrorsThenDelivers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    URI am = fakeAlertmanager(() -> calls.incrementAndGet() <= 2 ? 503 : 200);
    try (AlertmanagerNotifier n = new AlertmanagerNotifier(options(am, 100, 10))) {
      n.start();
      n.send(List.of(alert("A")));
      assertThat(bodies.poll(5, TimeUnit.SECONDS)).contains("\"A\"");
      assertThat(requests.get()).isEqualTo(3);
      assertThat(n.dropped()).isZero();
      assertThat(n.collect()).filteredOn(s -> s.name().equals("prometheus_notifications_errors_total"))
          .singleElement().satisfies(s -> assertThat(s.value()).isZero());
    }
  }

  @Test
  void clientErrorsAreNotRetriedAndCountAsDropped() throws Exception {
    URI am = fakeAlertmanager(() -> 400);
    AlertmanagerNotifier n = new AlertmanagerNotifier(options(am, 100, 10));
    n.start();
    n.send(List.of(alert("A"), alert("B")));
    n.close(); // sends what is queued first
    assertThat(requests.get()).isEqualTo(1);
    assertThat(n.dropped()).isEqualTo(2);
    assertThat(n.collect()).filteredOn(s -> s.name().equals("prometheus_notifications_errors_total"))
        .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(2));
  }

  @Test
  void aFullQueueDropsTheOldest() throws Exception {
    URI am = fakeAlertmanager(() -> 200);
    AlertmanagerNotifier n = new AlertmanagerNotifier(options(am, 2, 10));
    n.send(List.of(alert("A"), alert("B"), alert("C")));
    assertThat(n.queueLength()).isEqualTo(2);
    assertThat(n.dropped()).isEqualTo(1);
    n.start();
    n.close();
    assertThat(bodies.poll()).contains("\"B\"", "\"C\"").doesNotContain("\"A\"");
    assertThat(n.collect()).extracting(s -> s.name()).contains(
        "prometheus_notifications_dropped_total", "prometheus_notifications_queue_length",
        "prometheus_notifications_queue_capacity", "prometheus_notifications_sent_total");
  }

  @Test
  void anUnreachableAlertmanagerDropsAfterRetries() throws Exception {
    URI am = fakeAlertmanager(() -> 200);
    server.stop(0);
    server = null;
    AlertmanagerNotifier n = new AlertmanagerNotifier(options(am, 10, 10));
    n.start();
    n.send(List.of(alert("A")));
    n.close();
    assertThat(n.dropped()).isEqualTo(1);
    assertThat(n.sent(am)).isZero();
  }
}
