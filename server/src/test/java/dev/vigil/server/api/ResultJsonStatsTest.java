package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.value.Scalar;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultJsonStatsTest {
  @Test
  void statsSplitPreparationFromEvaluationAndReportSamples() {
    QueryOutcome out = new QueryOutcome(new Scalar(1000, 2), List.of(), List.of(), 1234, 56,
        3_000_000L, 500_000L);
    JsonWriter w = new JsonWriter();
    ResultJson.writeData(w, out, true);
    assertThat(w.toString()).isEqualTo("{\"resultType\":\"scalar\",\"result\":[1,\"2\"],"
        + "\"stats\":{\"timings\":{\"evalTotalTime\":0.0035,\"resultSortTime\":0,"
        + "\"queryPreparationTime\":5.0E-4,\"innerEvalTime\":0.003,\"execQueueTime\":0,"
        + "\"execTotalTime\":0.0035},\"samples\":{\"totalQueryableSamples\":1234,"
        + "\"peakSamples\":56}}}");
  }

  @Test
  void noStatsUnlessAsked() {
    JsonWriter w = new JsonWriter();
    ResultJson.writeData(w, new QueryOutcome(new Scalar(1000, 2), List.of(), List.of(), 1, 1, 1,
        1), false);
    assertThat(w.toString()).isEqualTo("{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}");
  }
}
