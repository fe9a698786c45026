package dev.vigil.tsdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Directory copies for tests that open a database's files a second time (a crash, a fixture). */
public final class TestDirectories {
  private TestDirectories() {}

  /** Copies {@code src} and everything under it to {@code dst}, replacing files there. */
  public static Path copyTree(Path src, Path dst) throws IOException {
    List<Path> all;
    try (Stream<Path> w = Files.walk(src)) {
      all = w.toList();
    }
    for (Path p : all) {
      Path to = dst.resolve(src.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(to);
      } else {
        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dst;
  }
}
