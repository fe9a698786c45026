package dev.vigil.tsdb.block;

import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.Encoding;
import dev.vigil.tsdb.chunkenc.InflaterPool;
import dev.vigil.tsdb.chunks.ChunkSegmentReader;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.head.DeletedIntervalsIterator;
import dev.vigil.tsdb.index.IndexReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * An open, immutable block. Opening checks {@code meta.json}, that the index and every chunk
 * segment have exactly the recorded lengths, and the index's checksums; chunk CRCs are checked
 * as chunks are read. Thread-safe. Reference-counted: the opener holds one reference, each
 * querier user takes one with {@link #tryAcquire()}; the files are unmapped when the last is
 * released, so a block can be dropped (compaction, retention) under running queries.
 */
public final class Block implements Queryable, AutoCloseable {
  private final Path dir;
  private final BlockMeta meta;
  private final IndexReader index;
  private final ChunkSegmentReader chunks;
  private final InflaterPool inflaters = new InflaterPool(4);
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile Map<Integer, long[]> tombstones;

  private Block(Path dir, BlockMeta meta, IndexReader index, ChunkSegmentReader chunks) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = Tombstones.read(dir);
  }

  /**
   * Opens the block in {@code dir}.
   *
   * @throws CorruptDataException when a file is missing, has the wrong length or fails a check
   */
  public static Block open(Path dir) {
    Path metaFile = dir.resolve(BlockFormat.META);
    BlockMeta meta;
    try {
      meta = BlockMeta.fromJson(metaFile.toString(), Files.readString(metaFile, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new CorruptDataException(metaFile.toString(), 0, "block has no meta.json", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + metaFile, e);
    }
    Path indexFile = dir.resolve(BlockFormat.INDEX);
    try {
      long size = Files.size(indexFile);
      if (size != meta.indexLength()) {
        throw new CorruptDataException(indexFile.toString(), size, "index is " + size
            + " bytes, meta.json says " + meta.indexLength());
      }
    } catch (NoSuchFileException e) {
      throw new CorruptDataException(indexFile.toString(), 0, "block has no index", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + indexFile, e);
    }
    Tombstones.read(dir); // fail here, before mapping anything, if the file is damaged
    IndexReader index = IndexReader.open(indexFile);
    ChunkSegmentReader chunks;
    try {
      chunks = new ChunkSegmentReader(dir.resolve(BlockFormat.CHUNKS), meta.chunkSegmentLengths());
    } catch (UncheckedIOException e) {
      index.close();
      if (e.getCause() instanceof NoSuchFileException nsf) {
        throw new CorruptDataException(nsf.getFile(), 0, "chunk segment missing", e);
      }
      throw e;
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    return new Block(dir, meta, index, chunks);
  }

  public BlockMeta meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  IndexReader index() {
    return index;
  }

  ChunkSegmentReader chunks() {
    return chunks;
  }

  /** Inflaters lent to iterators opening packed chunks of this block. */
  InflaterPool inflaters() {
    return inflaters;
  }

  /**
   * Reads every chunk of every series and sums chunks, samples and bytes per encoding, in
   * {@link Encoding} order. For {@code vigil tsdb analyze}; reads the whole block.
   */
  public List<EncodingUsage> encodingUsage() {
    Encoding[] all = Encoding.values();
    long[] chunkCount = new long[all.length];
    long[] samples = new long[all.length];
    long[] bytes = new long[all.length];
    PeekableIntIterator ids = index.all().getIntIterator();
    while (ids.hasNext()) {
      for (long ref : index.series(ids.next()).refs()) {
        Chunk c = chunks.read(ref);
        int e = c.encoding().ordinal();
        int len = c.byteLength();
        chunkCount[e]++;
        samples[e] += c.numSamples();
        bytes[e] += uvarintLength(len) + 1 + len + 4;
      }
    }
    List<EncodingUsage> usage = new ArrayList<>();
    for (int e = 0; e < all.length; e++) {
      if (chunkCount[e] > 0) {
        usage.add(new EncodingUsage(all[e], chunkCount[e], samples[e], bytes[e]));
      }
    }
    return usage;
  }

  private static int uvarintLength(int v) {
    return Math.max(1, (32 - Integer.numberOfLeadingZeros(v) + 6) / 7);
  }

  /** Reads and checks every chunk; returns how many. For {@code vigil tsdb check}. */
  public long verify() {
    return chunks.verifyAll();
  }

  @Override
  public Querier querier(long minT, long maxT) {
    return new BlockQuerier(this, minT, maxT);
  }

  /** Whether some series has deleted intervals (compaction rewrites such blocks). */
  public boolean hasTombstones() {
    return !tombstones.isEmpty();
  }

  /** Deleted intervals of series {@code id} ([min0, max0, ...]), or null. */
  long[] deleted(int id) {
    return tombstones.get(id);
  }

  /**
   * Deletes samples in {@code [minT, maxT]} of the series matching {@code matchers} by adding
   * tombstones (durable when this returns); compaction drops the samples for good. Returns the
   * number of series affected.
   */
  public synchronized int delete(long minT, long maxT, List<Matcher> matchers) {
    if (maxT < meta.minTime() || minT >= meta.maxTime()) {
      return 0;
    }
    RoaringBitmap ids = index.select(matchers);
    if (ids.isEmpty()) {
      return 0;
    }
    Map<Integer, long[]> next = new HashMap<>(tombstones);
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      int id = it.next();
      long[] cur = next.get(id);
      next.put(id, DeletedIntervalsIterator.add(cur == null ? new long[0] : cur, minT, maxT));
    }
    Tombstones.write(dir, next);
    tombstones = Map.copyOf(next);
    return ids.getCardinality();
  }

  /** Takes a reference for a reader; false when the block is already released for good. */
  public boolean tryAcquire() {
    while (true) {
      int r = refs.get();
      if (r <= 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one unmaps the files. */
  public void release() {
    int r = refs.decrementAndGet();
    if (r == 0) {
      chunks.close();
      index.close();
      inflaters.close();
    } else if (r < 0) {
      throw new IllegalStateException("block " + dir + " released more often than acquired");
    }
  }

  /** Releases the opener's reference. */
  @Override
  public void close() {
    release();
  }
}
