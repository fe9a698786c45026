package dev.vigil.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner must catch every kind of mismatch, or the conformance counts mean nothing. */
class PromqlTestRunnerTest {
  private static final String LOAD = """
      load 1m
        metric{job="a"} 1+1x10
        metric{job="b"} 10+10x10

      """;

  private static CaseResult runOne(String eval) {
    FileResult r = PromqlTestRunner.withTestDefaults().run("t.test", LOAD + eval);
    assertThat(r.cases()).hasSize(1);
    return r.cases().getFirst();
  }

  @Test
  void correctExpectationsPass() {
    assertThat(runOne("""
        eval instant at 5m metric
          metric{job="a"} 6
          metric{job="b"} 60
        """).passed()).isTrue();
    assertThat(runOne("""
        eval range from 0 to 2m step 1m sum(metric)
          {} 11 22 33
        """).passed()).isTrue();
    assertThat(runOne("""
        eval instant at 0m 1 + 1
          2
        """).passed()).isTrue();
  }

  @Test
  void wrongValueFails() {
    CaseResult c = runOne("""
        eval instant at 5m metric
          metric{job="a"} 7
          metric{job="b"} 60
        """);
    assertThat(c.passed()).isFalse();
    assertThat(c.message()).contains("expected 7").contains("but got 6");
  }

  @Test
  void missingAndExtraSeriesFail() {
    assertThat(runOne("""
        eval instant at 5m metric
          metric{job="a"} 6
        """).message()).contains("unexpected metric");
    assertThat(runOne("""
        eval instant at 5m metric
          metric{job="a"} 6
          metric{job="b"} 60
          metric{job="c"} 1
        """).message()).contains("not found");
  }

  @Test
  void rangeResultsCheckEveryPoint() {
    CaseResult c = runOne("""
        eval range from 0 to 2m step 1m sum(metric)
          {} 11 22 34
        """);
    assertThat(c.passed()).isFalse();
    assertThat(c.message()).contains("index 2");
  }

  @Test
  void expectFailNeedsAnError() {
    assertThat(runOne("""
        eval instant at 5m metric
          expect fail
          metric{job="a"} 6
          metric{job="b"} 60
        """).message()).contains("expected error");
  }

  @Test
  void orderIsCheckedWhenAsked() {
    assertThat(runOne("""
        eval instant at 5m sort_desc(metric)
          expect ordered
          metric{job="b"} 60
          metric{job="a"} 6
        """).passed()).isTrue();
    assertThat(runOne("""
        eval instant at 5m sort_desc(metric)
          expect ordered
          metric{job="a"} 6
          metric{job="b"} 60
        """).message()).contains("position");
  }

  @Test
  void unexpectedWarningsFailWhenNoWarnIsExpected() {
    CaseResult c = runOne("""
        eval instant at 5m rate(metric{job="a"}[5m])
          expect warn
          {job="a"} 0.016666666666666666
        """);
    assertThat(c.passed()).isFalse();
  }

  @Test
  void aScriptThatCannotBeReadCountsEveryEvalAsFailed() {
    FileResult r = PromqlTestRunner.withTestDefaults().run("bad.test", """
        nonsense command
        eval instant at 0 1
          1
        eval instant at 0 2
          2
        """);
    assertThat(r.cases()).hasSize(2).allMatch(c -> !c.passed());
    assertThat(r.scriptError()).contains("invalid command");
  }

  /**
   * Changes the first finite expected float of every eval of a real suite file: every changed
   * case must then fail, so a passing case really compared its values.
   */
  @Test
  void everyMutatedExpectationOfARealScriptFails() throws java.io.IOException {
    java.nio.file.Path file = PromqlConformanceTest.conformanceDir().resolve("operators.test");
    String[] lines = java.nio.file.Files.readString(file).split("\n", -1);
    java.util.Set<Integer> mutatedEvals = new java.util.HashSet<>();
    boolean inEval = false;
    boolean mutated = false;
    int evalLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith("eval")) {
        inEval = true;
        mutated = false;
        evalLine = i + 1;
        continue;
      }
      if (l.isEmpty()) {
        inEval = false;
      }
      if (!inEval || mutated || l.startsWith("expect") || l.startsWith("#") || l.isEmpty()) {
        continue;
      }
      int sp = l.lastIndexOf(' ');
      try {
        double v = Double.parseDouble(l.substring(sp + 1));
        if (Double.isFinite(v)) {
          lines[i] = l.substring(0, sp + 1) + (v * 1.5 + 1.25);
          mutated = true;
          mutatedEvals.add(evalLine);
        }
      } catch (NumberFormatException e) {
        // not a plain float (a histogram, a series without value): leave it
      }
    }
    FileResult r = PromqlTestRunner.withTestDefaults().run("mutated", String.join("\n", lines));
    assertThat(mutatedEvals).hasSizeGreaterThan(50);
    for (CaseResult c : r.cases()) {
      if (mutatedEvals.contains(c.line())) {
        assertThat(c.passed()).as("mutated case at line %d: %s", c.line(), c.expr()).isFalse();
      }
    }
  }

  @Test
  void expandingNotation() {
    SeriesDescription sd = SeriesDescriptionParser.parse("m{a=\"b\"} -2+4x3 1x2 _x2 stale 1-2x1", 1);
    List<SequenceValue> v = sd.values();
    assertThat(v).hasSize(4 + 3 + 2 + 1 + 2);
    assertThat(v.subList(0, 4)).extracting(SequenceValue::value).containsExactly(-2.0, 2.0, 6.0, 10.0);
    assertThat(v.get(7).omitted()).isTrue();
    assertThat(v.get(8).omitted()).isTrue();
    assertThat(dev.vigil.model.storage.StaleNaN.is(v.get(9).value())).isTrue();
    assertThat(v.get(11).value()).isEqualTo(-1.0);
  }
}
