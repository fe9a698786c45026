package dev.vigil.model.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatcherTest {
  @Test
  void equalityAndMissingLabels() {
    assertThat(Matcher.of(MatchType.EQUAL, "a", "x").matches("x")).isTrue();
    assertThat(Matcher.of(MatchType.EQUAL, "a", "").matches("")).isTrue();
    assertThat(Matcher.of(MatchType.NOT_EQUAL, "a", "x").matches("")).isTrue();
  }

  @Test
  void regexesAreAnchoredAndDotMatchesNewline() {
    Matcher m = Matcher.of(MatchType.REGEX, "a", "fo.");
    assertThat(m.matches("foo")).isTrue();
    assertThat(m.matches("xfoo")).isFalse();
    assertThat(m.matches("fo\n")).isTrue();
    assertThat(Matcher.of(MatchType.NOT_REGEX, "a", "b.*").matches("abc")).isTrue();
  }

  @Test
  void literalAlternationsUseASet() {
    Matcher m = Matcher.of(MatchType.REGEX, "a", "foo|bar|b\\.z");
    assertThat(m.setMatches()).containsExactlyInAnyOrder("foo", "bar", "b.z");
    assertThat(m.matches("b.z")).isTrue();
    assertThat(m.matches("bxz")).isFalse();
    assertThat(Matcher.of(MatchType.REGEX, "a", ".+").matches("")).isFalse();
    assertThat(Matcher.of(MatchType.REGEX, "a", ".*").matches("")).isTrue();
  }

  @Test
  void badRegexNamesTheExpression() {
    assertThatThrownBy(() -> Matcher.of(MatchType.REGEX, "a", "(x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"(x\"");
  }

  @Test
  void printsLikePromql() {
    assertThat(Matcher.of(MatchType.NOT_REGEX, "job", "a\"b")).hasToString("job!~\"a\\\"b\"");
    assertThat(Matcher.of(MatchType.EQUAL, "a.b", "x")).hasToString("\"a.b\"=\"x\"");
  }
}
