package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotTrainingCommandTest {
  @TempDir Path tmp;

  @Test
  void everySampleWrittenAcrossTheCrashesAndRestartsIsReadBack() throws Exception {
    int series = 600;
    long kubelet = (series + 2) / 3; // every third series has job="kubelet"
    long scrapes = AotTrainingCommand.BEFORE_SNAPSHOT + AotTrainingCommand.AFTER_SNAPSHOT
        + AotTrainingCommand.AFTER_RESTART;

    long read = AotTrainingCommand.run(tmp.resolve("scratch"), series);

    assertThat(read).isEqualTo(kubelet * scrapes);
  }

  @Test
  void theCommandDeletesItsScratchDirectoryAndIsHiddenFromTheHelp() {
    Path scratch = tmp.resolve("scratch");

    CliRun r = CliRun.of("aot-training", "--series", "300", scratch.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(0);
    assertThat(Files.exists(scratch)).isFalse();
    assertThat(CliRun.of("--help").out()).doesNotContain("aot-training");
  }

  @Test
  void aDirectoryThatHoldsAnythingIsRefusedAndKept() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path file = Files.writeString(data.resolve("keep.txt"), "user data");
    Path notADirectory = Files.writeString(tmp.resolve("file"), "x");

    CliRun r = CliRun.of("aot-training", "--series", "10", data.toString());
    CliRun onFile = CliRun.of("aot-training", "--series", "10", notADirectory.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("not an empty directory");
    assertThat(file).hasContent("user data");
    assertThat(onFile.code()).isEqualTo(2);
    assertThat(notADirectory).hasContent("x");
  }
}
