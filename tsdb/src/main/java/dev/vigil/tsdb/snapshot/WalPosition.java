package dev.vigil.tsdb.snapshot;

import dev.vigil.tsdb.wal.WalFormat;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a WAL ends: its newest segment and that segment's length. A snapshot stands for the WAL
 * as it was when written; any later write (a new segment, or more bytes) makes it stale.
 *
 * @param lastSegment the newest segment's index, -1 when there is none
 * @param lastSegmentBytes its length in bytes
 */
public record WalPosition(int lastSegment, long lastSegmentBytes) {
  /** The position of the WAL in {@code walDir} now. */
  public static WalPosition of(Path walDir) throws IOException {
    int last = -1;
    for (int idx : WalReader.segments(walDir)) {
      last = Math.max(last, idx);
    }
    return last < 0 ? new WalPosition(-1, 0) : atEndOf(walDir, last);
  }

  /** The end of segment {@code segment} of the WAL in {@code walDir}, as it is now. */
  public static WalPosition atEndOf(Path walDir, int segment) throws IOException {
    return new WalPosition(segment, Files.size(walDir.resolve(WalFormat.segmentName(segment))));
  }
}
