package dev.vigil.bench.collector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The benchmark payload: a real {@code /metrics} body of Debian's node-exporter 1.5.0
 * ({@code node-exporter-1.5.0.prom}, captured on the development machine with
 * {@code Accept: text/plain;version=0.0.4}), or a file given with {@code -Dvigil.bench.payload}.
 *
 * <p>node-exporter does not speak OpenMetrics, so the OpenMetrics payload is the same capture
 * rewritten the way an OpenMetrics exporter would write it, samples untouched: {@code untyped}
 * becomes {@code unknown}, counter families lose their {@code _total} suffix in
 * {@code # TYPE}/{@code # HELP} (OpenMetrics names the family without it), blank lines go and
 * {@code # EOF} ends the body.
 */
public final class Payload {
  public static final String RESOURCE = "node-exporter-1.5.0.prom";

  private Payload() {}

  public static byte[] text() {
    String override = System.getProperty("vigil.bench.payload");
    try {
      if (override != null) {
        return Files.readAllBytes(Path.of(override));
      }
      try (InputStream in = Payload.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource " + RESOURCE + " missing from the classpath");
        }
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] openMetrics(byte[] text) {
    String[] lines = new String(text, StandardCharsets.UTF_8).split("\n");
    Set<String> counters = new HashSet<>();
    for (String l : lines) {
      if (l.startsWith("# TYPE ") && l.endsWith(" counter")) {
        counters.add(l.substring(7, l.length() - 8));
      }
    }
    StringBuilder sb = new StringBuilder(text.length + 64);
    for (String l : lines) {
      if (l.isBlank()) {
        continue;
      }
      if (l.startsWith("# TYPE ") || l.startsWith("# HELP ")) {
        int end = l.indexOf(' ', 7);
        String name = end < 0 ? l.substring(7) : l.substring(7, end);
        String rest = end < 0 ? "" : l.substring(end);
        if (counters.contains(name) && name.endsWith("_total")) {
          name = name.substring(0, name.length() - "_total".length());
        }
        if (l.startsWith("# TYPE ") && rest.equals(" untyped")) {
          rest = " unknown";
        }
        sb.append(l, 0, 7).append(name).append(rest).append('\n');
      } else {
        sb.append(l).append('\n');
      }
    }
    return sb.append("# EOF\n").toString().getBytes(StandardCharsets.UTF_8);
  }
}
