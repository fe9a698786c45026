package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded, reproducible fuzzing: mutated valid inputs and random bytes must either parse or fail
 * with {@link ExpositionParseException}, never with another exception, and always terminate.
 */
class TextParserFuzzTest {
  private static final String SEED_PROM = """
      # HELP http_requests_total The total.\\n With "escapes" \\\\
      # TYPE http_requests_total counter
      http_requests_total{method="post",code="200"} 1027 1395066363000
      http_requests_total{method="post",code="400"}    3 1395066363000
      msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
      metric_without_timestamp_and_labels 12.47
      something_weird{problem="division by zero"} +Inf 3982045
      # TYPE hist histogram
      hist_bucket{le="0.05"} 24054
      hist_bucket{le="+Inf"} 144320
      {"utf8.name", "label.x"="v"} NaN
      """;
  private static final String SEED_OM = """
      # TYPE foo counter
      # UNIT foo_seconds seconds
      # HELP foo help \\" text
      foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5 1520879607.7
      {"a.b",c="d"} -Inf
      # TYPE ss stateset
      ss{ss="foo"} 1
      # EOF
      """;
  private static final byte[] ALPHABET = " \t\n{}\"=,#\\.eE+-_:aZ09NnIif\u00ff".getBytes(StandardCharsets.ISO_8859_1);

  @Test
  void seedsParse() {
    assertThat(ParsedEntry.parseAll(ExpositionFormat.PROMETHEUS_TEXT, SEED_PROM)).hasSize(11);
    assertThat(ParsedEntry.parseAll(ExpositionFormat.OPENMETRICS_TEXT, SEED_OM)).hasSize(7);
  }

  @Test
  void mutationsOnlyEverRaiseParseErrors() {
    SplittableRandom rnd = new SplittableRandom(20260825);
    for (ExpositionFormat f : new ExpositionFormat[] {ExpositionFormat.PROMETHEUS_TEXT, ExpositionFormat.OPENMETRICS_TEXT}) {
      byte[] seed = (f == ExpositionFormat.OPENMETRICS_TEXT ? SEED_OM : SEED_PROM).getBytes(StandardCharsets.UTF_8);
      for (int iter = 0; iter < 20_000; iter++) {
        byte[] in = mutate(seed, rnd);
        runToEnd(f, in);
      }
      for (int iter = 0; iter < 5_000; iter++) {
        byte[] in = new byte[rnd.nextInt(64)];
        for (int i = 0; i < in.length; i++) {
          in[i] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : ALPHABET[rnd.nextInt(ALPHABET.length)];
        }
        runToEnd(f, in);
      }
    }
  }

  private static final String SEED_CREATED = """
      # TYPE foo counter
      foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5
      foo_created{a="b"} 1520872607.123
      foo_total{a="c"} 1
      # TYPE h histogram
      h_bucket{le="1",x="y"} 1
      h_bucket{le="+Inf",x="y"} 2
      h_count{x="y"} 2
      h_created{x="y"} 1520872608
      h_sum{x="y"} 3
      # TYPE s summary
      s{quantile="0.5"} 1
      s_count 4
      s_created 1520872609
      # TYPE g gauge
      g_created 5
      # EOF
      """;

  /**
   * Reading {@code _created} lines as start timestamps changes nothing but them: on mutated
   * bodies, the series are those read without it less the counters', summaries' and
   * histograms' {@code _created} lines (any such name under such a type, as Prometheus skips
   * them), and a parse error is the same error at the same line.
   */
  @Test
  void createdAsStartOnlyTakesOutCreatedLines() {
    SplittableRandom rnd = new SplittableRandom(20261126);
    byte[] seed = SEED_CREATED.getBytes(StandardCharsets.UTF_8);
    int withStart = 0;
    for (int iter = 0; iter < 20_000; iter++) {
      byte[] in = iter == 0 ? seed : mutate(seed, rnd);
      java.util.List<String> plain = new java.util.ArrayList<>();
      String plainError = read(in, false, plain);
      java.util.List<String> asStart = new java.util.ArrayList<>();
      String startError = read(in, true, asStart);
      assertThat(startError).as(GoQuoting.quote(in, 0, in.length)).isEqualTo(plainError);
      plain.removeIf(l -> l.contains(" created "));
      assertThat(asStart.stream().map(l -> l.substring(0, l.lastIndexOf(' ')))).as(GoQuoting.quote(in, 0, in.length))
          .containsExactlyElementsOf(plain.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList());
      withStart += (int) asStart.stream().filter(l -> !l.endsWith(" 0")).count();
    }
    assertThat(withStart).as("start timestamps found").isGreaterThan(20_000);
  }

  /**
   * Reads {@code in} as OpenMetrics into "line labels kind start" per series (kind "created" for
   * a counter's, summary's or histogram's _created line); returns the parse error or "".
   */
  private static String read(byte[] in, boolean createdAsStart, java.util.List<String> out) {
    TextParser p = TextParser.create(ExpositionFormat.OPENMETRICS_TEXT, in, createdAsStart);
    try {
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        if (e == Entry.SERIES) {
          String name = p.metricFamily();
          dev.vigil.model.metadata.MetricType t = p.type();
          boolean created = name.endsWith("_created") && name.length() > 8
              && (t == dev.vigil.model.metadata.MetricType.COUNTER
                  || t == dev.vigil.model.metadata.MetricType.SUMMARY
                  || t == dev.vigil.model.metadata.MetricType.HISTOGRAM);
          long st = p.startTimestamp();
          assertThat(st).isNotNegative();
          // Labels are checked (duplicates) when decoded: not for the lines the other run skips.
          out.add(p.line() + " " + (created ? name : p.labels()) + " " + p.value()
              + (created ? " created " : " series ") + st);
        }
      }
      return "";
    } catch (ExpositionParseException e) {
      return e.line() + " " + e.getMessage();
    }
  }

  private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
    byte[] out = seed.clone();
    int edits = 1 + rnd.nextInt(4);
    int len = out.length;
    for (int e = 0; e < edits; e++) {
      int at = rnd.nextInt(len);
      switch (rnd.nextInt(4)) {
        case 0 -> out[at] = ALPHABET[rnd.nextInt(ALPHABET.length)];
        case 1 -> out[at] = (byte) rnd.nextInt(256);
        case 2 -> len = at; // truncate
        default -> {
          int from = rnd.nextInt(len);
          System.arraycopy(out, from, out, at, Math.min(len - from, len - at));
        }
      }
      if (len == 0) {
        break;
      }
    }
    return java.util.Arrays.copyOf(out, len);
  }

  private static void runToEnd(ExpositionFormat f, byte[] in) {
    TextParser p = TextParser.create(f, in);
    try {
      int guard = 0;
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        if (e == Entry.SERIES) {
          p.labels();
          p.exemplar();
        } else if (e == Entry.HELP || e == Entry.TYPE || e == Entry.UNIT) {
          p.metricFamily();
        }
        if (++guard > in.length + 1) {
          throw new AssertionError("parser does not advance on " + new String(in, StandardCharsets.ISO_8859_1));
        }
      }
    } catch (ExpositionParseException expected) {
      assertThat(expected.line()).isPositive();
    } catch (RuntimeException e) {
      throw new AssertionError("unexpected " + e + " on input: "
          + GoQuoting.quote(in, 0, in.length), e);
    }
  }
}
