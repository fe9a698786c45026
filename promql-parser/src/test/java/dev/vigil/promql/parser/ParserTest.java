package dev.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-written cases for tree shapes, options, the public API and error rendering. */
class ParserTest {

  private static Expr parse(String q) {
    return AstAssertions.strip(Parser.parseExpr(q));
  }

  private static NumberLiteral num(double v) {
    return new NumberLiteral(v, false, PositionRange.NONE);
  }

  private static NumberLiteral dur(double seconds) {
    return new NumberLiteral(seconds, true, PositionRange.NONE);
  }

  private static VectorSelector sel(String name) {
    return new VectorSelector(name, List.of(Matcher.equal("__name__", name)), null, null, false,
        false, PositionRange.NONE);
  }

  private static BinaryExpr bin(BinaryOp op, Expr l, Expr r) {
    VectorMatching vm = l.type() == ValueType.VECTOR && r.type() == ValueType.VECTOR
        ? new VectorMatching(op.isSetOperator() ? VectorMatching.Cardinality.MANY_TO_MANY
            : VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of(), null, null)
        : null;
    return new BinaryExpr(op, l, r, vm, false, PositionRange.NONE);
  }

  static Stream<Arguments> shapes() {
    VectorSelector a = sel("a");
    VectorSelector b = sel("b");
    VectorSelector c = sel("c");
    return Stream.of(
        Arguments.argumentSet("unary minus binds looser than ^", "-2 ^ 2",
            new UnaryExpr(BinaryOp.SUB, bin(BinaryOp.POW, num(2), num(2)), PositionRange.NONE)),
        Arguments.argumentSet("^ is right-associative", "2 ^ 3 ^ 2",
            bin(BinaryOp.POW, num(2), bin(BinaryOp.POW, num(3), num(2)))),
        Arguments.argumentSet("- is left-associative", "1 - 2 - 3",
            bin(BinaryOp.SUB, bin(BinaryOp.SUB, num(1), num(2)), num(3))),
        Arguments.argumentSet("* before +", "a + b * c",
            bin(BinaryOp.ADD, a, bin(BinaryOp.MUL, b, c))),
        Arguments.argumentSet("and before or", "a or b and c",
            bin(BinaryOp.LOR, a, bin(BinaryOp.LAND, b, c))),
        Arguments.argumentSet("unary minus on a literal folds", "-(-1) * - 2",
            bin(BinaryOp.MUL, new UnaryExpr(BinaryOp.SUB, new ParenExpr(num(-1),
                PositionRange.NONE), PositionRange.NONE), num(-2))),
        Arguments.argumentSet("atan2 binds like *", "a + b atan2 c",
            bin(BinaryOp.ADD, a, bin(BinaryOp.ATAN2, b, c))),
        Arguments.argumentSet("a duration at top level is a number of seconds", "1h30m",
            dur(5400)),
        Arguments.argumentSet("offset binds a plain literal only", "a offset 2 ^ 2",
            bin(BinaryOp.POW, withOffset(a, dur(2)), num(2))),
        Arguments.argumentSet("offset with a signed literal", "a offset -2 * 2",
            bin(BinaryOp.MUL, withOffset(a, dur(-2)), num(2))),
        Arguments.argumentSet("offset 0 is no offset", "a offset 0s", a),
        Arguments.argumentSet("offset takes a parenthesised expression", "a offset (2 ^ 2)",
            withOffset(a, new DurationExpr(DurationExpr.Op.POW, num(2), num(2), true,
                PositionRange.NONE))),
        Arguments.argumentSet("offset -step()", "a offset -step()",
            withOffset(a, new DurationExpr(DurationExpr.Op.NEG, new DurationExpr(
                DurationExpr.Op.STEP, null, null, false, PositionRange.NONE), null, false,
                PositionRange.NONE))),
        Arguments.argumentSet("ranges take duration arithmetic", "a[5m * 2]",
            new MatrixSelector(a, new DurationExpr(DurationExpr.Op.MUL, dur(300), num(2), false,
                PositionRange.NONE), PositionRange.NONE)),
        Arguments.argumentSet("a bare number as range is seconds", "a[90]",
            new MatrixSelector(a, dur(90), PositionRange.NONE)),
        Arguments.argumentSet("a parenthesised literal keeps its parentheses", "a[(5m)]",
            new MatrixSelector(a, new DurationExpr(DurationExpr.Op.POS, dur(300), null, true,
                PositionRange.NONE), PositionRange.NONE)),
        Arguments.argumentSet("subquery without step", "a[5m:]",
            new SubqueryExpr(a, dur(300), null, null, null, PositionRange.NONE)),
        Arguments.argumentSet("subquery with step, @ and offset", "a[1h:1m] @ end() offset 5m",
            new SubqueryExpr(a, dur(3600), dur(60), dur(300), AtModifier.END,
                PositionRange.NONE)),
        Arguments.argumentSet("@ and offset in either order", "a @ 1.5 offset 1m",
            new VectorSelector("a", a.matchers(), dur(60), AtModifier.at(1500), false, false,
                PositionRange.NONE)),
        Arguments.argumentSet("offset before @", "a offset 1m @ 1.5",
            new VectorSelector("a", a.matchers(), dur(60), AtModifier.at(1500), false, false,
                PositionRange.NONE)),
        Arguments.argumentSet("keywords are metric names where no keyword fits", "sum + by",
            bin(BinaryOp.ADD, sel("sum"), sel("by"))));
  }

  private static VectorSelector withOffset(VectorSelector v, Expr offset) {
    return new VectorSelector(v.name(), v.matchers(), offset, v.at(), v.anchored(), v.smoothed(),
        PositionRange.NONE);
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void parsesToTheExpectedTree(String query, Expr expected) {
    assertThat(parse(query)).isEqualTo(AstAssertions.strip(expected));
  }

  @Test
  void selectorsKeepTheWrittenNameAndAddANameMatcherLast() {
    VectorSelector v = (VectorSelector) Parser.parseExpr("foo{a=\"b\", c!~'d'}");
    assertThat(v.name()).isEqualTo("foo");
    assertThat(v.matchers()).containsExactly(Matcher.equal("a", "b"),
        Matcher.of(MatchType.NOT_REGEX, "c", "d"), Matcher.equal("__name__", "foo"));
    VectorSelector quoted = (VectorSelector) Parser.parseExpr("{\"my.metric\", \"a.b\"=\"x\"}");
    assertThat(quoted.name()).isNull();
    assertThat(quoted.matchers()).containsExactly(Matcher.equal("__name__", "my.metric"),
        Matcher.equal("a.b", "x"));
    assertThat(Printer.print(quoted)).isEqualTo("{\"a.b\"=\"x\",__name__=\"my.metric\"}");
  }

  @Test
  void aggregationModifiersMayComeBeforeOrAfter() {
    Expr before = parse("sum by (job, \"a.b\") (rate(x[5m]))");
    Expr after = parse("sum(rate(x[5m])) by (job, \"a.b\")");
    assertThat(after).isEqualTo(before);
    AggregateExpr agg = (AggregateExpr) before;
    assertThat(agg.grouping()).containsExactly("job", "a.b");
    assertThat(agg.without()).isFalse();
    AggregateExpr topk = (AggregateExpr) parse("topk without (x) (3, foo)");
    assertThat(topk.param()).isEqualTo(num(3));
    assertThat(topk.without()).isTrue();
  }

  @Test
  void vectorMatchingIsNormalised() {
    BinaryExpr grouped = (BinaryExpr) parse("a / on(b) group_left(c) d");
    assertThat(grouped.matching()).isEqualTo(new VectorMatching(
        VectorMatching.Cardinality.MANY_TO_ONE, List.of("b"), true, List.of("c"), null, null));
    BinaryExpr set = (BinaryExpr) parse("a unless ignoring(x) b");
    assertThat(set.matching().cardinality()).isEqualTo(VectorMatching.Cardinality.MANY_TO_MANY);
    assertThat(((BinaryExpr) parse("a > bool 1")).matching()).isNull();
    assertThat(((BinaryExpr) parse("a > bool 1")).returnBool()).isTrue();
    BinaryExpr fill = (BinaryExpr) parse("a + fill_right(1) fill_left(-2) b");
    assertThat(fill.matching().fillLeft()).isEqualTo(-2.0);
    assertThat(fill.matching().fillRight()).isEqualTo(1.0);
    BinaryExpr trim = (BinaryExpr) parse("h </ 0.5");
    assertThat(trim.op()).isEqualTo(BinaryOp.TRIM_UPPER);
    assertThat(BinaryOp.TRIM_UPPER.isComparison()).isFalse();
  }

  static Stream<Arguments> numbers() {
    return Stream.of(
        Arguments.argumentSet("hex", "0x1F", 31.0),
        Arguments.argumentSet("hex with underscore", "0x_1f", 31.0),
        Arguments.argumentSet("octal", "0755", 493.0),
        Arguments.argumentSet("not octal", "089", 89.0),
        Arguments.argumentSet("underscores", "1_000_000", 1e6),
        Arguments.argumentSet("leading dot", ".5", 0.5),
        Arguments.argumentSet("trailing dot", "5.", 5.0),
        Arguments.argumentSet("exponent", "1.5e-3", 0.0015),
        Arguments.argumentSet("Inf", "Inf", Double.POSITIVE_INFINITY),
        Arguments.argumentSet("-inf", "-iNF", Double.NEGATIVE_INFINITY),
        Arguments.argumentSet("NaN", "nAn", Double.NaN),
        Arguments.argumentSet("int64 overflow falls back to float", "99999999999999999999",
            1e20));
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void numberLiterals(String text, double value) {
    assertThat(Double.valueOf(((NumberLiteral) Parser.parseExpr(text)).value()))
        .isEqualTo(Double.valueOf(value));
  }

  @Test
  void stringLiteralsUnescapeLikeGo() {
    assertThat(string("\"\\x41\\101\\u00e9\\U0001F600\\a\\t\"")).isEqualTo("AAé😀\u0007\t");
    assertThat(string("'it\\'s \"x\"'")).isEqualTo("it's \"x\"");
    assertThat(string("`raw\\n`")).isEqualTo("raw\\n");
    // Invalid UTF-8 from byte escapes survives as surrogate escapes and prints back.
    String invalid = string("\"a\\xc5z\"");
    assertThat(invalid).isEqualTo("a\uDCC5z");
    assertThat(Printer.print(Parser.parseExpr("\"a\\xc5z\""))).isEqualTo("\"a\\xc5z\"");
    assertThat(Printer.print(Parser.parseExpr("\"\\u00a0\\x00\\\\\""))).isEqualTo(
        "\"\\u00a0\\x00\\\\\"");
  }

  private static String string(String q) {
    return ((StringLiteral) Parser.parseExpr(q)).value();
  }

  static Stream<Arguments> disabledFeatures() {
    return Stream.of(
        Arguments.argumentSet("duration arithmetic", "foo[5m * 2]",
            "1:5: parse error: experimental duration expression is not enabled"),
        Arguments.argumentSet("step()", "foo offset step()",
            "1:12: parse error: experimental duration expression is not enabled"),
        Arguments.argumentSet("experimental function", "mad_over_time(foo[5m])",
            "1:1: parse error: function \"mad_over_time\" is not enabled"),
        Arguments.argumentSet("experimental aggregation", "limitk(1, foo)",
            "1:1: parse error: limitk() is experimental and must be enabled with "
                + "--enable-feature=promql-experimental-functions"),
        Arguments.argumentSet("anchored", "foo[5m] anchored",
            "1:1: parse error: anchored modifier is experimental and not enabled"),
        Arguments.argumentSet("fill", "a + fill(0) b",
            "1:1: parse error: binop fill modifiers are experimental and not enabled"));
  }

  @ParameterizedTest
  @MethodSource("disabledFeatures")
  void stableOptionsRejectExperimentalSyntax(String query, String message) {
    assertThatThrownBy(() -> Parser.parseExpr(query, ParserOptions.DEFAULT))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
    assertThat(Parser.parseExpr(query, ParserOptions.ALL_FEATURES)).isNotNull();
  }

  static Stream<Arguments> semanticErrors() {
    return Stream.of(
        Arguments.argumentSet("range function on instant vector", "rate(foo)",
            "1:6: parse error: expected type range vector in call to function \"rate\", got "
                + "instant vector"),
        Arguments.argumentSet("set operator on scalars", "1 and foo",
            "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        Arguments.argumentSet("scalar comparison without bool", "1 < 2",
            "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        Arguments.argumentSet("bool on arithmetic", "a + bool b",
            "1:3: parse error: bool modifier can only be used on comparison operators"),
        Arguments.argumentSet("group on set operator", "a and on(x) group_left b",
            "1:1: parse error: no grouping allowed for \"and\" operation"),
        Arguments.argumentSet("label in on and group", "a * on(x) group_left(x) b",
            "1:3: parse error: label \"x\" must not occur in ON and GROUP clause at once"),
        Arguments.argumentSet("fill with a scalar", "a + fill(1) 2",
            "1:1: parse error: filling in missing series only allowed between instant vectors"),
        Arguments.argumentSet("fill on a set operator", "a or fill(1) b",
            "1:1: parse error: filling in missing series not allowed for set operators"),
        Arguments.argumentSet("subquery of a range", "foo[5m][10m:]",
            "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        Arguments.argumentSet("too many arguments", "histogram_quantiles(x, \"q\", "
            + "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)",
            "1:1: parse error: expected at most 12 argument(s) in call to "
                + "\"histogram_quantiles\", got 13"),
        Arguments.argumentSet("count_values parameter", "count_values(1, foo)",
            "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        Arguments.argumentSet("empty selector", "{a=~\".*\"}",
            "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.argumentSet("name twice", "foo{__name__=\"bar\"}",
            "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        Arguments.argumentSet("two offsets", "foo offset 1m offset 2m",
            "1:1: parse error: offset may not be set multiple times"),
        Arguments.argumentSet("two @", "foo @ 1 @ 2",
            "1:1: parse error: @ <timestamp> may not be set multiple times"),
        Arguments.argumentSet("case-sensitive function names", "RATE(x[5m])",
            "1:1: parse error: unknown function with name \"RATE\""),
        Arguments.argumentSet("step() as a function is lower case only", "STEP()",
            "1:1: parse error: unknown function with name \"STEP\""),
        Arguments.argumentSet("unexpected keyword", "sum(x) by (a) by (b)",
            "1:15: parse error: unexpected <by>"),
        Arguments.argumentSet("multi-line position", "foo +\n  bar baz",
            "2:7: parse error: unexpected identifier \"baz\""),
        Arguments.argumentSet("bad duration", "foo[5m1h]",
            "1:5: parse error: not a valid duration string: \"5m1h\""),
        Arguments.argumentSet("invalid regex", "foo{a=~\"(\"}",
            "1:5: parse error: invalid regular expression \"(\": Unclosed group"));
  }

  @ParameterizedTest
  @MethodSource("semanticErrors")
  void semanticErrorsLikePrometheus(String query, String message) {
    assertThatThrownBy(() -> Parser.parseExpr(query))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
  }

  @Test
  void collectsSeveralErrorsAndRendersACaret() {
    ParseException e = (ParseException) org.assertj.core.api.Assertions.catchThrowable(
        () -> Parser.parseExpr("topk(some_metric,)"));
    assertThat(e.errors()).extracting(ParseError::message).containsExactly(
        "trailing commas not allowed in function call args",
        "wrong number of arguments for aggregate expression provided, expected 2, got 1");
    ParseError first = e.errors().getFirst();
    assertThat(first.lineColumn()).isEqualTo("1:17");
    assertThat(first.caret()).isEqualTo("topk(some_metric,)\n                ^");
    ParseException multi = (ParseException) org.assertj.core.api.Assertions.catchThrowable(
        () -> Parser.parseExpr("sum(x)\n  by (a) foo"));
    assertThat(multi.caretMessage()).isEqualTo(
        "2:10: parse error: unexpected identifier \"foo\"\n  by (a) foo\n         ^~~");
  }

  @Test
  void columnsCountUtf8BytesLikePrometheus() {
    assertThatThrownBy(() -> Parser.parseExpr("foo{a=\"äö\"} bar"))
        .hasMessage("1:15: parse error: unexpected identifier \"bar\"");
  }

  @Test
  void metricSelectorsForTheHttpApi() {
    assertThat(Parser.parseMetricSelector("up{job=\"x\"}"))
        .containsExactly(Matcher.equal("job", "x"), Matcher.equal("__name__", "up"));
    assertThat(Parser.parseMetricSelector("{__name__=~\"a.*\"}"))
        .containsExactly(Matcher.of(MatchType.REGEX, "__name__", "a.*"));
    assertThat(Parser.parseMetricSelector("sum")).containsExactly(Matcher.equal("__name__", "sum"));
    assertThat(Parser.parseMetricSelector("{}")).isEmpty();
    assertThatThrownBy(() -> Parser.parseMetricSelector("up + 1"))
        .isInstanceOf(ParseException.class)
        .hasMessage("1:4: parse error: unexpected <op:+>");
    assertThatThrownBy(() -> Parser.parseMetricSelector("rate(x[5m])"))
        .isInstanceOf(ParseException.class);
  }

  @Test
  void durations() {
    assertThat(Parser.parseDuration("1h30m")).isEqualTo(5_400_000L);
    assertThat(Parser.parseDuration("1y2w3d4h5m6s7ms")).isEqualTo(
        ((((365L + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7);
    assertThat(Parser.parseDuration("0")).isZero();
    assertThat(Parser.parseDuration("100ms")).isEqualTo(100);
    assertThatThrownBy(() -> Parser.parseDuration("")).hasMessage("empty duration string");
    assertThatThrownBy(() -> Parser.parseDuration("1.5h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown unit \".\" in duration \"1.5h\"");
    assertThatThrownBy(() -> Parser.parseDuration("5m1h"))
        .hasMessage("not a valid duration string: \"5m1h\"");
    assertThatThrownBy(() -> Parser.parseDuration("300y"))
        .hasMessage("duration out of range");
    assertThat(Parser.parseNumberOrDuration("1.5")).isEqualTo(1.5);
    assertThat(Parser.parseNumberOrDuration("-2e3")).isEqualTo(-2000);
    assertThat(Parser.parseNumberOrDuration("5m")).isEqualTo(300);
    assertThatThrownBy(() -> Parser.parseNumberOrDuration("abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Parser.formatDuration(5_400_000)).isEqualTo("1h30m");
    // Weeks and years only when exact: "90d" reads better than "12w6d".
    assertThat(Parser.formatDuration(90L * 24 * 3600 * 1000)).isEqualTo("90d");
    assertThat(Parser.formatDuration(14L * 24 * 3600 * 1000)).isEqualTo("2w");
    assertThat(Parser.formatDuration(0)).isEqualTo("0s");
    assertThat(Parser.formatDuration(1001)).isEqualTo("1s1ms");
  }

  @Test
  void printerCanonicalForms() {
    assertThat(Printer.print(Parser.parseExpr("foo{b='x',a=\"y\"} offset -5m @ 100")))
        .isEqualTo("foo{a=\"y\",b=\"x\"} @ 100.000 offset -5m");
    assertThat(Printer.print(Parser.parseExpr("foo[5m] smoothed offset 1m @ start()")))
        .isEqualTo("foo[5m] smoothed @ start() offset 1m");
    assertThat(Printer.print(Parser.parseExpr("a + fill(NaN) b")))
        .isEqualTo("a + fill_left (NaN) fill_right (NaN) b");
    assertThat(Printer.print(Parser.parseExpr("a + fill(1e30) b")))
        .isEqualTo("a + fill (1e+30) b");
    assertThat(Printer.print(Parser.parseExpr("1e30 + 0x10 + 1e-7")))
        .isEqualTo("1000000000000000000000000000000 + 16 + 0.0000001");
    assertThat(Printer.print(Parser.parseExpr("Inf ^ 2"))).isEqualTo("Inf ^ 2");
    assertThat(Printer.print(Parser.parseExpr("Inf * 2"))).isEqualTo("+Inf * 2");
  }

  @Test
  void prettyPrintsLongQueriesOnSeveralLines() {
    String q = "sum by (job, instance) (rate(http_requests_total{job=\"api-server\", "
        + "handler=~\"/api/v1/.*\"}[5m])) / on (job) group_left sum by (job) (up)";
    assertThat(Printer.pretty(Parser.parseExpr(q))).isEqualTo(
        "  sum by (job, instance) (rate(http_requests_total{handler=~\"/api/v1/.*\","
            + "job=\"api-server\"}[5m]))\n"
            + "/ on (job) group_left ()\n"
            + "  sum by (job) (up)");
    assertThat(Printer.pretty(Parser.parseExpr("up"))).isEqualTo("up");
  }

  @Test
  void functionTableMatchesPrometheus() {
    FunctionSignature hq = Functions.byName("histogram_quantiles");
    assertThat(hq.minArgs()).isEqualTo(3);
    assertThat(hq.maxArgs()).isEqualTo(12);
    assertThat(Functions.byName("step").returnType()).isEqualTo(ValueType.SCALAR);
    assertThat(Functions.byName("label_join").maxArgs()).isEqualTo(Integer.MAX_VALUE);
  }
}
