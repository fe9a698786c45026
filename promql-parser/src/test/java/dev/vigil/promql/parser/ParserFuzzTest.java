package dev.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing. Generated valid queries must parse and round-trip; mutated suite queries and
 * token soup must either parse (and then round-trip) or fail with a {@link ParseException},
 * never with another exception and never hang.
 */
class ParserFuzzTest {
  private static final long SEED = 20261125L;
  private static final String ALPHABET =
      "abcxyz_:019.eE+-*/%^=!~<>()[]{},@\"'`\\ \n#smhdwy";
  private static final List<String> TOKENS = List.of("sum", "by", "without", "(", ")", "[",
      "]", "{", "}", ",", "=", "=~", "!=", "foo", "bar", "\"v\"", "5m", "1", "-", "+", "*", "^",
      "offset", "@", "start()", "bool", "on", "ignoring", "group_left", "rate", "topk", ":",
      "step()", "anchored", "fill", "and", "or", "==", "0x1f", "Inf", "#", "\n", "</", "atan2",
      "min_of", "count_values", "'x'", "`y`", "1h30m", "-5m", ".", "label_replace", "info");

  @Test
  void generatedQueriesParseAndRoundTrip() {
    ExprGenerator gen = new ExprGenerator(SEED);
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (int i = 0; i < 3000; i++) {
        String q = gen.vector(1 + i % 5);
        Expr e;
        try {
          e = Parser.parseExpr(q);
        } catch (ParseException ex) {
          throw new AssertionError("case " + i + " (seed " + SEED + "): " + q + " -> "
              + ex.getMessage(), ex);
        }
        assertRoundTrips(q, e);
      }
    });
  }

  @Test
  void mutatedSuiteQueriesNeverCrash() {
    List<String> corpus = new ArrayList<>();
    for (ConformanceQueries.Query q : ConformanceQueries.all()) {
      corpus.add(q.query());
    }
    assertThat(corpus).isNotEmpty();
    Random r = new Random(SEED);
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (int i = 0; i < 10000; i++) {
        StringBuilder sb = new StringBuilder(corpus.get(r.nextInt(corpus.size())));
        int edits = 1 + r.nextInt(3);
        for (int k = 0; k < edits; k++) {
          int p = sb.isEmpty() ? 0 : r.nextInt(sb.length() + 1);
          char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
          switch (r.nextInt(3)) {
            case 0 -> sb.insert(p, c);
            case 1 -> {
              if (p < sb.length()) {
                sb.deleteCharAt(p);
              }
            }
            default -> {
              if (p < sb.length()) {
                sb.setCharAt(p, c);
              }
            }
          }
        }
        parseSafely(sb.toString());
      }
    });
  }

  @Test
  void tokenSoupNeverCrashes() {
    Random r = new Random(SEED + 1);
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (int i = 0; i < 10000; i++) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int k = 0; k < n; k++) {
          sb.append(TOKENS.get(r.nextInt(TOKENS.size())));
          if (r.nextBoolean()) {
            sb.append(' ');
          }
        }
        parseSafely(sb.toString());
      }
    });
  }

  @Test
  void deepNestingIsAParseErrorNotAStackOverflow() {
    for (String q : List.of("(".repeat(100_000) + "1" + ")".repeat(100_000),
        "-".repeat(100_000) + "1",
        "1" + "^1".repeat(100_000),
        "1" + "+1".repeat(100_000),
        "foo[" + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "]",
        "sum(".repeat(50_000) + "x" + ")".repeat(50_000))) {
      parseSafely(q);
    }
    assertThat(Printer.print(Parser.parseExpr("(".repeat(200) + "1" + ")".repeat(200))))
        .startsWith("((((");
  }

  private static void parseSafely(String q) {
    Expr e;
    try {
      e = Parser.parseExpr(q);
    } catch (ParseException ex) {
      assertThat(ex.errors()).as(q).isNotEmpty();
      for (ParseError err : ex.errors()) {
        assertThat(err.toString()).as(q).contains(": parse error: ");
        err.caret(); // must not throw either
      }
      return;
    } catch (RuntimeException | StackOverflowError ex) {
      throw new AssertionError("input " + quoteJava(q) + " crashed the parser", ex);
    }
    assertRoundTrips(q, e);
  }

  private static void assertRoundTrips(String q, Expr e) {
    String printed = Printer.print(e);
    Expr again;
    try {
      again = Parser.parseExpr(printed);
    } catch (ParseException ex) {
      throw new AssertionError(quoteJava(q) + " printed as " + printed + " does not parse: "
          + ex.getMessage(), ex);
    }
    assertThat(AstAssertions.strip(again)).as("%s printed as %s", quoteJava(q), printed)
        .isEqualTo(AstAssertions.strip(e));
    Printer.pretty(e);
  }

  private static String quoteJava(String s) {
    return GoStrings.quote(s);
  }
}
