package dev.vigil.rules.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertmanagerPayloadTest {
  @Test
  void encodesPostableAlertsInPrometheusFieldOrder() {
    NotifierAlert a = new NotifierAlert(Labels.of("alertname", "Down", "job", "api"),
        Labels.of("summary", "api is down"), Instant.parse("2026-11-25T10:00:00Z"),
        Instant.parse("2026-11-25T10:04:00.123Z"), "http://vigil/graph?g0.expr=up&g0.tab=1");
    assertThat(AlertmanagerPayload.encode(List.of(a, a))).isEqualTo(
        "[{\"labels\":{\"alertname\":\"Down\",\"job\":\"api\"},"
            + "\"annotations\":{\"summary\":\"api is down\"},"
            + "\"startsAt\":\"2026-11-25T10:00:00Z\",\"endsAt\":\"2026-11-25T10:04:00.123Z\","
            + "\"generatorURL\":\"http://vigil/graph?g0.expr=up\\u0026g0.tab=1\"},"
            + "{\"labels\":{\"alertname\":\"Down\",\"job\":\"api\"},"
            + "\"annotations\":{\"summary\":\"api is down\"},"
            + "\"startsAt\":\"2026-11-25T10:00:00Z\",\"endsAt\":\"2026-11-25T10:04:00.123Z\","
            + "\"generatorURL\":\"http://vigil/graph?g0.expr=up\\u0026g0.tab=1\"}]");
    assertThat(AlertmanagerPayload.encode(List.of())).isEqualTo("[]");
  }

  /** Go's encoding/json escapes (columns after text-block unescaping). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      plain        | "plain"
      quote"       | "quote\\""
      back\\slash  | "back\\\\slash"
      a<b>&c       | "a\\u003cb\\u003e\\u0026c"
      """)
  void escapesStringsAsGo(String in, String out) {
    StringBuilder b = new StringBuilder();
    AlertmanagerPayload.string(b, in);
    assertThat(b.toString()).isEqualTo(out);
  }

  @Test
  void escapesControlCharacters() {
    StringBuilder b = new StringBuilder();
    AlertmanagerPayload.string(b, "l1\nl2\tx\u0001\u2028");
    assertThat(b.toString()).isEqualTo("\"l1\\nl2\\tx\\u0001\\u2028\"");
  }
}
