package dev.vigil.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramNotation;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every query of the conformance suite, run as instant and as range query over seeded random
 * data (gaps, staleness markers, negative values, native histograms mixed into float series):
 * the engine may reject a query with a {@link QueryException}, but must never fail otherwise.
 */
class EngineRobustnessTest {
  private static final Pattern EVAL = Pattern.compile(
      "^eval(?:_\\w+)? (?:instant at \\S+|range from \\S+ to \\S+ step \\S+) (.*)$");
  private static final Pattern SERIES = Pattern.compile("^\\s+([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  @Test
  void noQueryOfTheSuiteCrashesOnRandomData() throws IOException {
    Path dir = Path.of(System.getProperty("vigil.conformance.dir", "../../shared/conformance"),
        "promql");
    List<String> queries = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          Matcher m = EVAL.matcher(line.trim());
          if (m.matches()) {
            queries.add(m.group(1));
          }
          Matcher n = SERIES.matcher(line);
          if (n.find()) {
            names.add(n.group(1));
          }
        }
      }
    }
    assertThat(queries).hasSizeGreaterThan(1000);

    InMemoryStorage storage = new InMemoryStorage();
    Appender app = storage.appender();
    Random random = new Random(42);
    FloatHistogram h = HistogramNotation.parse("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}");
    for (String name : names) {
      for (int s = 0; s < 3; s++) {
        Labels l = Labels.of("__name__", name, "job", "j" + s, "instance", "i" + (s % 2), "le",
            s == 2 ? "+Inf" : Integer.toString(s));
        for (int i = 0; i < 30; i++) {
          if (random.nextInt(10) == 0) {
            continue;
          }
          if (random.nextInt(15) == 0) {
            app.appendHistogram(0, l, i * 30_000L, h);
          } else {
            app.append(0, l, i * 30_000L,
                random.nextInt(20) == 0 ? StaleNaN.VALUE : random.nextInt(100) - 10);
          }
        }
      }
    }
    app.commit();

    Engine engine = new Engine(EngineOptions.forTests());
    List<String> crashes = new ArrayList<>();
    for (String q : queries) {
      Expr expr;
      try {
        expr = Parser.parseExpr(q);
      } catch (ParseException e) {
        continue;
      }
      for (int mode = 0; mode < 2; mode++) {
        try {
          if (mode == 0) {
            engine.instantQuery(storage, expr, 400_000);
          } else {
            engine.rangeQuery(storage, expr, 0, 900_000, 45_000);
          }
        } catch (QueryException expected) {
          // Rejecting a query is fine.
        } catch (RuntimeException e) {
          crashes.add((mode == 0 ? "instant " : "range ") + q + ": " + e);
        }
      }
    }
    assertThat(crashes).isEmpty();
  }
}
