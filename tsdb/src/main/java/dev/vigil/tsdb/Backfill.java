package dev.vigil.tsdb;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.BlockWriter;
import dev.vigil.tsdb.block.ChunkPolicy;
import dev.vigil.tsdb.block.Ulid;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes historical samples straight into blocks of a database, as {@code promtool tsdb
 * create-blocks-from} does: one block per window of {@code blockDuration} aligned to the epoch,
 * each built in memory from one pass over the source, so memory holds one window at a time.
 *
 * <p>The samples must be older than everything in the head: the database takes the newest block
 * end as the point before which the head accepts nothing and has nothing left to cut, so a block
 * reaching into the head's range would hide head samples from the next cut. The last block
 * therefore ends right after the newest sample rather than at its window's end.
 */
public final class Backfill {
  private Backfill() {}

  /** Feeds every sample to the sink; called once per block window. */
  @FunctionalInterface
  public interface Source {
    void read(Sink sink);
  }

  @FunctionalInterface
  public interface Sink {
    void accept(Labels labels, long t, double v);
  }

  /**
   * Feeds the samples of the window {@code [start, end)} to the sink; called once per block
   * window, in time order (a source that computes its samples, such as recording rules, computes
   * each window once).
   */
  @FunctionalInterface
  public interface WindowSource {
    void read(long start, long end, WindowSink sink);
  }

  /** Takes one window's samples, floats and native histograms; others are dropped. */
  public interface WindowSink extends Sink {
    void acceptHistogram(Labels labels, long t, FloatHistogram h);
  }

  /** The blocks written and how many samples they hold. */
  public record Result(List<BlockMeta> blocks, long samples) {}

  /**
   * Writes the source's samples of {@code [minT, maxT]} into new blocks of {@code db}, in its
   * block chunk encoding. The database must stay open (it holds the directory's lock) until
   * this returns; it serves the new blocks after {@link Tsdb#loadNewBlocks} or a reopen.
   *
   * @throws StorageException when the samples reach into the head's time range
   */
  public static Result run(Tsdb db, Source source, long minT, long maxT, long blockDurationMs) {
    return run(db, windows(source), minT, maxT, blockDurationMs);
  }

  /** As {@link #run(Tsdb, Source, long, long, long)}, reading one window at a time. */
  public static Result run(Tsdb db, WindowSource source, long minT, long maxT,
      long blockDurationMs) {
    return run(db.dir(), db.head().minTime(), db.options().blockChunks(), source, minT, maxT,
        blockDurationMs);
  }

  /** Every window reads the whole source; the sink keeps the window's samples. */
  private static WindowSource windows(Source source) {
    return (start, end, sink) -> source.read(sink);
  }

  /**
   * As {@link #run(Tsdb, Source, long, long, long)}, beside a server that has the database open:
   * the head's start comes from a {@link ReadOnlyTsdb} view, the blocks go into {@code dir}'s
   * {@code blocks/} (each written to a {@code .tmp} directory, then renamed), and the server
   * takes them up at its next {@link Tsdb#loadNewBlocks}, which checks the head again.
   */
  public static Result runBeside(Path dir, TsdbOptions options, Source source, long minT,
      long maxT, long blockDurationMs) {
    try (ReadOnlyTsdb view = ReadOnlyTsdb.open(dir, options)) {
      return runBeside(view, options, windows(source), minT, maxT, blockDurationMs);
    }
  }

  /**
   * As {@link #runBeside(Path, TsdbOptions, Source, long, long, long)}, a window at a time, with
   * a view the caller opened (and may read the new blocks through, after
   * {@link ReadOnlyTsdb#loadNewBlocks}).
   */
  public static Result runBeside(ReadOnlyTsdb view, TsdbOptions options, WindowSource source,
      long minT, long maxT, long blockDurationMs) {
    return run(view.dir(), view.head().minTime(), options.blockChunks(), source, minT, maxT,
        blockDurationMs);
  }

  private static Result run(Path dir, long headMin, ChunkPolicy chunks, WindowSource source,
      long minT, long maxT, long blockDurationMs) {
    if (blockDurationMs <= 0) {
      throw new IllegalArgumentException("block duration " + blockDurationMs + " ms must be > 0");
    }
    if (maxT < minT) {
      return new Result(List.of(), 0);
    }
    // headMin is Long.MAX_VALUE when the head is empty.
    if (headMin != Long.MAX_VALUE && maxT >= headMin) {
      throw new StorageException("samples up to " + Instant.ofEpochMilli(maxT)
          + " reach into the head of " + dir + ", which starts at "
          + Instant.ofEpochMilli(headMin) + "; backfill only data older than the head");
    }
    SplittableRandom ids = new SplittableRandom();
    List<BlockMeta> written = new ArrayList<>();
    long samples = 0;
    for (long start = Math.floorDiv(minT, blockDurationMs) * blockDurationMs; start <= maxT;
        start += blockDurationMs) {
      long windowStart = start;
      long end = Math.min(start + blockDurationMs, maxT + 1);
      InMemoryStorage window = new InMemoryStorage();
      Appender app = window.appender();
      long[] count = {0};
      source.read(windowStart, end, new WindowSink() {
        @Override
        public void accept(Labels labels, long t, double v) {
          if (t >= windowStart && t < end) {
            app.append(0, labels, t, v);
            count[0]++;
          }
        }

        @Override
        public void acceptHistogram(Labels labels, long t, FloatHistogram h) {
          if (t >= windowStart && t < end) {
            app.appendHistogram(0, labels, t, h);
            count[0]++;
          }
        }
      });
      app.commit();
      if (count[0] == 0) {
        continue;
      }
      try (Querier q = window.querier(windowStart, end - 1)) {
        written.add(BlockWriter.write(dir.resolve(Tsdb.BLOCKS),
            Ulid.generate(System.currentTimeMillis(), ids), q, windowStart, end, chunks, 1));
      }
      samples += count[0];
    }
    return new Result(written, samples);
  }
}
