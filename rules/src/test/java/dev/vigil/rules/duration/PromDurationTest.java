package dev.vigil.rules.duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromDurationTest {

  @ParameterizedTest
  @CsvSource({
      "0, 0, 0s",
      "0s, 0, 0s",
      "5m, 300000, 5m",
      "1h30m, 5400000, 1h30m",
      "90m, 5400000, 1h30m",
      "1d, 86400000, 1d",
      "1w, 604800000, 1w",
      "1y, 31536000000, 1y",
      "1y2w3d4h5m6s7ms, 33019506007, 1y2w3d4h5m6s7ms",
      "250ms, 250, 250ms"})
  void parsesAndFormats(String text, long millis, String canonical) {
    assertThat(PromDuration.parseMillis(text)).isEqualTo(millis);
    assertThat(PromDuration.format(millis)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "5x|not a valid duration string: \"5x\"",
      "1h30|not a valid duration string: \"1h30\"",
      "30m1h|not a valid duration string: \"30m1h\"",
      "-5m|not a valid duration string: \"-5m\"",
      "1.5h|not a valid duration string: \"1.5h\"",
      "999999999999y|duration out of range"})
  void rejectsLikePrometheus(String text, String message) {
    assertThatThrownBy(() -> PromDuration.parseMillis(text)).hasMessage(message);
  }

  @org.junit.jupiter.api.Test
  void emptyIsItsOwnError() {
    assertThatThrownBy(() -> PromDuration.parseMillis("")).hasMessage("empty duration string");
  }
}
