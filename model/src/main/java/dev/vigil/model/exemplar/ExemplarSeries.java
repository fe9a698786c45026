package dev.vigil.model.exemplar;

import dev.vigil.model.labels.Labels;
import java.util.List;
import java.util.Objects;

/** The exemplars of one series in a queried time range, oldest first. */
public record ExemplarSeries(Labels seriesLabels, List<Exemplar> exemplars) {
  public ExemplarSeries {
    Objects.requireNonNull(seriesLabels, "seriesLabels");
    exemplars = List.copyOf(exemplars);
  }
}
