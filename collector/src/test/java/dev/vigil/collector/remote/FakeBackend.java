package dev.vigil.collector.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.protocol.remote.PushStats;
import dev.vigil.protocol.remote.RemoteWriteDecoder;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.ValidationLimits;
import dev.vigil.protocol.snappy.SnappyBlockDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A remote-write receiver for tests: JDK HttpServer on a free loopback port, bodies decoded by
 * the protocol module's decoder. {@link #respond} decides each answer (by request number);
 * samples are kept only from requests answered 2xx, per series in arrival order. Exemplars
 * (which the decoder counts but does not pass on) are read with protobuf-java's generated
 * messages; metadata comes from the decoder's metadata sink.
 */
final class FakeBackend implements AutoCloseable {
  /** An answer: status, optional Retry-After, optional delay before answering. */
  record Answer(int status, String retryAfter, long delayMillis) {
    static final Answer OK = new Answer(204, null, 0);

    static Answer status(int s) {
      return new Answer(s, null, 0);
    }
  }

  /** One received request (any answer). */
  record Received(long atNanos, int samples, int status, Map<String, String> headers) {}

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile IntFunction<Answer> respond = n -> Answer.OK;
  private final Map<Labels, List<String>> stored = new LinkedHashMap<>();
  private final ConcurrentLinkedQueue<Received> log = new ConcurrentLinkedQueue<>();
  private final Map<Labels, List<String>> exemplars = new LinkedHashMap<>();
  private final List<MetricMetadata> metadata = new ArrayList<>();
  private final Object lock = new Object();
  private long storedSamples;

  FakeBackend() throws IOException {
    this(0);
  }

  /** A receiver on {@code port} (0: any free one), e.g. the port of one that was stopped. */
  FakeBackend(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/api/v1/push", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/push";
  }

  /** Sets the answer for request number n (0-based, counted from the start). */
  void respond(IntFunction<Answer> f) {
    respond = f;
  }

  int requests() {
    return requests.get();
  }

  List<Received> log() {
    return new ArrayList<>(log);
  }

  long storedSamples() {
    synchronized (lock) {
      return storedSamples;
    }
  }

  /** Stored exemplars per series ("t=v {labels}") in arrival order. */
  Map<Labels, List<String>> exemplars() {
    synchronized (lock) {
      Map<Labels, List<String>> copy = new LinkedHashMap<>();
      exemplars.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
      return copy;
    }
  }

  /**
   * Every metadata entry of accepted requests in arrival order: 1.0 {@code MetricMetadata}, 2.0
   * series metadata (as the decoder passes it on: once per run of series of one family).
   */
  List<MetricMetadata> metadata() {
    synchronized (lock) {
      return new ArrayList<>(metadata);
    }
  }

  /** Stored points per series ("t=v" or "t=histogram") in arrival order. */
  Map<Labels, List<String>> stored() {
    synchronized (lock) {
      Map<Labels, List<String>> copy = new LinkedHashMap<>();
      stored.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
      return copy;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    int n = requests.getAndIncrement();
    try (ex; InputStream in = ex.getRequestBody()) {
      byte[] body = in.readAllBytes();
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      List<Object[]> points = new ArrayList<>();
      List<Object[]> gotExemplars = new ArrayList<>();
      List<MetricMetadata> gotMetadata = new ArrayList<>();
      int status;
      String error = "";
      try {
        if (!"snappy".equals(headers.get("content-encoding"))) {
          throw new IllegalArgumentException("Content-Encoding is not snappy");
        }
        RemoteWriteVersion v = RemoteWriteVersion.fromContentType(headers.get("content-type"));
        SnappyBlockDecoder snappy = new SnappyBlockDecoder(64 << 20);
        snappy.decode(body, 0, body.length);
        PushStats stats = new PushStats();
        new RemoteWriteDecoder(ValidationLimits.MIMIR_DEFAULTS).decode(v, snappy.buffer(), 0,
            snappy.length(), new Appender() {
              @Override
              public long append(long ref, Labels labels, long t, double val) {
                points.add(new Object[] {labels, t + "=" + val});
                return 0;
              }

              @Override
              public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
                points.add(new Object[] {labels, t + "=" + h});
                return 0;
              }

              @Override
              public void commit() {}

              @Override
              public void rollback() {}
            }, stats, ValidationLimits.MIMIR_DEFAULTS, gotMetadata::add);
        if (stats.rejectedTotal() > 0) {
          throw new IllegalArgumentException(stats.firstError());
        }
        readExemplars(v, java.util.Arrays.copyOf(snappy.buffer(), snappy.length()), gotExemplars);
        Answer a = respond.apply(n);
        if (a.delayMillis() > 0) {
          Thread.sleep(a.delayMillis());
        }
        status = a.status();
        if (a.retryAfter() != null) {
          ex.getResponseHeaders().add("Retry-After", a.retryAfter());
        }
      } catch (Exception e) {
        status = 400;
        error = "fake backend: " + e;
      }
      if (status / 100 == 2) {
        synchronized (lock) {
          for (Object[] p : points) {
            stored.computeIfAbsent((Labels) p[0], k -> new ArrayList<>()).add((String) p[1]);
          }
          storedSamples += points.size();
          for (Object[] e : gotExemplars) {
            exemplars.computeIfAbsent((Labels) e[0], k -> new ArrayList<>()).add((String) e[1]);
          }
          metadata.addAll(gotMetadata);
        }
      }
      log.add(new Received(System.nanoTime(), points.size(), status, headers));
      byte[] msg = error.isEmpty() ? new byte[0] : error.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, msg.length == 0 ? -1 : msg.length);
      if (msg.length > 0) {
        ex.getResponseBody().write(msg);
      }
    }
  }

  private static void readExemplars(RemoteWriteVersion v, byte[] msg, List<Object[]> out)
      throws IOException {
    if (v == RemoteWriteVersion.V1) {
      for (var ts : dev.vigil.protocol.remote.v1.pb.WriteRequest.parseFrom(msg).getTimeseriesList()) {
        Labels.Builder b = Labels.builder();
        ts.getLabelsList().forEach(l -> b.set(l.getName(), l.getValue()));
        Labels series = b.build();
        for (var e : ts.getExemplarsList()) {
          Labels.Builder eb = Labels.builder();
          e.getLabelsList().forEach(l -> eb.set(l.getName(), l.getValue()));
          out.add(new Object[] {series, e.getTimestamp() + "=" + e.getValue() + " " + eb.build()});
        }
      }
    } else {
      var req = dev.vigil.protocol.remote.v2.pb.Request.parseFrom(msg);
      List<String> sym = req.getSymbolsList();
      for (var ts : req.getTimeseriesList()) {
        Labels series = refs(sym, ts.getLabelsRefsList());
        for (var e : ts.getExemplarsList()) {
          out.add(new Object[] {series, e.getTimestamp() + "=" + e.getValue() + " "
              + refs(sym, e.getLabelsRefsList())});
        }
      }
    }
  }

  private static Labels refs(List<String> symbols, List<Integer> refs) {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i + 1 < refs.size(); i += 2) {
      b.set(symbols.get(refs.get(i)), symbols.get(refs.get(i + 1)));
    }
    return b.build();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
