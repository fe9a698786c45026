package dev.vigil.tsdb.wal;

import dev.vigil.tsdb.fs.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Makes a damaged WAL appendable again without deleting anything: the bytes from the damage to
 * the end of its segment are copied to {@code quarantine/<segment>.tail-<offset>} before the
 * segment is truncated there, and every later segment is moved to {@code quarantine/} whole.
 * What stays in the WAL is exactly what replay delivered.
 */
public final class WalRepair {
  private static final System.Logger LOG = System.getLogger(WalRepair.class.getName());

  private WalRepair() {}

  public static void repair(Path dir, WalReader.Corruption c, int[] segments) {
    try {
      Path q = dir.resolve(WalFormat.QUARANTINE_DIR);
      Files.createDirectories(q);
      Path file = c.file();
      long size = Files.size(file);
      if (c.offset() == 0) {
        Files.move(file, q.resolve(file.getFileName() + ".segment"),
            StandardCopyOption.REPLACE_EXISTING);
      } else {
        Path tail = q.resolve(file.getFileName() + ".tail-" + c.offset());
        try (InputStream in = Files.newInputStream(file)) {
          in.skipNBytes(c.offset());
          Files.copy(in, tail, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(c.offset());
          ch.force(true);
        }
      }
      int moved = 0;
      for (int idx : segments) {
        if (idx > c.segment()) {
          Path later = dir.resolve(WalFormat.segmentName(idx));
          Files.move(later, q.resolve(later.getFileName() + ".segment"),
              StandardCopyOption.REPLACE_EXISTING);
          moved++;
        }
      }
      FileTrees.syncDirectory(dir);
      LOG.log(System.Logger.Level.WARNING, "WAL " + dir + " damaged in segment " + c.segment()
          + " at offset " + c.offset() + " (" + c.reason() + "): kept everything before it, moved "
          + (size - c.offset()) + " bytes and " + moved + " later segment(s) to " + q);
    } catch (IOException e) {
      throw new UncheckedIOException("repairing WAL " + dir + " at " + c, e);
    }
  }
}
