package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vigil.collector.peer.PeerProcess;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.Sample;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.tsdb.tenant.TenantDirectories;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * The whole server killed without warning (SIGKILL of a real {@code vigil server} JVM), again
 * and again, while two tenants remote-write through HTTP and its maintenance runs every second:
 * blocks cut and compacted, head snapshots written, an idle tenant's database closed and opened
 * again. Each writer resends, after the restart, the batch it had no answer for. After the last
 * restart every acknowledged sample is there exactly once, with its value, and nothing else is.
 */
class ServerKillTest {
  private static final int SERIES = 40;
  /** One-minute steps: 15 h of data, so blocks are cut (the head spans 3 h) and compacted. */
  private static final int BATCHES = 900;
  private static final long STEP = 60_000;
  /** Where tenant "steady" has its writes acknowledged when the server is killed. */
  private static final int[] KILL_AT = {230, 470, 690};
  private static final List<String> TENANTS = List.of("steady", "bursty");
  /** Tenant "bursty" pauses this often, longer than the idle timeout: its database closes. */
  private static final int BURST = 100;
  /** Maintenance counters summed over the runs (read just before each kill). */
  private static final List<String> COUNTERS = List.of("vigil_tsdb_blocks_cut_total",
      "vigil_tsdb_compactions_total", "vigil_tsdb_head_snapshots_total",
      "vigil_tsdb_idle_tenants_closed_total", "vigil_tsdb_maintenance_failures_total");

  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void everyAcknowledgedSampleSurvivesRepeatedKill9OfTheServer() throws Exception {
    Path data = tmp.resolve("data");
    long t0 = (System.currentTimeMillis() - 17 * 3_600_000L) / STEP * STEP;
    // Per tenant: the next batch to send (all before it acknowledged).
    AtomicInteger[] next = {new AtomicInteger(), new AtomicInteger()};
    Map<String, Double> counted = new TreeMap<>();
    for (int cycle = 0; cycle <= KILL_AT.length; cycle++) {
      int port = PeerProcess.freePort();
      try (PeerProcess server = start(data, port)) {
        boolean last = cycle == KILL_AT.length;
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < TENANTS.size(); t++) {
          int tenant = t;
          writers.add(Thread.ofPlatform().name("writer-" + TENANTS.get(t)).start(() -> {
            try {
              write(port, tenant, next[tenant], t0);
            } catch (Throwable e) {
              failures.add(e);
            }
          }));
        }
        if (last) {
          for (Thread w : writers) {
            w.join(TimeUnit.MINUTES.toMillis(3));
          }
          assertThat(failures).as("writers of the last run; server log:%n%s", server.logTail())
              .isEmpty();
          awaitCompactedBlock(data.resolve(TenantDirectories.TENANTS_DIR).resolve("steady"));
        } else {
          long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
          while (next[0].get() < KILL_AT[cycle] && System.nanoTime() < deadline
              && server.isAlive()) {
            Thread.sleep(1);
          }
          assertThat(next[0].get()).as("writes before kill %d; server log:%n%s", cycle,
              server.logTail()).isGreaterThanOrEqualTo(KILL_AT[cycle]);
        }
        counters(port).forEach((name, v) -> counted.merge(name, v, Double::sum));
        // Mid-stream for the first runs; after everything was acknowledged for the last.
        server.kill();
        for (Thread w : writers) {
          w.join(TimeUnit.SECONDS.toMillis(30));
        }
      }
    }
    assertThat(next[0].get()).isEqualTo(BATCHES);
    assertThat(next[1].get()).isEqualTo(BATCHES);
    // What the kills landed among: all of it ran, none of it failed.
    for (String name : COUNTERS) {
      double n = counted.getOrDefault(name, 0.0); // a counter without a child is not printed
      if (name.equals("vigil_tsdb_maintenance_failures_total")) {
        assertThat(n).as("%s over the runs", name).isZero();
      } else {
        assertThat(n).as("%s over the runs", name).isPositive();
      }
    }

    int port = PeerProcess.freePort();
    try (PeerProcess server = start(data, port)) {
      for (String tenant : TENANTS) {
        checkEverySample(port, tenant, t0);
      }
    }
  }

  /**
   * Sends tenant {@code tenant}'s batches from {@code next} on, advancing it on each
   * acknowledgement, until all are sent or the server goes away (a kill). Any answer but 200 is
   * a failure: the resent batch after a restart may already be stored, and must be taken again.
   */
  private void write(int port, int tenant, AtomicInteger next, long t0) throws Exception {
    URI push = URI.create("http://127.0.0.1:" + port + "/api/v1/push");
    int sentSincePause = 0;
    while (next.get() < BATCHES) {
      int k = next.get();
      if (tenant == 1 && sentSincePause == BURST) {
        Thread.sleep(2_500); // past the idle timeout and a maintenance pass: the TSDB closes
        sentSincePause = 0;
      }
      WriteRequest.Builder w = WriteRequest.newBuilder();
      for (int s = 0; s < SERIES; s++) {
        w.addTimeseries(TimeSeries.newBuilder()
            .addLabels(Label.newBuilder().setName("__name__").setValue("kill_test"))
            .addLabels(Label.newBuilder().setName("series").setValue(Integer.toString(s)))
            .addSamples(Sample.newBuilder().setTimestamp(t0 + k * STEP).setValue(value(k, s))));
      }
      HttpResponse<String> r;
      try {
        r = http.send(HttpRequest.newBuilder(push)
            .header("X-Scope-OrgID", TENANTS.get(tenant))
            .header("Content-Type", RemoteWriteVersion.V1.contentType())
            .header("Content-Encoding", "snappy")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(
                Snappy.compress(w.build().toByteArray()))).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return; // killed: the next run resends batch k
      }
      assertThat(r.statusCode()).as("batch %d of %s: %s", k, TENANTS.get(tenant), r.body())
          .isEqualTo(200);
      next.incrementAndGet();
      sentSincePause++;
    }
  }

  private static double value(int batch, int series) {
    return batch * 1000.0 + series + 0.25;
  }

  /** Every series holds exactly the samples 0 .. BATCHES-1, each once, with its value. */
  private void checkEverySample(int port, String tenant, long t0) throws Exception {
    long end = t0 + (BATCHES - 1) * STEP;
    String query = URLEncoder.encode("kill_test[16h]", StandardCharsets.UTF_8);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + port + "/prometheus/api/v1/query?query=" + query + "&time=" + end / 1000.0))
        .header("X-Scope-OrgID", tenant).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonArray result = JsonParser.parseString(r.body()).getAsJsonObject()
        .getAsJsonObject("data").getAsJsonArray("result");
    assertThat(result.size()).as("series of %s", tenant).isEqualTo(SERIES);
    for (JsonElement e : result) {
      JsonObject series = e.getAsJsonObject();
      int s = Integer.parseInt(series.getAsJsonObject("metric").get("series").getAsString());
      JsonArray values = series.getAsJsonArray("values");
      List<String> wrong = new ArrayList<>();
      for (int k = 0; k < Math.max(values.size(), BATCHES) && wrong.size() < 5; k++) {
        if (k >= values.size()) {
          wrong.add("missing batch " + k + " and later");
          break;
        }
        JsonArray v = values.get(k).getAsJsonArray();
        long t = Math.round(v.get(0).getAsDouble() * 1000);
        double value = Double.parseDouble(v.get(1).getAsString());
        if (k >= BATCHES || t != t0 + k * STEP || value != value(k, s)) {
          wrong.add("sample " + k + " is (" + t + ", " + value + "), expected (" + (t0 + k * STEP)
              + ", " + value(k, s) + ")");
        }
      }
      assertThat(wrong).as("series %d of %s (%d samples)", s, tenant, values.size()).isEmpty();
    }
  }

  /** The {@link #COUNTERS} in the server's {@code /metrics}, summed over their label sets. */
  private Map<String, Double> counters(int port) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Double> sums = new TreeMap<>();
    for (String line : r.body().split("\n")) {
      for (String name : COUNTERS) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          sums.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
              Double::sum);
        }
      }
    }
    return sums;
  }

  /** Waits for maintenance to compact the cut blocks into a larger one (level 2 or more). */
  private static void awaitCompactedBlock(Path tenantDir) throws Exception {
    Pattern level = Pattern.compile("\"level\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int highest = 0;
    while (System.nanoTime() < deadline) {
      highest = 0;
      try (Stream<Path> blocks = Files.list(tenantDir.resolve("blocks"))) {
        for (Path b : blocks.toList()) {
          Path meta = b.resolve("meta.json");
          if (Files.isRegularFile(meta)) {
            Matcher m = level.matcher(Files.readString(meta));
            if (m.find()) {
              highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
          }
        }
      } catch (IOException e) {
        // a block appearing or going while listed: look again
      }
      if (highest >= 2) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(highest).as("highest compaction level of the blocks in " + tenantDir)
        .isGreaterThanOrEqualTo(2);
  }

  /** A {@code vigil server} JVM on {@code data}, ready; its output in the test's directory. */
  private PeerProcess start(Path data, int port) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return PeerProcess.start("vigil-server", tmp, port, "/ready", Duration.ofSeconds(60), java,
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
        "--listen", "127.0.0.1:" + port, "--data-dir", data.toString(),
        "--ruler.enabled=false",
        "--distributor.ingestion-rate-limit", "100000000",
        "--distributor.ingestion-burst-size", "100000000",
        "--blocks-storage.tsdb.head-compaction-interval", "1s",
        "--blocks-storage.tsdb.head-snapshot-interval", "1s",
        "--blocks-storage.tsdb.close-idle-tsdb-timeout", "1s");
  }
}
