package dev.vigil.tsdb.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Directories on disk: whole trees (blocks, checkpoints and half-written leftovers of either)
 * deleted, and what a directory holds made durable.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything below it, children first; a missing tree is no error. */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(all.get(i));
    }
  }

  /**
   * Makes the entries created, renamed or deleted in {@code dir} durable; a no-op where a
   * directory cannot be opened for syncing (the files themselves are synced on their own).
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not supported on every OS or file system.
    }
  }

  /** Syncs every regular file directly in {@code dir} (none when it does not exist). */
  public static void syncFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
          }
        }
      }
    }
  }
}
