package dev.vigil.mixin.jb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * jb's package checksum ({@code hashDir} in jsonnet-bundler's {@code pkg/packages.go}): one SHA-256
 * over the contents of every non-directory entry under the package folder, visited in Go's
 * {@code filepath.Walk} order (depth first, names sorted bytewise in each directory), base64 with
 * padding. Paths and modes are not hashed. A symlink is not descended into (Walk uses lstat) but
 * its target's bytes are read, as {@code os.Open} follows it.
 */
public final class JbSum {
  private JbSum() {}

  public static String of(Path dir) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try {
      walk(dir, sha, new byte[64 * 1024]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + dir, e);
    }
    return Base64.getEncoder().encodeToString(sha.digest());
  }

  private static void walk(Path p, MessageDigest sha, byte[] buf) throws IOException {
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      List<Path> children = new ArrayList<>();
      try (var s = Files.list(p)) {
        s.forEach(children::add);
      }
      // Go sorts names as byte strings; compare the UTF-8 bytes, not UTF-16 chars.
      children.sort((a, b) -> java.util.Arrays.compareUnsigned(
          a.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          b.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      for (Path c : children) {
        walk(c, sha, buf);
      }
      return;
    }
    if (Files.isDirectory(p)) {
      return; // a symlink to a directory: jb's io.Copy fails on it and hashes nothing
    }
    try (InputStream in = Files.newInputStream(p)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
    }
  }
}
