package dev.vigil.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.value.Sample;
import dev.vigil.promql.value.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start timestamps through the engine, with the option on and off. */
class StartTimestampsTest {
  private static final Labels X = Labels.of("__name__", "x_total");

  /** Delta-style samples: each one counts 60 since the previous one (ST = previous T). */
  private static InMemoryStorage deltas() {
    InMemoryStorage s = new InMemoryStorage();
    Appender a = s.appender();
    for (long t = 120_000; t <= 600_000; t += 60_000) {
      a.appendWithStart(0, X, t - 60_000, t, 60);
    }
    a.commit();
    return s;
  }

  private static List<Sample> instant(EngineOptions o, InMemoryStorage s, String q, long t) {
    return ((Vector) new Engine(o).instantQuery(s, Parser.parseExpr(q), t).value()).samples();
  }

  @Test
  void increaseOfDeltasCountsEverySampleAsAReset() {
    List<Sample> r = instant(EngineOptions.forTests(), deltas(), "increase(x_total[5m])", 600_000);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).f()).isCloseTo(300, within(1e-9));
  }

  @Test
  void startTimestampsOffIgnoresThem() {
    EngineOptions off = EngineOptions.forTests().withUseStartTimestamps(false);
    List<Sample> r = instant(off, deltas(), "increase(x_total[5m])", 600_000);
    assertThat(r.get(0).f()).isZero();
    assertThat(instant(off, deltas(), "start_timestamp(x_total)", 600_000)).isEmpty();
  }

  @Test
  void startTimestampReturnsSecondsOfTheSelectedSample() {
    List<Sample> r = instant(EngineOptions.forTests(), deltas(), "start_timestamp(x_total)",
        630_000);
    assertThat(r).containsExactly(Sample.ofFloat(Labels.EMPTY, 630_000, 540));
    assertThat(instant(EngineOptions.forTests(), deltas(), "start_timestamp(x_total * 1)",
        630_000)).isEmpty();
  }

  @Test
  void serverDefaultsLeaveStartTimestampsOff() {
    assertThat(EngineOptions.defaults().useStartTimestamps()).isFalse();
    assertThat(EngineOptions.forTests().useStartTimestamps()).isTrue();
  }
}
