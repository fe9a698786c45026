package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.vigil.model.labels.Labels;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Prometheus's template functions; expectations follow prometheus/template/template_test.go. */
class PrometheusFunctionsTest {

  private static final QueryFunction FAKE_QUERY = (expr, t) -> switch (expr) {
    case "1.5" -> List.of(new QuerySample(Labels.EMPTY, 1.5));
    case "metric" -> List.of(
        new QuerySample(Labels.of("__name__", "metric", "instance", "b"), 21),
        new QuerySample(Labels.of("__name__", "metric", "instance", "a"), 11));
    case "none" -> List.of();
    default -> throw new TemplateFunctionException("unknown query " + expr);
  };

  static Stream<Arguments> cases() {
    return Stream.of(
        set("humanize", "{{ range . }}{{ humanize . }}:{{ end }}",
            List.of(0.0, 1.0, 1234567.0, 0.12), "0:1:1.235M:120m:"),
        set("humanize small and huge", "{{ range . }}{{ humanize . }}:{{ end }}",
            List.of(0.00001234, 1e-12, 12345678901234567.0, -1234567.0, 1e30),
            "12.34u:1p:12.35P:-1.235M:1e+06Y:"),
        set("humanize special values", "{{ range . }}{{ humanize . }}:{{ end }}",
            List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
            "NaN:+Inf:-Inf:"),
        set("humanize of int literal", "{{ humanize 1234567 }}", null, "1.235M"),
        set("humanize of string", "{{ humanize \"1234567.0\" }}", null, "1.235M"),
        set("humanize1024", "{{ range . }}{{ humanize1024 . }}:{{ end }}",
            List.of(0.0, 1.0, 1048576.0, 0.12, 1536.0), "0:1:1Mi:0.12:1.5ki:"),
        set("humanizeDuration", "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
            List.of(0.0, 1.0, 60.0, 3600.0, 86400.0, 86400.0 + 3600.0,
                -(86400.0 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99),
            "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:"),
        set("humanizeDuration fractions", "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
            List.of(0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345),
            "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:"),
        set("humanizeDuration 90061", "{{ humanizeDuration 90061 }}", null, "1d 1h 1m 1s"),
        set("humanizePercentage", "{{ range . }}{{ humanizePercentage . }}:{{ end }}",
            List.of(0.0, 0.1, 0.1234567, 1.0, 0.1234), "0%:10%:12.35%:100%:12.34%:"),
        set("humanizeTimestamp", "{{ 1435065584.128 | humanizeTimestamp }}", null,
            "2015-06-23 13:19:44.128 +0000 UTC"),
        set("humanizeTimestamp NaN", "{{ humanizeTimestamp . }}", Double.NaN, "NaN"),
        set("toTime", "{{ 1435065584.128 | toTime }}", null, "2015-06-23 13:19:44.128 +0000 UTC"),
        set("toTime Unix", "{{ (1435065584.128 | toTime).Unix }}", null, "1435065584"),
        set("title", "{{ \"aa bb CC\" | title }}", null, "Aa Bb CC"),
        set("toUpper toLower", "{{ \"aB\" | toUpper }}{{ \"aB\" | toLower }}", null, "ABab"),
        set("match", "{{ match \"a+\" \"baaa\" }} {{ match \"^x\" \"ab\" }}", null, "true false"),
        set("reReplaceAll", "{{ reReplaceAll \"(a)b\" \"x$1\" \"abab\" }}", null, "xaxa"),
        set("reReplaceAll named and literal dollar",
            "{{ reReplaceAll \"(?P<k>[a-z]+)-(\\\\d+)\" \"${k}=$2$$\" \"foo-12\" }}", null,
            "foo=12$"),
        set("reReplaceAll strips port", "{{ reReplaceAll \":(.*)\" \"\" \"host:9090\" }}", null,
            "host"),
        set("graphLink", "{{ graphLink \"up == 0\" }}", null, "/graph?g0.expr=up+%3D%3D+0&g0.tab=0"),
        set("tableLink", "{{ tableLink \"up\" }}", null, "/graph?g0.expr=up&g0.tab=1"),
        set("stripPort", "{{ range . }}{{ stripPort . }}|{{ end }}",
            List.of("foo.com:12345", "[2001:0DB8::1]:12345", "foo.com", "192.0.2.1:80"),
            "foo.com|2001:0DB8::1|foo.com|192.0.2.1|"),
        set("stripDomain", "{{ range . }}{{ stripDomain . }}|{{ end }}",
            List.of("foo.example.com", "foo.example.com:12345", "192.0.2.1:12345",
                "[2001:0DB8::1]:12345", "localhost"),
            "foo|foo:12345|192.0.2.1:12345|[2001:0DB8::1]:12345|localhost|"),
        set("parseDuration", "{{ parseDuration \"1h2m10ms\" }}", null, "3720.01"),
        set("parseDuration with days", "{{ parseDuration \"1d\" | humanizeDuration }}", null,
            "1d 0h 0m 0s"),
        set("externalURL and pathPrefix", "{{ externalURL }} {{ pathPrefix }}", null,
            "http://testhost:9090/path/prefix /path/prefix"),
        set("query first value", "{{ query \"1.5\" | first | value }}", null, "1.5"),
        set("query label", "{{ with query \"metric\" }}{{ . | first | label \"instance\" }}"
            + "{{ end }}", null, "b"),
        set("sortByLabel", "{{ range query \"metric\" | sortByLabel \"instance\" }}"
            + "{{ .Labels.instance }}:{{ .Value }}: {{ end }}", null, "a:11: b:21: "),
        set("query result fields", "{{ range query \"metric\" }}{{ .Labels.instance }}{{ end }}",
            null, "ba"),
        set("args", "{{ define \"x\" }}{{ .arg0 }} {{ .arg1 }}{{ end }}"
            + "{{ template \"x\" (args 1 \"2\") }}", null, "1 2"),
        set("safeHtml", "{{ \"<b>\" | safeHtml }}", null, "<b>"),
        set("printf %T and %+v", "{{ $s := query \"1.5\" | first }}{{ printf \"%T %T %+v\" $s 1 $s }}",
            null, "*template.sample int &{Labels:map[] Value:1.5}"),
        set("strvalue", "{{ query \"metric\" | first | strvalue }}", null, ""));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        set("first of empty", "{{ query \"none\" | first }}", null,
            "template: t:1:18: executing \"t\" at <first>: error calling first: first() called "
                + "on vector with no elements"),
        set("query error", "{{ query \"bad\" }}", null,
            "template: t:1:3: executing \"t\" at <query \"bad\">: error calling query: unknown "
                + "query bad"),
        set("humanize of non-number", "{{ humanize \"abc\" }}", null,
            "template: t:1:3: executing \"t\" at <humanize \"abc\">: error calling humanize: "
                + "strconv.ParseFloat: parsing \"abc\": invalid syntax"),
        set("humanize of bool", "{{ humanize true }}", null,
            "template: t:1:3: executing \"t\" at <humanize true>: error calling humanize: "
                + "can't convert bool to float"),
        set("toUpper of number", "{{ 1 | toUpper }}", null,
            "template: t:1:7: executing \"t\" at <toUpper>: wrong type for value; expected "
                + "string; got int"),
        set("toTime NaN", "{{ toTime . }}", Double.NaN,
            "template: t:1:3: executing \"t\" at <toTime .>: error calling toTime: value is NaN "
                + "or Inf"),
        set("parseDuration invalid", "{{ parseDuration \"1x\" }}", null,
            "template: t:1:3: executing \"t\" at <parseDuration \"1x\">: error calling "
                + "parseDuration: not a valid duration string: \"1x\""));
  }

  private static Arguments set(String name, String template, Object data, String expected) {
    return argumentSet(name, template, data, expected);
  }

  private static Template parse(String template) throws TemplateParseException {
    return Template.parse("t", template, PrometheusFunctions.create(0, FAKE_QUERY,
        URI.create("http://testhost:9090/path/prefix")));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void expands(String template, Object data, String expected) throws TemplateParseException {
    assertThat(parse(template).execute(Value.of(data))).isEqualTo(new Expansion.Success(expected));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void reportsErrors(String template, Object data, String expected)
      throws TemplateParseException {
    assertThat(parse(template).execute(Value.of(data))).isEqualTo(new Expansion.Failure(expected));
  }

  @Test
  void alertPreludeDefinesVariables() {
    Value data = AlertTemplates.data(Map.of("instance", "host:9090", "job", "node"),
        Map.of("cluster", "eu1"), "http://prom:9090", 1234567);
    String text = "{{ $labels.instance }} of {{ $externalLabels.cluster }} has "
        + "{{ $value | humanize }} ({{ $value }}), see {{ $externalURL }}";
    assertThat(AlertTemplates.expand("HighLoad", text, data, 0, FAKE_QUERY,
        URI.create("http://prom:9090")))
        .isEqualTo("host:9090 of eu1 has 1.235M (1.234567e+06), see http://prom:9090");
  }

  @Test
  void alertExpansionErrorsBecomeText() {
    Value data = AlertTemplates.data(Map.of(), Map.of(), "", 1);
    int col = AlertTemplates.PRELUDE.length() + 3;
    assertThat(AlertTemplates.expand("X", "{{ .Foo }}", data, 0, FAKE_QUERY, URI.create("")))
        .isEqualTo("<error expanding template: error executing template __alert_X: template: "
            + "__alert_X:1:" + col + ": executing \"__alert_X\" at <.Foo>: can't evaluate field "
            + "Foo in type " + AlertTemplates.DATA_TYPE + ">");
    assertThat(AlertTemplates.expand("X", "{{ .Foo", data, 0, FAKE_QUERY, URI.create("")))
        .isEqualTo("<error expanding template: error parsing template __alert_X: template: "
            + "__alert_X:1: unclosed action>");
  }

  @Test
  void parseCheckReportsGoMessage() {
    assertThat(AlertTemplates.parseError("A", "{{ $value | humanise }}"))
        .isEqualTo("template: __alert_A:1: function \"humanise\" not defined");
    assertThat(AlertTemplates.parseError("A", "{{ $labels.job }} {{ humanize $value }}"))
        .isNull();
  }
}
