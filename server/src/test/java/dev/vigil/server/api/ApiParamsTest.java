package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiParamsTest {
  @Test
  void timesInPrometheusFormats() {
    assertThat(ApiParams.parseTime("1435781451.781")).isEqualTo(1435781451781L);
    assertThat(ApiParams.parseTime("1435781451")).isEqualTo(1435781451000L);
    assertThat(ApiParams.parseTime("1.25")).isEqualTo(1250L);
    assertThat(ApiParams.parseTime("1.0005")).isEqualTo(1000L); // Go rounds the float fraction too
    assertThat(ApiParams.parseTime("2015-07-01T20:10:51.781Z")).isEqualTo(1435781451781L);
    assertThat(ApiParams.parseTime("2015-07-01T22:10:51+02:00")).isEqualTo(1435781451000L);
    assertThat(ApiParams.parseTime("-292273086-05-16T16:47:06Z")).isEqualTo(ApiParams.MIN_TIME);
    assertThatThrownBy(() -> ApiParams.parseTime("yesterday"))
        .hasMessage("cannot parse \"yesterday\" to a valid timestamp");
  }

  @Test
  void durationsAsSecondsOrPromDurations() {
    assertThat(ApiParams.parseDuration("15")).isEqualTo(15_000);
    assertThat(ApiParams.parseDuration("0.5")).isEqualTo(500);
    assertThat(ApiParams.parseDuration("1h30m")).isEqualTo(5_400_000);
    assertThat(ApiParams.parseDuration("1d")).isEqualTo(86_400_000);
    assertThat(ApiParams.parseDuration("250ms")).isEqualTo(250);
    assertThatThrownBy(() -> ApiParams.parseDuration(""))
        .hasMessage("cannot parse \"\" to a valid duration");
    assertThatThrownBy(() -> ApiParams.parseDuration("1x"))
        .hasMessage("cannot parse \"1x\" to a valid duration");
  }

  @Test
  void formBodyAndQueryStringAreBothRead() throws Exception {
    ApiParams p = ApiParams.parse("time=5&match[]=a", "query=sum%28up%29&match%5B%5D=b");
    assertThat(p.get("query")).isEqualTo("sum(up)");
    assertThat(p.all("match[]")).containsExactly("b", "a");
    assertThat(p.time("time", 0)).isEqualTo(5000);
    assertThatThrownBy(() -> ApiParams.parse("time=x", null).time("time", 0))
        .isInstanceOf(ApiException.class)
        .hasMessage("invalid parameter \"time\": cannot parse \"x\" to a valid timestamp");
  }
}
