package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * Prints the label sets of {@link AppendBenchmark#seriesLabels()} (the series of the append and
 * replay benchmarks) as JSON lines, the input of {@code promtool tsdb bench write}, so that the
 * peer's WAL holds the same series as Vigil's. An argument sets how many (default {@value
 * AppendBenchmark#SERIES}), as {@code ReplayCpuReport}'s SERIES does.
 */
public final class SeriesLabelsJson {
  private SeriesLabelsJson() {}

  public static void main(String[] args) throws IOException {
    try (BufferedWriter out = new BufferedWriter(
        new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
      int n = args.length > 0 ? Integer.parseInt(args[0]) : AppendBenchmark.SERIES;
      for (Labels l : AppendBenchmark.seriesLabels(n)) {
        out.write('{');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.write(", ");
          }
          out.write(quote(l.name(i)));
          out.write(": ");
          out.write(quote(l.value(i)));
        }
        out.write("}\n");
      }
    }
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
