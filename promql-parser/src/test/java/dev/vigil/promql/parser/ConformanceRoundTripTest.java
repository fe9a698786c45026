package dev.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every eval query of the conformance suite either parses and survives print-then-parse with an
 * equal AST, or (only where the eval expects failure) fails with a {@link ParseException}.
 */
class ConformanceRoundTripTest {

  @TestFactory
  Stream<DynamicTest> everyEvalQueryRoundTrips() {
    return ConformanceQueries.all().stream()
        .map(q -> DynamicTest.dynamicTest(q.name() + " " + q.query(), () -> check(q)));
  }

  /** Outcome of one query: "parsed" or "rejected". */
  private static String check(ConformanceQueries.Query q) {
    Expr ast;
    try {
      ast = Parser.parseExpr(q.query());
    } catch (ParseException e) {
      if (!q.expectFail()) {
        fail("%s: %s does not parse: %s", q.name(), q.query(), e.getMessage());
      }
      if (q.failMessage() != null) {
        assertThat(e.getMessage()).contains(q.failMessage());
      }
      return "rejected";
    }
    String printed = Printer.print(ast);
    Expr reparsed;
    try {
      reparsed = Parser.parseExpr(printed);
    } catch (ParseException e) {
      throw new AssertionError(q.name() + ": printed form " + printed + " does not parse: "
          + e.getMessage(), e);
    }
    assertThat(AstAssertions.strip(reparsed))
        .as("%s: %s printed as %s", q.name(), q.query(), printed)
        .isEqualTo(AstAssertions.strip(ast));
    assertThat(Printer.print(reparsed)).isEqualTo(printed);
    return "parsed";
  }

  @Test
  void reportCounts() {
    List<ConformanceQueries.Query> all = ConformanceQueries.all();
    int parsed = 0;
    int rejected = 0;
    List<String> failures = new ArrayList<>();
    for (ConformanceQueries.Query q : all) {
      try {
        if (check(q).equals("parsed")) {
          parsed++;
        } else {
          rejected++;
        }
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    System.out.printf("conformance round trip: %d evals, %d parsed and round-tripped, "
        + "%d rejected at parse time (expect fail), %d mismatches%n",
        all.size(), parsed, rejected, failures.size());
    assertThat(all).hasSizeGreaterThan(1000);
    assertThat(failures).isEmpty();
  }
}
