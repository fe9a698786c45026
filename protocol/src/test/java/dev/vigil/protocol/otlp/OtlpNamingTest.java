package dev.vigil.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.otlp.OtlpNaming.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OtlpNamingTest {
  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of("http.server.request.duration", "s", Kind.OTHER,
            "http_server_request_duration_seconds"),
        Arguments.of("system.network.io", "By", Kind.COUNTER, "system_network_io_bytes_total"),
        Arguments.of("system.cpu.utilization", "1", Kind.GAUGE, "system_cpu_utilization_ratio"),
        Arguments.of("requests", "{request}/s", Kind.COUNTER, "requests_per_second_total"),
        Arguments.of("net.bytes", "By/s", Kind.GAUGE, "net_bytes_per_second"),
        Arguments.of("1xx.errors", "", Kind.GAUGE, "_1xx_errors"),
        Arguments.of("foo_total", "", Kind.COUNTER, "foo_total"),
        Arguments.of("latency_seconds", "s", Kind.OTHER, "latency_seconds"),
        Arguments.of("queue", "{items}", Kind.GAUGE, "queue"));
  }

  @ParameterizedTest
  @MethodSource("names")
  void metricNamesFollowThePrometheusTranslator(String name, String unit, Kind kind,
      String expected) {
    assertThat(OtlpNaming.metricName(name, unit, kind)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("labels")
  void labelNamesAreSanitised(String key, String expected) {
    assertThat(OtlpNaming.labelName(key)).isEqualTo(expected);
  }

  static Stream<Arguments> labels() {
    return Stream.of(Arguments.of("k8s.pod.name", "k8s_pod_name"),
        Arguments.of("0abc", "key_0abc"), Arguments.of("_x", "key_x"),
        Arguments.of("__x", "__x"), Arguments.of("http-method", "http_method"));
  }
}
