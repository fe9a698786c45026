package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM options {@code .mvn/scripts/java-opts.sh} gives each command (what {@code ./vigil} and
 * the benchmark scripts start Java with): the server's young generation floor only where the
 * memory allows it, and a JVM that takes the server's options as a whole.
 */
class ServerJavaOptionsTest {
  private static final Path SCRIPT = Path.of("../.mvn/scripts/java-opts.sh").toAbsolutePath();

  /** The options for {@code command}, with the memory reported as {@code memoryKb} (null: real). */
  private static List<String> options(String command, Long memoryKb)
      throws IOException, InterruptedException {
    String memory = memoryKb == null ? "" : "vigil_memory_kb() { echo " + memoryKb + "; }; ";
    Process p = new ProcessBuilder("bash", "-c",
        ". \"$0\"; " + memory + "vigil_java_opts \"$1\"", SCRIPT.toString(), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void theServerGetsAYoungGenerationFloorWithFourGigabytesOrMore() throws Exception {
    long eightGb = 8L * 1024 * 1024;
    assertThat(options("server", eightGb)).contains("-XX:NewSize=128m");
    assertThat(options("agent", eightGb)).noneMatch(o -> o.startsWith("-XX:NewSize"));
    assertThat(options("tsdb", eightGb)).noneMatch(o -> o.startsWith("-XX:NewSize"));
  }

  @Test
  void aSmallMachineKeepsTheDefaultYoungGeneration() throws Exception {
    assertThat(options("server", 2L * 1024 * 1024)).noneMatch(o -> o.startsWith("-XX:NewSize"));
  }

  @Test
  void theMemoryIsRead() throws Exception {
    Process p = new ProcessBuilder("bash", "-c", ". \"$0\"; vigil_memory_kb", SCRIPT.toString())
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).isZero();
    assertThat(Long.parseLong(out)).isPositive();
  }

  @Test
  void theJvmTakesTheServersOptions() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElseThrow());
    cmd.addAll(options("server", null));
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).doesNotContain("warning").doesNotContain("Unrecognized");
  }
}
