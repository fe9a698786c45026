package dev.vigil.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TenantResolverTest {
  private final TenantResolver on = new TenantResolver(true, "anonymous");

  @Test
  void multitenancyRequiresTheHeader() {
    assertThatThrownBy(() -> on.readTenants(null)).isInstanceOf(TenantException.class)
        .hasMessage("no org id").extracting(e -> ((TenantException) e).status()).isEqualTo(401);
  }

  @Test
  void federatedIdsAreSortedAndDeduplicatedButWritesNeedOne() throws Exception {
    assertThat(on.readTenants("b|a|b")).containsExactly("a", "b");
    assertThat(on.writeTenant("team-1")).isEqualTo("team-1");
    assertThatThrownBy(() -> on.writeTenant("a|b")).hasMessageStartingWith("multiple org IDs");
  }

  @Test
  void badIdsAreRefusedWithDskitMessages() {
    assertThatThrownBy(() -> on.readTenants("a/b"))
        .hasMessage("tenant ID 'a/b' contains unsupported character '/'");
    assertThatThrownBy(() -> on.readTenants(".."))
        .hasMessage("tenant ID is '.' or '..'");
    assertThatThrownBy(() -> on.readTenants("x".repeat(151)))
        .hasMessage("tenant ID is too long: max 150 characters");
    assertThatThrownBy(() -> on.readTenants("a||b")).hasMessage("tenant ID is empty");
  }

  @Test
  void withoutMultitenancyEveryRequestIsAnonymous() throws Exception {
    TenantResolver off = new TenantResolver(false, "anonymous");
    assertThat(off.readTenants(null)).containsExactly("anonymous");
    assertThat(off.writeTenant("ignored")).isEqualTo("anonymous");
  }
}
