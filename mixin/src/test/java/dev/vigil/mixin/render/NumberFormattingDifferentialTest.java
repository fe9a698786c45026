package dev.vigil.mixin.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Number formatting against the reference: every expression of
 * {@code number-formatting.jsonnet-cases} (string conversion of fractions, huge and tiny numbers
 * and -0, every {@code %} conversion with flags, width and precision, {@code std.format},
 * {@code std.mod}, the manifest functions, format errors) rendered through
 * {@code std.manifestJsonEx([EXPR], ' ')} by Vigil's embedded interpreter and by Debian's C++
 * {@code jsonnet}. sjsonnet 0.4.9 alone gets about a third of them wrong.
 */
class NumberFormattingDifferentialTest {
  record Outcome(String text, boolean error) {}

  static List<String> cases() throws IOException {
    try (InputStream in = NumberFormattingDifferentialTest.class.getResourceAsStream("number-formatting.jsonnet-cases")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
  }

  static String program(String expr) {
    return "std.manifestJsonEx([" + expr + "], ' ')";
  }

  static Outcome reference(Path dir, String expr) throws Exception {
    Process p = new ProcessBuilder(CppJsonnet.binary().toString(), "-S", "-e", program(expr)).directory(dir.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() != 0) {
      return new Outcome(err.lines().findFirst().orElse("").replaceFirst("^RUNTIME ERROR: ", ""), true);
    }
    String s = new String(out, StandardCharsets.UTF_8);
    return new Outcome(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s, false);
  }

  static Outcome vigil(JsonnetEngine engine, Path dir, String expr) {
    try {
      return new Outcome((String) engine.evaluate(program(expr), dir.resolve("case.jsonnet")), false);
    } catch (JsonnetException e) {
      return new Outcome(e.getMessage().lines().findFirst().orElse(""), true);
    }
  }

  @Test
  void everyCaseMatchesTheReferenceJsonnet(@TempDir Path dir) throws Exception {
    List<String> cases = cases();
    assertThat(cases).hasSizeGreaterThan(150);
    List<Future<Outcome>> want = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (String c : cases) {
        want.add(pool.submit(() -> reference(dir, c)));
      }
    }
    JsonnetEngine engine = new JsonnetEngine(List.of());
    List<String> mismatches = new ArrayList<>();
    int errors = 0;
    for (int i = 0; i < cases.size(); i++) {
      Outcome ref = want.get(i).get();
      Outcome got = vigil(engine, dir, cases.get(i));
      boolean same = ref.error() ? got.error() && got.text().contains(ref.text()) : got.equals(ref);
      errors += ref.error() ? 1 : 0;
      if (!same) {
        mismatches.add(cases.get(i) + "\n    jsonnet: " + ref + "\n    vigil:   " + got);
      }
    }
    assertThat(mismatches).as("cases rendered differently from jsonnet").isEmpty();
    // The table exercises the error paths too, not only the successes.
    assertThat(errors).isBetween(10, 20);
  }

  @Test
  void formatReadsOnlyTheFieldsItNames(@TempDir Path dir) {
    JsonnetEngine engine = new JsonnetEngine(List.of());
    assertThat(engine.evaluate("'%(a)s' % { a: 0.5, b: error 'not this one' }", dir.resolve("x.jsonnet"))).isEqualTo("0.5");
    assertThat(engine.evaluate("local f = '%(a)s'; f % { a: 0.1, b: error 'nor this' }", dir.resolve("x.jsonnet")))
        .isEqualTo("0.10000000000000001");
  }
}
