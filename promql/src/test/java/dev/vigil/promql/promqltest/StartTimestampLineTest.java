package dev.vigil.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartTimestampLineTest {
  private static String render(List<SequenceValue> offsets) {
    List<String> out = new ArrayList<>();
    for (SequenceValue v : offsets) {
      out.add(v.omitted() ? "_" : Long.toString((long) v.value()));
    }
    return String.join(" ", out);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "_ _ -30s-1mx2; _ _ -30000 -90000 -150000",
      "_x2 1ms; _ _ 1",
      "-1mx2; -60000 -60000 -60000",
      "0-1mx1 +1m; 0 -60000 60000",
      "-0msx1; 0 0",
      "1ms+1sx2; 1 1001 2001"})
  void expandsOffsetItems(String items, String expected) {
    StartTimestampLine.Parsed p = StartTimestampLine.parse("m{a=\"b\"}@st " + items, 1);
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "m", "a", "b"));
    assertThat(render(p.offsets())).isEqualTo(expected);
  }

  @Test
  void loadAttachesOffsetsToTheFollowingSeries() {
    List<Command> cmds = TestScriptParser.parse(
        "load 1m\n  m@st _ -1m\n  m 1 2\n  n 3\n");
    Command.Load load = (Command.Load) cmds.get(0);
    SeriesDescription m = load.series().get(0);
    assertThat(m.startTimestamp(0, 0)).isZero();
    assertThat(m.startTimestamp(1, 60_000)).isZero();
    assertThat(load.series().get(1).startOffsets()).isEmpty();
    SeriesDescription withStart = TestScriptParser.parse("load 1m\n  m@st _ -30s\n  m 1 2\n")
        .stream().map(c -> ((Command.Load) c).series().get(0)).findFirst().orElseThrow();
    assertThat(withStart.startTimestamp(1, 60_000)).isEqualTo(30_000);
  }

  @Test
  void rejectsMismatchedLines() {
    assertThatThrownBy(() -> TestScriptParser.parse("load 1m\n  m@st _ _\n  n 1 2\n"))
        .hasMessageContaining("@st metric does not match the following sample line metric");
    assertThatThrownBy(() -> TestScriptParser.parse("load 1m\n  m@st _\n  m 1 2\n"))
        .hasMessageContaining("@st line has 1 values but sample line has 2");
    assertThatThrownBy(() -> TestScriptParser.parse("load 1m\n  m@st _\n"))
        .hasMessageContaining("@st line has no following sample line");
  }
}
