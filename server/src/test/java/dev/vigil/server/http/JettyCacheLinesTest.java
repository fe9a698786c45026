package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class JettyCacheLinesTest {
  @Test
  void referencesPerLineFollowTheReferenceSizeAndTheLineSize() {
    assertThat(JettyCacheLines.referencesPerLine("Zero based", null)).isEqualTo(16);
    assertThat(JettyCacheLines.referencesPerLine(null, null)).as("uncompressed").isEqualTo(8);
    assertThat(JettyCacheLines.referencesPerLine("Zero based", "128")).isEqualTo(32);
    assertThat(JettyCacheLines.referencesPerLine(null, " 128 ")).isEqualTo(16);
    assertThat(JettyCacheLines.referencesPerLine("Zero based", "x")).as("unreadable").isEqualTo(16);
    assertThat(JettyCacheLines.referencesPerLine("Zero based", "-64")).isEqualTo(16);
    assertThat(JettyCacheLines.referencesPerLine(null, "4")).as("at least one").isEqualTo(1);
  }

  /** The property HotSpot sets says what its diagnostic MBean says (what Jetty asks it). */
  @Test
  void theJvmPropertyAgreesWithTheJvmsOwnFlag() {
    boolean compressed = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(
        com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseCompressedOops")
        .getValue());
    assertThat(System.getProperty(JettyCacheLines.COMPRESSED_OOPS_MODE) != null)
        .isEqualTo(compressed);
  }
}
