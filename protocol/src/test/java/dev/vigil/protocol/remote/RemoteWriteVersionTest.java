package dev.vigil.protocol.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemoteWriteVersionTest {
  @Test
  void contentTypesSelectTheVersion() {
    assertThat(RemoteWriteVersion.fromContentType(null)).isEqualTo(RemoteWriteVersion.V1);
    assertThat(RemoteWriteVersion.fromContentType("application/x-protobuf"))
        .isEqualTo(RemoteWriteVersion.V1);
    assertThat(RemoteWriteVersion.fromContentType("application/x-protobuf;proto=prometheus.WriteRequest"))
        .isEqualTo(RemoteWriteVersion.V1);
    assertThat(RemoteWriteVersion.fromContentType(
        "Application/X-Protobuf; proto=io.prometheus.write.v2.Request"))
        .isEqualTo(RemoteWriteVersion.V2);
    assertThat(RemoteWriteVersion.V2.contentType())
        .isEqualTo("application/x-protobuf;proto=io.prometheus.write.v2.Request");
  }

  @Test
  void unknownMediaTypesAndProtosAreRefusedWithTheExpectedValues() {
    assertThatThrownBy(() -> RemoteWriteVersion.fromContentType("application/json"))
        .hasMessageStartingWith("unsupported Content-Type \"application/json\"");
    assertThatThrownBy(() -> RemoteWriteVersion.fromContentType("application/x-protobuf;proto=x.Y"))
        .hasMessage("unsupported proto \"x.Y\" in Content-Type: expected prometheus.WriteRequest "
            + "or io.prometheus.write.v2.Request");
  }
}
