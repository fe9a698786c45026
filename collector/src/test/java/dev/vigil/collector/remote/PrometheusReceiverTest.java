package dev.vigil.collector.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.collector.peer.PeerProcess;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the reference receiver: Debian's Prometheus (2.42, remote write 1.0
 * receiver with native histograms enabled) stores what the sender sends, read back through its
 * query API.
 */
class PrometheusReceiverTest {
  @TempDir
  Path tmp;

  @Test
  void prometheusStoresFloatsAndNativeHistogramsFromTheSender() throws Exception {
    PeerProcess.assumeInstalled(PeerProcess.PROMETHEUS);
    try (PeerProcess prom = PeerProcess.prometheus(tmp.resolve("prom"), "global: {}\n",
        "--web.enable-remote-write-receiver", "--enable-feature=native-histograms");
        HttpClient http = HttpClient.newHttpClient()) {
      RemoteWriteConfig rw = new RemoteWriteConfig(prom.url() + "/api/v1/write", "prom",
          Duration.ofSeconds(10), Map.of(), "prometheus.WriteRequest", false, true,
          HttpClientConfig.DEFAULT, List.of(), RemoteStorageTest.QUICK);
      long now = System.currentTimeMillis() / 1000 * 1000;
      FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0.001, 1, 6, 3.5,
          List.of(new Span(0, 2)), new double[] {2, 3}, List.of(), new double[0], null);
      try (RemoteStorage rs = RemoteStorage.open(tmp.resolve("sender"), List.of(rw), RemoteStorageTest.FAST)) {
        for (int step = 0; step < 5; step++) {
          Appender a = rs.appender();
          for (int s = 0; s < 3; s++) {
            a.append(0, Labels.of("__name__", "sender_interop", "s", Integer.toString(s)),
                now - (4 - step) * 1000L, step * 10 + s);
          }
          a.appendHistogram(0, Labels.of("__name__", "sender_interop_hist"), now - (4 - step) * 1000L, h);
          a.commit();
        }
        QueueStats st = rs.queues().get(0);
        RemoteStorageTest.await("accepted by Prometheus", Duration.ofSeconds(20),
            () -> st.samplesSent() + st.samplesFailed() >= 20);
        assertThat(st.samplesFailed()).as(st.lastError()).isZero();
      }
      double t = now / 1000.0;
      assertThat(query(http, prom, "sum(sender_interop)", t)).contains("\"123\""); // 40+41+42
      assertThat(query(http, prom, "count_over_time(sender_interop{s=\"2\"}[10s])", t)).contains("\"5\"");
      assertThat(query(http, prom, "histogram_count(sender_interop_hist)", t)).contains("\"6\"");
      assertThat(query(http, prom, "histogram_sum(sender_interop_hist)", t)).contains("\"3.5\"");
    }
  }

  @Test
  void prometheusStoresExemplarsFromTheSender() throws Exception {
    PeerProcess.assumeInstalled(PeerProcess.PROMETHEUS);
    try (PeerProcess prom = PeerProcess.prometheus(tmp.resolve("prom"), "global: {}\n",
        "--web.enable-remote-write-receiver", "--enable-feature=exemplar-storage");
        HttpClient http = HttpClient.newHttpClient()) {
      RemoteWriteConfig rw = ExemplarMetadataSendTest.config(prom.url() + "/api/v1/write",
          "prometheus.WriteRequest", true, ExemplarMetadataSendTest.FAST_METADATA);
      long now = System.currentTimeMillis() / 1000 * 1000;
      Labels series = Labels.of("__name__", "sender_exemplars_bucket", "le", "0.5");
      try (RemoteStorage rs = RemoteStorage.open(tmp.resolve("sender"), List.of(rw), RemoteStorageTest.FAST)) {
        for (int step = 0; step < 4; step++) {
          long t = now - (3 - step) * 1000L;
          Appender a = rs.appender();
          a.updateMetadata(0, series, new dev.vigil.model.metadata.Metadata(
              dev.vigil.model.metadata.MetricType.HISTOGRAM, "Exemplar test.", "seconds"));
          a.append(0, series, t, step);
          a.appendExemplar(0, series, new dev.vigil.model.exemplar.Exemplar(
              Labels.of("trace_id", "trace-" + step), 0.125 * (step + 1), t));
          a.commit();
        }
        QueueStats st = rs.queues().get(0);
        RemoteStorageTest.await("exemplars accepted by Prometheus", Duration.ofSeconds(20),
            () -> st.exemplarsSent() + st.exemplarsFailed() >= 4 && st.metadataSent() > 0);
        assertThat(st.exemplarsFailed()).as(st.lastError()).isZero();
        assertThat(st.metadataFailed()).as(st.lastError()).isZero(); // 2.42 accepts and ignores it
      }
      URI u = URI.create(prom.url() + "/api/v1/query_exemplars?start=" + (now / 1000 - 60) + "&end="
          + (now / 1000 + 1) + "&query=" + URLEncoder.encode("sender_exemplars_bucket", StandardCharsets.UTF_8));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      for (int step = 0; step < 4; step++) {
        assertThat(r.body()).contains("\"trace_id\":\"trace-" + step + "\"")
            .contains("\"value\":\"" + (0.125 * (step + 1)) + "\"");
      }
    }
  }

  private static String query(HttpClient http, PeerProcess prom, String q, double t) throws Exception {
    URI u = URI.create(prom.url() + "/api/v1/query?time=" + t + "&query="
        + URLEncoder.encode(q, StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
