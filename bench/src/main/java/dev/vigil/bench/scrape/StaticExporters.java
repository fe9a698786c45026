package dev.vigil.bench.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The scrape benchmark's other side, in its own JVM so its CPU counts for neither collector:
 * {@code TARGETS} exporters on free loopback ports, each serving a {@link ExpositionBody} of
 * {@code SERIES} series at {@code /metrics}, and a control port that is both the blackhole
 * remote-write receiver ({@code POST /api/v1/write} answers 204 and counts requests and bytes)
 * and {@code GET /stats}: scrapes served, series served, write requests and bytes, so the runner
 * measures what each collector actually scraped and sent in a window.
 *
 * <p>Usage: {@code StaticExporters TARGETS SERIES PORTS_FILE}; writes the control port on the
 * first line of PORTS_FILE and one target port per following line once every port listens.
 */
public final class StaticExporters {
  private final LongAdder scrapes = new LongAdder();
  private final LongAdder seriesServed = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder writeBytes = new LongAdder();

  private StaticExporters() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: StaticExporters TARGETS SERIES_PER_TARGET PORTS_FILE");
    }
    int targets = Integer.parseInt(args[0]);
    int series = Integer.parseInt(args[1]);
    Path portsFile = Path.of(args[2]);
    new StaticExporters().serve(targets, series, portsFile);
  }

  private void serve(int targets, int series, Path portsFile) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    // A scrape holds a worker while its body goes out; 4 is more than the collectors fetch at once
    // with 2 cores, and the remote-write receiver shares them.
    ExecutorService workers = Executors.newFixedThreadPool(4);
    List<String> ports = new ArrayList<>();
    HttpServer control = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
    control.createContext("/api/v1/write", this::write);
    control.createContext("/stats", this::stats);
    control.setExecutor(workers);
    control.start();
    ports.add(Integer.toString(control.getAddress().getPort()));
    for (int t = 0; t < targets; t++) {
      ExpositionBody body = new ExpositionBody(t, series);
      HttpServer server = HttpServer.create(new InetSocketAddress(loopback, 0), 16);
      server.createContext("/metrics", exchange -> metrics(exchange, body));
      server.setExecutor(workers);
      server.start();
      ports.add(Integer.toString(server.getAddress().getPort()));
    }
    Path tmp = portsFile.resolveSibling(portsFile.getFileName() + ".tmp");
    Files.write(tmp, ports);
    Files.move(tmp, portsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private void metrics(HttpExchange exchange, ExpositionBody body) throws IOException {
    try (exchange) {
      drain(exchange.getRequestBody());
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      synchronized (body) {
        body.advance();
        byte[] b = body.bytes();
        exchange.sendResponseHeaders(200, b.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(b);
        }
      }
      scrapes.increment();
      seriesServed.add(body.series());
    }
  }

  private void write(HttpExchange exchange) throws IOException {
    try (exchange) {
      long n = drain(exchange.getRequestBody());
      writes.increment();
      writeBytes.add(n);
      exchange.sendResponseHeaders(204, -1);
    }
  }

  private void stats(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] b = ("scrapes " + scrapes.sum() + "\nseries " + seriesServed.sum() + "\nwrites " + writes.sum()
          + "\nwrite_bytes " + writeBytes.sum() + "\n").getBytes(StandardCharsets.US_ASCII);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, b.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(b);
      }
    }
  }

  private static long drain(InputStream in) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
    }
    return total;
  }
}
