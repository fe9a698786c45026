package dev.vigil.mixin.render;

import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's C++ {@code jsonnet} (the reference implementation) for differential tests. */
final class CppJsonnet {
  private CppJsonnet() {}

  static Path binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "jsonnet");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return fail("the C++ `jsonnet` binary is not on PATH; the differential tests need it "
        + "(CI installs it in .ci/run; locally: apt-get install -y jsonnet)");
  }

  /** Runs {@code jsonnet ARGS...} in {@code dir} and returns stdout; fails the test on errors. */
  static String run(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return fail("jsonnet " + String.join(" ", args) + " failed: " + err);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
