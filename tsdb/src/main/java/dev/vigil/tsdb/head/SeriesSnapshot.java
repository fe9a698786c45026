package dev.vigil.tsdb.head;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.tsdb.chunkenc.XorAppender.XorState;
import java.util.List;

/**
 * Everything the head holds of one series except its closed chunks, which stay in the head
 * chunk files and are only identified here (how many, and the newest one's max time): what a
 * head snapshot saves at shutdown and restores at the next start instead of replaying the WAL.
 *
 * @param id the series id (its ref in the WAL and the head chunk files)
 * @param labels the series labels
 * @param aliases other refs the series was logged under (see {@link Head#replaySeries}), or empty
 * @param minT oldest in-order timestamp ({@code Long.MAX_VALUE} when none)
 * @param maxT newest in-order timestamp ({@code Long.MIN_VALUE} when none)
 * @param closedChunks closed chunks the series keeps in the head chunk files
 * @param closedMaxT max time of the newest of them ({@code Long.MIN_VALUE} when none)
 * @param openFloats the open float chunk's encoder state, or null
 * @param openHistogram the open histogram chunk's bytes, or null (at most one of the two is set)
 * @param oooT out-of-order sample timestamps, ascending
 * @param oooV their float values
 * @param oooH their histograms ({@code oooH[i]} non-null for a histogram sample), or null when all
 *     are floats
 * @param deleted tombstones {@code [min0, max0, ...]}, or null
 * @param metadata the latest metadata, or null
 * @param exemplars the series' exemplars, oldest first
 */
public record SeriesSnapshot(int id, Labels labels, int[] aliases, long minT, long maxT,
    int closedChunks, long closedMaxT, XorState openFloats, byte[] openHistogram, long[] oooT,
    double[] oooV, FloatHistogram[] oooH, long[] deleted, Metadata metadata,
    List<Exemplar> exemplars) {
  public SeriesSnapshot {
    if (openFloats != null && openHistogram != null) {
      throw new IllegalArgumentException("series " + id + ": two open chunks");
    }
    if (oooT.length != oooV.length || (oooH != null && oooH.length != oooT.length)) {
      throw new IllegalArgumentException("series " + id + ": out-of-order arrays of "
          + oooT.length + " timestamps and " + oooV.length + " values");
    }
  }
}
