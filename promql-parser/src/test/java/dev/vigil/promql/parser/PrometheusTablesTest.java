package dev.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases taken from Prometheus's own parser tests (parse_test.go, printer_test.go,
 * prettier_test.go), kept as data under {@code testdata/}: the same inputs must give the same
 * printed text and the same first error message, position included.
 */
class PrometheusTablesTest {
  /** parse_test.go runs with everything but the fill modifiers. */
  private static final ParserOptions PARSE_TEST_OPTIONS = new ParserOptions(true, true, true, false);

  static Stream<Arguments> printerCases() {
    return Fixtures.read("printer.txt").stream()
        .map(r -> Arguments.argumentSet("printer.txt:" + r.line() + " " + r.field(0),
            r.field(0), r.field(1)));
  }

  @ParameterizedTest
  @MethodSource("printerCases")
  void printsLikePrometheus(String query, String printed) {
    Expr e = Parser.parseExpr(query);
    assertThat(Printer.print(e)).isEqualTo(printed);
    Expr again = Parser.parseExpr(printed);
    assertThat(AstAssertions.strip(again)).isEqualTo(AstAssertions.strip(e));
  }

  static Stream<Arguments> errorCases() {
    return Fixtures.read("parse_errors.txt").stream()
        .map(r -> Arguments.argumentSet("parse_errors.txt:" + r.line() + " " + r.field(0),
            r.field(0), r.field(1)));
  }

  @ParameterizedTest
  @MethodSource("errorCases")
  void failsLikePrometheus(String query, String message) {
    assertThatThrownBy(() -> Parser.parseExpr(query, PARSE_TEST_OPTIONS))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> syntaxErrorCases() {
    return Fixtures.read("syntax_errors.txt").stream()
        .map(r -> Arguments.argumentSet("syntax_errors.txt:" + r.line() + " " + r.field(0),
            r.field(0), r.field(1)));
  }

  /** The error that stops the parse is worded as goyacc's error recovery words it. */
  @ParameterizedTest
  @MethodSource("syntaxErrorCases")
  void syntaxErrorsWordedLikeGoyacc(String query, String message) {
    ParseException e = catchThrowableOfType(ParseException.class,
        () -> Parser.parseExpr(query));
    assertThat(e).as(query).isNotNull();
    assertThat(e.errors().getLast().message()).isEqualTo(message);
  }

  static Stream<Arguments> validCases() {
    return Fixtures.read("valid_queries.txt").stream()
        .map(r -> Arguments.argumentSet("valid_queries.txt:" + r.line() + " " + r.field(0),
            r.field(0)));
  }

  @ParameterizedTest
  @MethodSource("validCases")
  void parsesWhatPrometheusParsesAndRoundTrips(String query) {
    Expr e = Parser.parseExpr(query, PARSE_TEST_OPTIONS);
    String printed = Printer.print(e);
    Expr again = Parser.parseExpr(printed, PARSE_TEST_OPTIONS);
    assertThat(AstAssertions.strip(again)).as(printed).isEqualTo(AstAssertions.strip(e));
  }

  static Stream<Arguments> prettyCases() {
    return Fixtures.read("pretty.txt").stream()
        .map(r -> Arguments.argumentSet("pretty.txt:" + r.line() + " " + r.field(1),
            Integer.parseInt(r.field(0)), r.field(1), r.field(2)));
  }

  @ParameterizedTest
  @MethodSource("prettyCases")
  void prettyPrintsLikePrometheus(int maxLine, String query, String pretty) {
    Expr e = Parser.parseExpr(query);
    assertThat(Prettier.pretty(e, maxLine)).isEqualTo(pretty);
  }
}
