package dev.vigil.promql.parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The queries of every {@code eval} in the shared conformance suite (read in place, never
 * copied), found through the system property {@code vigil.conformance.dir}.
 */
final class ConformanceQueries {
  private static final Pattern INSTANT =
      Pattern.compile("^(eval(?:_fail|_ordered|_warn|_info)?)\\s+instant\\s+at\\s+\\S+\\s+(.+)$");
  private static final Pattern RANGE = Pattern.compile(
      "^(eval(?:_fail|_ordered|_warn|_info)?)\\s+range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+\\s+(.+)$");

  /**
   * One eval.
   *
   * @param expectFail the eval expects the query to fail (at parse time or later)
   * @param failMessage the expected message after {@code expect fail msg:}, or null
   */
  record Query(String file, int line, String query, boolean expectFail, String failMessage) {
    String name() {
      return file + ":" + line;
    }
  }

  private ConformanceQueries() {}

  static Path promqlDir() {
    String dir = System.getProperty("vigil.conformance.dir", "../../shared/conformance");
    return Path.of(dir, "promql");
  }

  static List<Path> files() {
    try (Stream<Path> s = Files.list(promqlDir())) {
      return s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Query> all() {
    List<Query> out = new ArrayList<>();
    for (Path f : files()) {
      out.addAll(read(f));
    }
    return out;
  }

  static List<Query> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Query> out = new ArrayList<>();
    boolean inLoad = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        inLoad = false;
        continue;
      }
      if (line.startsWith("load")) {
        inLoad = true;
        continue;
      }
      if (inLoad || line.startsWith("#")) {
        continue;
      }
      Matcher m = INSTANT.matcher(line);
      if (!m.matches()) {
        m = RANGE.matcher(line);
        if (!m.matches()) {
          continue;
        }
      }
      boolean fail = m.group(1).equals("eval_fail");
      String msg = null;
      for (int j = i + 1; j < lines.size(); j++) {
        String next = lines.get(j).strip();
        if (!next.startsWith("expect")) {
          break;
        }
        if (next.startsWith("expect fail")) {
          fail = true;
          int colon = next.indexOf("msg:");
          if (colon >= 0) {
            msg = next.substring(colon + 4).strip();
          }
        }
      }
      out.add(new Query(file.getFileName().toString(), i + 1, m.group(2), fail, msg));
    }
    return out;
  }
}
