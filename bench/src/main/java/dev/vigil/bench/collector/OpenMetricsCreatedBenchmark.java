package dev.vigil.bench.collector;

import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.exposition.TextParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading OpenMetrics {@code _created} lines as start timestamps costs the parser: the
 * node-exporter body of {@link TextParseBenchmark} in OpenMetrics, with a {@code _created} line
 * after every counter series and after every summary's and histogram's {@code _count} (as the
 * Python client writes them), parsed as series ({@code createdAsStart=false}) or as start
 * timestamps asked for on every series ({@code true}); and the body without them
 * ({@code createdLines=false}), where the look-ahead finds nothing. Scores are bodies per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class OpenMetricsCreatedBenchmark {
  @Param({"false", "true"})
  public boolean createdAsStart;

  /** Whether the body has {@code _created} lines (many exporters write none). */
  @Param({"true", "false"})
  public boolean createdLines;

  private byte[] body;

  @Setup
  public void setUp() {
    byte[] om = Payload.openMetrics(Payload.text());
    body = createdLines ? withCreatedLines(om) : om;
  }

  /** {@code om} with a {@code _created} line after each counter series and summary/histogram count. */
  static byte[] withCreatedLines(byte[] om) {
    StringBuilder sb = new StringBuilder(om.length * 2);
    String type = "";
    for (String l : new String(om, StandardCharsets.UTF_8).split("\n")) {
      sb.append(l).append('\n');
      if (l.startsWith("# TYPE ")) {
        type = l.substring(l.lastIndexOf(' ') + 1);
        continue;
      }
      if (l.startsWith("#")) {
        continue;
      }
      int nameEnd = l.indexOf('{') >= 0 ? l.indexOf('{') : l.indexOf(' ');
      String name = l.substring(0, nameEnd);
      String labels = l.indexOf('{') >= 0 ? l.substring(nameEnd, l.indexOf('}') + 1) : "";
      String suffix = type.equals("counter") ? "_total"
          : type.equals("summary") || type.equals("histogram") ? "_count" : null;
      if (suffix != null && name.endsWith(suffix)) {
        sb.append(name, 0, name.length() - suffix.length()).append("_created").append(labels)
            .append(" 1.7000000001e+09\n");
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public long parse() {
    TextParser p = TextParser.create(ExpositionFormat.OPENMETRICS_TEXT, body, createdAsStart);
    long acc = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        acc += Double.doubleToRawLongBits(p.value()) ^ p.startTimestamp();
      }
    }
    return acc;
  }
}
