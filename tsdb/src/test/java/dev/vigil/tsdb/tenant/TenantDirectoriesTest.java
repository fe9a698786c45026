package dev.vigil.tsdb.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TenantDirectoriesTest {
  @Test
  void rejectsTenantIdsThatCouldEscapeTheDataDirectory() {
    String[][] cases = {
        {"", "tenant ID is empty"},
        {".", "tenant ID is '.' or '..'"},
        {"..", "tenant ID is '.' or '..'"},
        {"a/b", "contains unsupported character '/'"},
        {"../x", "contains unsupported character '/'"},
        {"a\\b", "contains unsupported character '\\'"},
        {"é", "contains unsupported character 'é'"},
        {"x".repeat(151), "tenant ID is too long: max 150 characters"},
    };
    for (String[] c : cases) {
      assertThat(TenantDirectories.problem(c[0])).as(c[0]).contains(c[1]);
      assertThatThrownBy(() -> TenantDirectories.tenantDir(Path.of("/data"), c[0])).as(c[0])
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
    }
  }

  @Test
  void validIdsAreOneSegmentUnderTheTenantsDirectory() {
    for (String ok : new String[] {"Team.A-1_(prod)*!'", "x".repeat(150), "...", "a..b"}) {
      assertThat(TenantDirectories.problem(ok)).as(ok).isNull();
      Path dir = TenantDirectories.tenantDir(Path.of("/data"), ok);
      assertThat(dir.getParent()).isEqualTo(Path.of("/data", "tenants"));
      assertThat(dir.getFileName().toString()).isEqualTo(ok);
    }
  }
}
