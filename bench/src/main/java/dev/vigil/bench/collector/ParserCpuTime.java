package dev.vigil.bench.collector;

import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.exposition.TextParser;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Vigil's parser on the benchmark payload per CPU-second of the parsing thread, the unit
 * {@link PrometheusParserProfile} reports for Prometheus: on a loaded machine wall-clock
 * throughput (what JMH reports) understates both, CPU time does not. Same work as
 * {@code TextParseBenchmark.scan}: every entry, value and timestamp, no label decoding (Prometheus's
 * steady-state scrape does not decode labels either; its scrape cache hashes the raw series text
 * outside the parser, which is why the hash is not part of this loop).
 *
 * <pre>
 * ParserCpuTime text|openmetrics SECONDS
 * </pre>
 */
public final class ParserCpuTime {
  private ParserCpuTime() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    ExpositionFormat format = args[0].equals("openmetrics") ? ExpositionFormat.OPENMETRICS_TEXT
        : ExpositionFormat.PROMETHEUS_TEXT;
    double seconds = Double.parseDouble(args[1]);
    byte[] text = Payload.text();
    byte[] body = format == ExpositionFormat.OPENMETRICS_TEXT ? Payload.openMetrics(text) : text;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sink = 0;
    long samples = 0;
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      sink += scan(format, body);
    }
    long cpu0 = mx.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    long bodies = 0;
    long cpuBudget = (long) (seconds * 1e9);
    while (mx.getCurrentThreadCpuTime() - cpu0 < cpuBudget) {
      for (int i = 0; i < 50; i++) {
        long n = scan(format, body);
        sink += n;
        samples += n & 0xffffffffL;
        bodies++;
      }
    }
    double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
    double wall = (System.nanoTime() - wall0) / 1e9;
    double mb = bodies * (double) body.length / 1e6;
    out.printf(Locale.ROOT, "vigil %s parser (scan): %d bodies in %.2f CPU-s (%.2f s wall): %.1f MB/s per core, "
        + "%.2fM samples/s per core [%d]%n", format == ExpositionFormat.OPENMETRICS_TEXT ? "OpenMetrics" : "text 0.0.4",
        bodies, cpu, wall, mb / cpu, samples / cpu / 1e6, sink >>> 60);
  }

  /** Low 32 bits: samples; high bits mix values so the work cannot be dropped. */
  private static long scan(ExpositionFormat format, byte[] body) {
    TextParser p = TextParser.create(format, body);
    long n = 0;
    long acc = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        n++;
        acc += Double.doubleToRawLongBits(p.value()) ^ (p.hasTimestamp() ? p.timestamp() : 0);
      }
    }
    return (acc << 32) | n;
  }
}
