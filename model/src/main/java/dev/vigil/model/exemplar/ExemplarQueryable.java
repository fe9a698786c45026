package dev.vigil.model.exemplar;

import dev.vigil.model.labels.Matcher;
import java.util.List;

/**
 * Something exemplars can be read from, as {@code /api/v1/query_exemplars} needs: the series
 * matching any one of the matcher sets (each set is ANDed, the sets are ORed, as Prometheus's
 * {@code ExemplarQuerier.Select}), with their exemplars in {@code [minT, maxT]}.
 */
public interface ExemplarQueryable {
  List<ExemplarSeries> selectExemplars(long minT, long maxT, List<List<Matcher>> matcherSets);
}
