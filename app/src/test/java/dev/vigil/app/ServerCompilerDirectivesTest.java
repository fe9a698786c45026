package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives the launcher gives the server's JVM
 * ({@code .mvn/scripts/server-compiler-directives.json}): the JVM takes the file, and every
 * method it names exists, so that a rename cannot silently hand a method back to C2.
 */
class ServerCompilerDirectivesTest {
  private static final Path FILE = Path.of("../.mvn/scripts/server-compiler-directives.json");

  private static List<String> patterns() throws IOException {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"-?(dev/vigil/[^\"]+)\"").matcher(Files.readString(FILE));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyMethodNamedExists() throws Exception {
    List<String> patterns = patterns();
    assertThat(patterns).hasSizeGreaterThan(5);
    for (String p : patterns) {
      int dot = p.lastIndexOf('.');
      String className = p.substring(0, dot).replace('/', '.');
      String method = p.substring(dot + 1);
      Class<?> c = Class.forName(className, false, getClass().getClassLoader());
      assertThat(Arrays.stream(c.getDeclaredMethods()).map(Method::getName))
          .as("%s in %s", method, className).contains(method);
    }
  }

  @Test
  void appendsByLabelsKeepTheirCompiledLookup() throws IOException {
    assertThat(patterns()).noneMatch(p -> p.endsWith("SeriesLabelIndex.get")
        || p.endsWith("SeriesLabelIndex.*"));
  }

  @Test
  void theJvmTakesTheFile() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p = new ProcessBuilder(java, "-XX:+UnlockDiagnosticVMOptions",
        "-XX:CompilerDirectivesFile=" + FILE.toAbsolutePath(), "-version")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("2 compiler directives added");
  }
}
