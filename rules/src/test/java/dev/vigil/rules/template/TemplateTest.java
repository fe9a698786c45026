package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go text/template behaviour, case by case. Expected outputs and error texts are Go's (from the
 * text/template documentation and Go's own exec_test.go / parse_test.go tables).
 */
class TemplateTest {

  static Value data() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "vigil");
    m.put("t", true);
    m.put("f", false);
    m.put("zero", 0);
    m.put("one", 1);
    m.put("two", 2);
    m.put("pi", 3.14159);
    m.put("list", List.of("a", "b"));
    m.put("nums", List.of(0, 1, 2, 3, 4));
    m.put("empty", List.of());
    m.put("m", Map.of("k2", "v2", "k1", "v1"));
    m.put("nested", Map.of("a", Map.of("b", Map.of("c", "deep"))));
    m.put("labels", Map.of("instance", "host:9090", "job", "node"));
    return Value.of(m);
  }

  static Stream<Arguments> outputs() {
    return Stream.of(
        ok("plain text", "hello", "hello"),
        ok("comment", "{{/* a comment */}}x", "x"),
        ok("trim comment", "a {{- /* c */ -}} b", "ab"),
        ok("trim markers", "{{ 23 -}} < {{- 45 }}", "23<45"),
        ok("trim newlines", "a\n  {{- 1 -}}\n  b", "a1b"),
        ok("map key", "{{ .name }}", "vigil"),
        ok("missing key in map[string]string is empty", "[{{ .labels.missing }}]", "[]"),
        ok("missing key in map[string]interface{}", "{{ .missing }}", "<no value>"),
        ok("print of missing key", "{{ print .missing }}", "<nil>"),
        ok("field of missing key", "{{ .missing.deeper }}", "<no value>"),
        ok("nested map", "{{ .nested.a.b.c }}", "deep"),
        ok("declare", "{{ $x := 5 }}{{ $x }}", "5"),
        ok("assign", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "2"),
        ok("variable field", "{{ $l := .labels }}{{ $l.job }}", "node"),
        ok("dollar is data", "{{ $.name }}", "vigil"),
        ok("if true", "{{ if .t }}yes{{ else }}no{{ end }}", "yes"),
        ok("if false", "{{ if .f }}yes{{ else }}no{{ end }}", "no"),
        ok("if zero is false", "{{ if .zero }}yes{{ else }}no{{ end }}", "no"),
        ok("if empty list is false", "{{ if .empty }}yes{{ else }}no{{ end }}", "no"),
        ok("if empty string is false", "{{ if \"\" }}yes{{ else }}no{{ end }}", "no"),
        ok("if map is true", "{{ if .m }}yes{{ end }}", "yes"),
        ok("else if", "{{ if eq .two 1 }}one{{ else if eq .two 2 }}two{{ else }}many{{ end }}",
            "two"),
        ok("else if chain to else", "{{ if .f }}a{{ else if .zero }}b{{ else }}c{{ end }}", "c"),
        ok("range list with index", "{{ range $i, $v := .list }}{{ $i }}={{ $v }},{{ end }}",
            "0=a,1=b,"),
        ok("range list dot", "{{ range .list }}<{{ . }}>{{ end }}", "<a><b>"),
        ok("range map in key order", "{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}",
            "k1:v1 k2:v2 "),
        ok("range single variable gets element", "{{ range $v := .list }}{{ $v }}{{ end }}",
            "ab"),
        ok("range else", "{{ range .empty }}x{{ else }}none{{ end }}", "none"),
        ok("range over missing value runs else", "{{ range .missing }}x{{ else }}none{{ end }}",
            "none"),
        ok("range over int", "{{ range 3 }}{{ . }}{{ end }}", "012"),
        ok("break and continue",
            "{{ range .nums }}{{ if eq . 3 }}{{ break }}{{ end }}{{ if eq . 1 }}{{ continue }}"
                + "{{ end }}{{ . }}{{ end }}", "02"),
        ok("range assigns outer variable",
            "{{ $last := \"\" }}{{ range $i, $v := .list }}{{ $last = $v }}{{ end }}{{ $last }}",
            "b"),
        ok("variables are scoped to the block",
            "{{ $x := 1 }}{{ if .t }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "21"),
        ok("with", "{{ with .name }}Hi {{ . }}{{ end }}", "Hi vigil"),
        ok("with else", "{{ with .labels.missing }}x{{ else }}empty{{ end }}", "empty"),
        ok("else with", "{{ with .labels.missing }}a{{ else with .name }}b{{ . }}{{ end }}",
            "bvigil"),
        ok("define and template", "{{ define \"T\" }}Hello {{ . }}{{ end }}{{ template \"T\" "
            + "\"world\" }}", "Hello world"),
        ok("template without data gets nil", "{{ define \"T\" }}[{{ . }}]{{ end }}"
            + "{{ template \"T\" }}", "[<no value>]"),
        ok("block", "{{ block \"B\" . }}default {{ .name }}{{ end }}", "default vigil"),
        ok("parenthesised pipeline", "{{ (len .list) }}", "2"),
        ok("parenthesised argument", "{{ printf \"%d items\" (len .list) }}", "2 items"),
        ok("chain on parenthesised", "{{ (.nested).a.b.c }}", "deep"),
        ok("pipeline final argument", "{{ \"abc\" | printf \"%s-%s\" \"x\" }}", "x-abc"),
        ok("pipeline to len", "{{ .name | len }}", "5"),
        ok("printf verbs", "{{ printf \"%s=%d %.2f %v %q %x %5.1f|%-4s|%04d %%\" \"a\" 3 3.14159 "
            + "true \"q\" 255 2.25 \"ab\" 42 }}", "a=3 3.14 true \"q\" ff   2.2|ab  |0042 %"),
        ok("printf float defaults", "{{ printf \"%f %e %g %v\" 1.5 1234.5678 0.000012345 2.0 }}",
            "1.500000 1.234568e+03 1.2345e-05 2"),
        ok("printf wrong verb", "{{ printf \"%d\" 1.5 }}", "%!d(float64=1.5)"),
        ok("printf missing", "{{ printf \"%s %s\" \"a\" }}", "a %!s(MISSING)"),
        ok("printf extra", "{{ printf \"%s\" \"a\" 1 }}", "a%!(EXTRA int=1)"),
        ok("printf %x of string", "{{ printf \"%x %X\" \"hi\" \"hi\" }}", "6869 6869"),
        ok("printf %q escapes", "{{ printf \"%q\" \"a\\tb\\\"\" }}", "\"a\\tb\\\"\""),
        ok("printf %+d and width", "{{ printf \"[%+d][%6.2f][%-6d]\" 5 -3.14159 7 }}",
            "[+5][ -3.14][7     ]"),
        ok("printf %g precision", "{{ printf \"%.3g %.10g\" 1234567.0 0.1 }}", "1.23e+06 0.1"),
        ok("printf %s of list", "{{ printf \"%s\" .list }}", "[a b]"),
        ok("print spacing", "{{ print 1 2 \"a\" 3 \"b\" \"c\" }}", "1 2a3bc"),
        ok("println", "{{ println \"a\" 1 }}", "a 1\n"),
        ok("float printing shortest", "{{ 1.5 }} {{ 100000.0 }} {{ 1234567.0 }} {{ 0.000001 }}",
            "1.5 100000 1.234567e+06 1e-06"),
        ok("integer literals", "{{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }} {{ -7 }}",
            "31 15 5 1000 -7"),
        ok("float literal with exponent", "{{ 1e3 }} {{ 1.0 }}", "1000 1"),
        ok("char constant", "{{ 'a' }} {{ '\\n' }}", "97 10"),
        ok("string escapes", "{{ \"a\\tb\\u00e9\\x41\" }}", "a\tbéA"),
        ok("raw string", "{{ `a\\n` }}", "a\\n"),
        ok("bool literal", "{{ true }} {{ false }}", "true false"),
        ok("len counts bytes", "{{ len \"héllo\" }}", "6"),
        ok("len of map", "{{ len .m }}", "2"),
        ok("index list", "{{ index .list 1 }}", "b"),
        ok("index map", "{{ index .m \"k1\" }}", "v1"),
        ok("index missing map key", "[{{ index .labels \"nope\" }}]", "[]"),
        ok("index nested", "{{ index .nested \"a\" \"b\" \"c\" }}", "deep"),
        ok("slice string", "{{ slice \"abcdef\" 1 3 }}", "bc"),
        ok("slice list", "{{ slice .nums 3 }}", "[3 4]"),
        ok("and returns first falsy", "{{ and 1 0 2 }}", "0"),
        ok("and returns last", "{{ and 1 2 }}", "2"),
        ok("or returns first truthy", "{{ or 0 \"\" \"x\" }}", "x"),
        ok("or returns last", "{{ or 0 \"\" }}", ""),
        ok("and short-circuits", "{{ and .f (index .list 99) }}", "false"),
        ok("not", "{{ not 0 }} {{ not .name }}", "true false"),
        ok("comparisons", "{{ lt 1 2 }} {{ gt \"b\" \"a\" }} {{ le 2.0 2.0 }} {{ ge 1 2 }}",
            "true true true false"),
        ok("eq with several", "{{ eq 1 2 3 1 }} {{ eq \"a\" \"b\" }}", "true false"),
        ok("ne", "{{ ne \"a\" \"b\" }}", "true"),
        ok("eq with missing value is false", "{{ eq .missing \"x\" }}", "false"),
        ok("html", "{{ html \"<a href='x'>&\\\"</a>\" }}",
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"),
        ok("js", "{{ js \"it's <b> = \\\"x\\\"\" }}",
            "it\\'s \\u003Cb\\u003E \\u003D \\\"x\\\""),
        ok("urlquery", "{{ urlquery \"a b&c=d/é~*\" }}", "a+b%26c%3Dd%2F%C3%A9~%2A"),
        ok("html of several args", "{{ html 1 \"<\" }}", "1&lt;"),
        ok("print map", "{{ .m }}", "map[k1:v1 k2:v2]"),
        ok("print list", "{{ .list }}", "[a b]"),
        ok("with declares a variable", "{{ with $x := .name }}{{ $x }}{{ end }}", "vigil"),
        ok("comma separated idiom",
            "{{ range $i, $e := .list }}{{ if $i }}, {{ end }}{{ $e }}{{ end }}", "a, b"),
        ok("index on labels", "{{ index .labels \"instance\" }}", "host:9090"),
        ok("printf percent after number", "{{ printf \"%d%%\" 50 }}", "50%"),
        ok("printf rounds half to even on exact values", "{{ printf \"%.1f %.2f %.0f\" 0.25 1.005 2.5 }}",
            "0.2 1.00 2"),
        ok("printf pads runes not bytes", "{{ printf \"%-3s|%3s\" \"é\" \"ü\" }}", "é  |  ü"),
        ok("printf %e and %G", "{{ printf \"%.2e %G\" 123456.0 1e-7 }}", "1.23e+05 1E-07"),
        ok("printf %c %U %o %b", "{{ printf \"%c %U %o %b\" 65 65 8 5 }}", "A U+0041 10 101"),
        ok("printf %v of map and nil", "{{ printf \"%v %v\" .m .missing }}",
            "map[k1:v1 k2:v2] <nil>"),
        ok("large float prints with exponent", "{{ 1e21 }} {{ 123456789.0 }}",
            "1e+21 1.23456789e+08"),
        ok("negative zero and small", "{{ -0.0 }} {{ 0.0001 }} {{ 0.00001 }}", "-0 0.0001 1e-05"),
        ok("pipeline of three", "{{ \"abc\" | len | printf \"%03d\" }}", "003"),
        ok("nested template keeps no variables",
            "{{ define \"T\" }}{{ . }}{{ end }}{{ $x := 1 }}{{ template \"T\" $x }}", "1"),
        ok("trim before comment keeps text", "a  {{- /* c */}}  b", "a  b"),
        ok("else-if with variables",
            "{{ $v := 5 }}{{ if lt $v 3 }}low{{ else if lt $v 10 }}mid{{ else }}high{{ end }}",
            "mid"),
        ok("multi-line action", "{{ if\n .t }}yes{{\nend }}", "yes"));
  }

  static Stream<Arguments> parseErrors() {
    return Stream.of(
        err("unclosed action", "{{ .Foo", "template: t:1: unclosed action"),
        err("unclosed action on later line", "x\n{{ .Foo\n",
            "template: t:3: unclosed action started at t:2"),
        err("unexpected EOF", "{{ if .x }}", "template: t:1: unexpected EOF"),
        err("unexpected end", "{{ end }}", "template: t:1: unexpected {{end}}"),
        err("unexpected else", "{{ else }}", "template: t:1: unexpected {{else}}"),
        err("undefined function", "{{ foo }}", "template: t:1: function \"foo\" not defined"),
        err("undefined variable", "{{ $x }}", "template: t:1: undefined variable \"$x\""),
        err("variable out of scope", "{{ if .t }}{{ $x := 1 }}{{ end }}{{ $x }}",
            "template: t:1: undefined variable \"$x\""),
        err("break outside range", "{{ break }}", "template: t:1: {{break}} outside {{range}}"),
        err("continue outside range", "{{ continue }}",
            "template: t:1: {{continue}} outside {{range}}"),
        err("literal in later pipeline stage", "{{ 1 | 2 }}",
            "template: t:1: non executable command in pipeline stage 2"),
        err("missing if value", "{{ if }}{{ end }}", "template: t:1: missing value for if"),
        err("missing command", "{{ }}", "template: t:1: missing value for command"),
        err("unterminated string", "{{ \"abc }}", "template: t:1: unterminated quoted string"),
        err("unterminated raw string", "{{ `abc }}", "template: t:1: unterminated raw quoted string"),
        err("unclosed comment", "{{/* x }}", "template: t:1: unclosed comment"),
        err("comment without delimiter", "{{/* x */ .y }}",
            "template: t:1: comment ends before closing delimiter"),
        err("line number", "a\nb\n{{ if }}", "template: t:3: missing value for if"),
        err("bad character", "{{ .a-b }}", "template: t:1: bad character U+002D '-'"),
        err("bad number", "{{ 3x }}", "template: t:1: bad number syntax: \"3x\""),
        err("unclosed paren", "{{ (1 }}", "template: t:1: unclosed left paren"),
        err("unexpected right paren", "{{ 1) }}", "template: t:1: unexpected right paren"),
        err("too many declarations", "{{ range $i, $v, $w := .list }}{{ end }}",
            "template: t:1: too many declarations in range"),
        err("unexpected token", "{{ .x := 1 }}", "template: t:1: unexpected \":=\" in operand"),
        err("dot after literal", "{{ \"a\".b }}",
            "template: t:1: unexpected . after term \"\\\"a\\\"\""),
        err("else with extra", "{{ if .t }}{{ else }}{{ else }}{{ end }}",
            "template: t:1: expected end; found {{else}}"),
        err("define without name", "{{ define x }}{{ end }}",
            "template: t:1: unexpected \"x\" in define clause"),
        err("invalid escape", "{{ \"\\q\" }}", "template: t:1: invalid syntax"),
        err("duplicate define", "{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}",
            "template: t:1: template: multiple definition of template \"a\""),
        err("stray end after range",
            "{{ range $i, $v := 3 }}{{ end }}{{ end }}",
            "template: t:1: unexpected {{end}}"));
  }

  static Stream<Arguments> execErrors() {
    return Stream.of(
        err("field of string", "{{ .name.x }}",
            "template: t:1:8: executing \"t\" at <.name.x>: can't evaluate field x in type string"),
        err("index out of range", "{{ index .list 5 }}",
            "template: t:1:3: executing \"t\" at <index .list 5>: error calling index: "
                + "index out of range: 5"),
        err("incompatible comparison", "{{ lt 1 \"a\" }}",
            "template: t:1:3: executing \"t\" at <lt 1 \"a\">: error calling lt: "
                + "incompatible types for comparison"),
        err("eq int float", "{{ eq 1 1.0 }}",
            "template: t:1:3: executing \"t\" at <eq 1 1.0>: error calling eq: "
                + "incompatible types for comparison"),
        err("nil command", "{{ nil }}",
            "template: t:1:3: executing \"t\" at <nil>: nil is not a command"),
        err("len of int", "{{ len 3 }}",
            "template: t:1:3: executing \"t\" at <len 3>: error calling len: len of type int"),
        err("printf format must be a string", "{{ printf 3 }}",
            "template: t:1:10: executing \"t\" at <3>: expected string; found 3"),
        err("wrong arg count", "{{ not 1 2 }}",
            "template: t:1:3: executing \"t\" at <not>: wrong number of args for not: "
                + "want 1 got 2"),
        err("undefined template", "{{ template \"nope\" }}",
            "template: t:1:12: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" "
                + "not defined"),
        err("argument to non-function", "{{ .name 1 }}",
            "template: t:1:3: executing \"t\" at <.name>: name is not a method but has "
                + "arguments"),
        err("range over string", "{{ range .name }}{{ end }}",
            "template: t:1:9: executing \"t\" at <.name>: range can't iterate over vigil"),
        err("context truncated to 20 chars", "\n  {{ index .list 1 2 3 4 5 6 7 }}",
            "template: t:2:5: executing \"t\" at <index .list 1 2 3 4 ...>: error calling "
                + "index: index out of range: 2"));
  }

  private static Arguments ok(String name, String template, String expected) {
    return argumentSet(name, template, expected);
  }

  private static Arguments err(String name, String template, String expected) {
    return argumentSet(name, template, expected);
  }

  @ParameterizedTest
  @MethodSource("outputs")
  void rendersLikeGo(String template, String expected) throws TemplateParseException {
    Template t = Template.parse("t", template, Map.of());
    assertThat(t.execute(data())).isEqualTo(new Expansion.Success(expected));
  }

  @ParameterizedTest
  @MethodSource("parseErrors")
  void rejectsLikeGo(String template, String expected) {
    assertThatThrownBy(() -> Template.parse("t", template, Map.of()))
        .isInstanceOf(TemplateParseException.class)
        .hasMessage(expected);
  }

  @ParameterizedTest
  @MethodSource("execErrors")
  void failsLikeGo(String template, String expected) throws TemplateParseException {
    Template t = Template.parse("t", template, Map.of());
    assertThat(t.execute(data())).isEqualTo(new Expansion.Failure(expected));
  }
}
