package dev.vigil.collector.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.vigil.model.labels.Labels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cases of Prometheus's TestRelabel (model/relabel/relabel_test.go) with its expected outputs. */
class RelabelerTest {
  private static final Labels DROPPED = null;

  private static RelabelConfig.Builder rule() {
    return RelabelConfig.builder();
  }

  static Stream<Arguments> prometheusCases() {
    Labels abc = Labels.of("a", "foo", "b", "bar", "c", "baz");
    Labels ports = Labels.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678");
    Labels lines = Labels.of("a", "line1\nline2", "b", "bar", "c", "baz");
    return Stream.of(
        argumentSet("replace with ${1}", abc,
            List.of(rule().sourceLabels("a").regex("f(.*)").targetLabel("d").replacement("ch${1}-ch${1}").build()),
            Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo")),
        argumentSet("two replaces, multiple sources", abc,
            List.of(
                rule().sourceLabels("a", "b").regex("f(.*);(.*)r").targetLabel("a").replacement("b${1}${2}m").build(),
                rule().sourceLabels("c", "a").regex("(b).*b(.*)ba(.*)").targetLabel("d").replacement("$1$2$2$3").build()),
            Labels.of("a", "boobam", "b", "bar", "c", "baz", "d", "boooom")),
        argumentSet("drop then replace", Labels.of("a", "foo"),
            List.of(
                rule().sourceLabels("a").regex(".*o.*").action(Action.DROP).build(),
                rule().sourceLabels("a").regex("f(.*)").targetLabel("d").replacement("ch$1-ch$1").build()),
            DROPPED),
        argumentSet("drop", Labels.of("a", "foo", "b", "bar"),
            List.of(rule().sourceLabels("a").regex(".*o.*").action(Action.DROP).build()), DROPPED),
        argumentSet("replace group in middle", Labels.of("a", "abc"),
            List.of(rule().sourceLabels("a").regex(".*(b).*").targetLabel("d").replacement("$1").build()),
            Labels.of("a", "abc", "d", "b")),
        argumentSet("drop no match", Labels.of("a", "foo"),
            List.of(rule().sourceLabels("a").regex("no-match").action(Action.DROP).build()), Labels.of("a", "foo")),
        argumentSet("drop is anchored", Labels.of("a", "foo"),
            List.of(rule().sourceLabels("a").regex("f|o").action(Action.DROP).build()), Labels.of("a", "foo")),
        argumentSet("keep no match", Labels.of("a", "foo"),
            List.of(rule().sourceLabels("a").regex("no-match").action(Action.KEEP).build()), DROPPED),
        argumentSet("keep match", Labels.of("a", "foo"),
            List.of(rule().sourceLabels("a").regex("f.*").action(Action.KEEP).build()), Labels.of("a", "foo")),
        argumentSet("no replacement without match", Labels.of("a", "boo"),
            List.of(rule().sourceLabels("a").regex("f").targetLabel("b").replacement("bar").build()),
            Labels.of("a", "boo")),
        argumentSet("blank replacement deletes", Labels.of("a", "foo", "f", "baz"),
            List.of(rule().sourceLabels("a").regex("(f).*").targetLabel("$1").replacement("$2").build()),
            Labels.of("a", "foo")),
        argumentSet("hashmod", abc,
            List.of(rule().sourceLabels("c").targetLabel("d").action(Action.HASHMOD).modulus(1000).build()),
            Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "976")),
        argumentSet("hashmod newline", Labels.of("a", "foo\nbar"),
            List.of(rule().sourceLabels("a").targetLabel("b").action(Action.HASHMOD).modulus(1000).build()),
            Labels.of("a", "foo\nbar", "b", "734")),
        argumentSet("labelmap", Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
            List.of(rule().regex("(b.*)").replacement("bar_${1}").action(Action.LABELMAP).build()),
            Labels.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz")),
        argumentSet("labelmap meta",
            Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
            List.of(rule().regex("__meta_(my.*)").replacement("${1}").action(Action.LABELMAP).build()),
            Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc",
                "my_bar", "aaa", "my_baz", "bbb")),
        argumentSet("target from group", Labels.of("a", "some-name-value"),
            List.of(rule().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${2}").targetLabel("${1}").build()),
            Labels.of("a", "some-name-value", "name", "value")),
        argumentSet("missing group gives empty replacement", Labels.of("a", "some-name-value"),
            List.of(rule().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${3}").targetLabel("${1}").build()),
            Labels.of("a", "some-name-value")),
        argumentSet("invalid expanded target is skipped", Labels.of("a", "some-name-0"),
            List.of(
                rule().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${1}").targetLabel("${3}").build(),
                rule().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${1}").targetLabel("${3}").build(),
                rule().sourceLabels("a").regex("some-([^-]+)(-[^,]+)").replacement("${1}").targetLabel("${3}").build()),
            Labels.of("a", "some-name-0")),
        argumentSet("real-life tags", Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
            List.of(
                rule().sourceLabels("__meta_sd_tags").regex("(?:.+,|^)path:(/[^,]+).*").replacement("${1}").targetLabel("__metrics_path__").build(),
                rule().sourceLabels("__meta_sd_tags").regex("(?:.+,|^)job:([^,]+).*").replacement("${1}").targetLabel("job").build(),
                rule().sourceLabels("__meta_sd_tags").regex("(?:.+,|^)label:([^=]+)=([^,]+).*").replacement("${2}").targetLabel("${1}").build()),
            Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar", "__metrics_path__", "/secret",
                "job", "some-job", "foo", "bar")),
        argumentSet("issue 12283",
            Labels.of("__meta_kubernetes_pod_container_port_name", "foo", "__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
            List.of(
                rule().regex("^__meta_kubernetes_pod_container_port_name$").action(Action.LABELDROP).build(),
                rule().sourceLabels("__meta_kubernetes_pod_annotation_XXX_metrics_port").regex("(.+)").replacement("metrics")
                    .targetLabel("__meta_kubernetes_pod_container_port_name").build(),
                rule().sourceLabels("__meta_kubernetes_pod_container_port_name").regex("^metrics$").action(Action.KEEP).build()),
            Labels.of("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091", "__meta_kubernetes_pod_container_port_name", "metrics")),
        argumentSet("labelkeep", Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
            List.of(rule().regex("(b.*)").action(Action.LABELKEEP).build()), Labels.of("b1", "bar", "b2", "baz")),
        argumentSet("labeldrop", Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
            List.of(rule().regex("(b.*)").action(Action.LABELDROP).build()), Labels.of("a", "foo")),
        argumentSet("upper and lower", Labels.of("foo", "bAr123Foo"),
            List.of(
                rule().sourceLabels("foo").action(Action.UPPERCASE).targetLabel("foo_uppercase").build(),
                rule().sourceLabels("foo").action(Action.LOWERCASE).targetLabel("foo_lowercase").build()),
            Labels.of("foo", "bAr123Foo", "foo_lowercase", "bar123foo", "foo_uppercase", "BAR123FOO")),
        argumentSet("keepequal equal", ports,
            List.of(rule().sourceLabels("__tmp_port").action(Action.KEEPEQUAL).targetLabel("__port1").build()), ports),
        argumentSet("dropequal equal", ports,
            List.of(rule().sourceLabels("__tmp_port").action(Action.DROPEQUAL).targetLabel("__port1").build()), DROPPED),
        argumentSet("dropequal different", ports,
            List.of(rule().sourceLabels("__tmp_port").action(Action.DROPEQUAL).targetLabel("__port2").build()), ports),
        argumentSet("keepequal different", ports,
            List.of(rule().sourceLabels("__tmp_port").action(Action.KEEPEQUAL).targetLabel("__port2").build()), DROPPED),
        argumentSet("dot matches newline", lines,
            List.of(rule().sourceLabels("a").regex("line1.*line2").targetLabel("d").replacement("match${1}").build()),
            Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "d", "match")),
        argumentSet("utf-8 source label", Labels.of("utf-8.label", "line1\nline2", "b", "bar", "c", "baz"),
            List.of(rule().sourceLabels("utf-8.label").regex("line1.*line2").targetLabel("d").replacement("match${1}").build()),
            Labels.of("utf-8.label", "line1\nline2", "b", "bar", "c", "baz", "d", "match")),
        argumentSet("utf-8 target label", lines,
            List.of(rule().sourceLabels("a").regex("line1.*line2").targetLabel("utf-8.label").replacement("match${1}").build()),
            Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "utf-8.label", "match")),
        argumentSet("utf-8 target label with variable", lines,
            List.of(rule().sourceLabels("a").regex("line1.*line2").targetLabel("utf-8.label${1}").replacement("match${1}").build()),
            Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "utf-8.label", "match")),
        argumentSet("named groups, both styles", lines,
            List.of(
                rule().sourceLabels("a").regex("(line1).*(?<second>line2)").targetLabel("label1_${1}").replacement("val_${second}").build(),
                rule().sourceLabels("a").regex("(line1).*(?<second>line2)").targetLabel("label2_$1").replacement("val_$second").build()),
            Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "label1_line1", "val_line2", "label2_line1", "val_line2")),
        argumentSet("__type__ from name", Labels.of("__name__", "http_requests_total"),
            List.of(rule().sourceLabels("__name__").regex(".*_total$").targetLabel("__type__").replacement("counter").build()),
            Labels.of("__name__", "http_requests_total", "__type__", "counter")),
        argumentSet("__unit__ from name", Labels.of("__name__", "disk_usage_bytes"),
            List.of(rule().sourceLabels("__name__").regex(".*_bytes$").targetLabel("__unit__").replacement("bytes").build()),
            Labels.of("__name__", "disk_usage_bytes", "__unit__", "bytes")));
  }

  @ParameterizedTest
  @MethodSource("prometheusCases")
  void relabelsLikePrometheus(Labels input, List<RelabelConfig> rules, Labels expected) {
    assertThat(Relabeler.process(input, rules)).isEqualTo(expected);
  }

  static Stream<Arguments> moreCases() {
    return Stream.of(
        argumentSet("static label (fast path)", Labels.of("job", "x"),
            List.of(rule().targetLabel("env").replacement("prod").build()), Labels.of("env", "prod", "job", "x")),
        argumentSet("$1x is a named group, so empty: label deleted", Labels.of("a", "foo", "b", "old"),
            List.of(rule().sourceLabels("a").regex("(f)oo").targetLabel("b").replacement("$1x").build()),
            Labels.of("a", "foo")),
        argumentSet("$$ is a dollar, malformed ${ is literal", Labels.of("a", "foo"),
            List.of(rule().sourceLabels("a").regex("(f)oo").targetLabel("b").replacement("$$1-${-$").build()),
            Labels.of("a", "foo", "b", "$1-${-$")),
        argumentSet("Go named group syntax (?P<n>) with underscore", Labels.of("a", "foo-bar"),
            List.of(rule().sourceLabels("a").regex("(?P<first_part>[a-z]+)-(?P<rest>.*)").targetLabel("b").replacement("${rest}_$first_part").build()),
            Labels.of("a", "foo-bar", "b", "bar_foo")),
        argumentSet("POSIX class and literal [ inside brackets", Labels.of("a", "ab[1"),
            List.of(rule().sourceLabels("a").regex("([[:alpha:][]+)([[:digit:]])").targetLabel("b").replacement("$2$1").build()),
            Labels.of("a", "ab[1", "b", "1ab[")),
        argumentSet("missing source labels join to separators", Labels.of("x", "1"),
            List.of(rule().sourceLabels("a", "b").regex(";").targetLabel("b").replacement("empty").build()),
            Labels.of("b", "empty", "x", "1")),
        argumentSet("leading-zero group number is a name", Labels.of("a", "foo"),
            List.of(rule().sourceLabels("a").regex("(foo)").targetLabel("b").replacement("[$01]").build()),
            Labels.of("a", "foo", "b", "[]")),
        argumentSet("kubernetes address and port", Labels.of("__address__", "10.1.2.3:80", "__meta_port", "9100"),
            List.of(rule().sourceLabels("__address__", "__meta_port").regex("(.+?)(\\:\\d+)?;(\\d+)")
                .targetLabel("__address__").replacement("$1:$3").build()),
            Labels.of("__address__", "10.1.2.3:9100", "__meta_port", "9100")));
  }

  @ParameterizedTest
  @MethodSource("moreCases")
  void goExpandSemantics(Labels input, List<RelabelConfig> rules, Labels expected) {
    assertThat(Relabeler.process(input, rules)).isEqualTo(expected);
  }

  @Test
  void hashmodUsesLastEightBytesOfMd5Unsigned() {
    // md5("baz") ends in ...; the value is fixed by Prometheus's test (976 for modulus 1000).
    assertThat(Relabeler.hashMod("baz", 1000)).isEqualTo(976);
    // A modulus above 2^63 exercises the unsigned arithmetic.
    long big = 0x8000_0000_0000_0001L;
    long r = Relabeler.hashMod("baz", big);
    assertThat(Long.compareUnsigned(r, big)).isNegative();
  }

  @Test
  void emptyRulesReturnInputUnchanged() {
    Labels l = Labels.of("a", "b");
    assertThat(Relabeler.process(l, List.of())).isSameAs(l);
  }
}
