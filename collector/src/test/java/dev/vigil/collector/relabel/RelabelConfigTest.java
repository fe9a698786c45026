package dev.vigil.collector.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prometheus's TestRelabelValidate and TestTargetLabelLegacyValidity, plus each message. */
class RelabelConfigTest {
  private static RelabelConfig.Builder rule() {
    return RelabelConfig.builder();
  }

  private static void fails(RelabelConfig.Builder b, String message) {
    assertThatThrownBy(b::build).isInstanceOf(InvalidRelabelConfigException.class).hasMessage(message);
  }

  @Test
  void prometheusValidateCases() {
    fails(rule().action(null), "relabel action cannot be empty");
    fails(rule().action(Action.REPLACE), "relabel configuration for replace action requires 'target_label' value");
    fails(rule().action(Action.LOWERCASE), "relabel configuration for lowercase action requires 'target_label' value");
    assertThatCode(() -> rule().action(Action.LOWERCASE).targetLabel("${3}").build()).doesNotThrowAnyException();
    fails(rule().action(Action.LOWERCASE).targetLabel("${3}").nameValidation(NameValidation.LEGACY),
        "\"${3}\" is invalid 'target_label' for lowercase action");
    for (String target : new String[] {"${3}", "0${3}", "-${3}"}) {
      assertThatCode(() -> rule().sourceLabels("a").regex("some-([^-]+)-([^,]+)").replacement("${1}").targetLabel(target).build())
          .doesNotThrowAnyException();
    }
    assertThatCode(() -> rule().regex("__meta_kubernetes_pod_label_(strimzi_io_.+)").action(Action.LABELMAP)
        .replacement("$1").nameValidation(NameValidation.LEGACY).build()).doesNotThrowAnyException();
    assertThatCode(() -> rule().regex("__meta_(.+)").action(Action.LABELMAP)
        .replacement("${1}").nameValidation(NameValidation.LEGACY).build()).doesNotThrowAnyException();
  }

  @Test
  void everyMessage() {
    fails(rule().action(Action.HASHMOD).targetLabel("x"), "relabel configuration for hashmod requires non-zero modulus");
    fails(rule().targetLabel("-bad").nameValidation(NameValidation.LEGACY), "\"-bad\" is invalid 'target_label' for replace action");
    fails(rule().targetLabel("-bad${1}").nameValidation(NameValidation.LEGACY), "\"-bad${1}\" is invalid 'target_label' for replace action");
    fails(rule().action(Action.UPPERCASE).targetLabel("x").replacement("y"), "'replacement' can not be set for uppercase action");
    fails(rule().action(Action.LABELMAP).replacement("a-b").nameValidation(NameValidation.LEGACY),
        "\"a-b\" is invalid 'replacement' for labelmap action");
    fails(rule().action(Action.HASHMOD).modulus(2).targetLabel("a.b").nameValidation(NameValidation.LEGACY),
        "\"a.b\" is invalid 'target_label' for hashmod action");
    fails(rule().action(Action.KEEPEQUAL).targetLabel("x").regex("(.*)"),
        "keepequal action requires only 'source_labels' and `target_label`, and no other fields");
    fails(rule().action(Action.DROPEQUAL).targetLabel("x").separator(","),
        "dropequal action requires only 'source_labels' and `target_label`, and no other fields");
    fails(rule().action(Action.LABELDROP).sourceLabels("a"), "labeldrop action requires only 'regex', and no other fields");
    fails(rule().action(Action.LABELKEEP).targetLabel("a"), "labelkeep action requires only 'regex', and no other fields");
  }

  @Test
  void actionsParseCaseInsensitively() {
    assertThat(Action.parse("LabelMap")).isEqualTo(Action.LABELMAP);
    assertThatThrownBy(() -> Action.parse("nope")).hasMessage("unknown relabel action \"nope\"");
  }

  @Test
  void badRegexIsAnError() {
    assertThatThrownBy(() -> RelabelRegex.compile("(foo"))
        .isInstanceOf(InvalidRelabelConfigException.class)
        .hasMessageStartingWith("error parsing regexp: ")
        .hasMessageEndingWith("`(foo`");
    assertThatThrownBy(() -> RelabelRegex.compile("(?P<a>x)(?P<a>y)")).hasMessageContaining("duplicate capture group name");
  }

  @Test
  void regexIsAnchoredAndKeepsItsSource() {
    RelabelRegex re = RelabelRegex.compile("a|b");
    assertThat(re.matches("a")).isTrue();
    assertThat(re.matches("ab")).isFalse();
    assertThat(re.source()).isEqualTo("a|b");
    assertThat(RelabelRegex.compile("(.*)")).isNotSameAs(RelabelRegex.DEFAULT);
  }

  @ParameterizedTest
  @CsvSource({
    "-label,false", "label,true", "label${1},true", "${1}label,true", "${1},true", "'${',false", "$,false",
    "'${}',false", "'foo${',false", "$1,true", "asd$2asd,true", "'-foo${1}bar-',false", "'bar.foo${1}bar',false",
    "'_${1}_',true", "'foo${bar}foo',true"
  })
  void legacyTargetGrammar(String target, boolean valid) {
    assertThat(NameValidation.isLegacyTemplate(target)).isEqualTo(valid);
  }
}
