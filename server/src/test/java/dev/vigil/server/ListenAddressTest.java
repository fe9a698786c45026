package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenAddressTest {
  @Test
  void parsesGoStyleListenAddresses() {
    assertThat(ListenAddress.parse(":9009")).isEqualTo(new ListenAddress("", 9009));
    assertThat(ListenAddress.parse("127.0.0.1:8080")).isEqualTo(new ListenAddress("127.0.0.1", 8080));
    assertThat(ListenAddress.parse("[::1]:0")).isEqualTo(new ListenAddress("::1", 0));
    assertThatThrownBy(() -> ListenAddress.parse("9009")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> ListenAddress.parse("::1:9009")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> ListenAddress.parse("host:99999")).hasMessageContaining("range");
  }
}
