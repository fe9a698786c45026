package dev.vigil.mixin.jb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code jb install} and {@code jb update}: installs every direct and nested dependency of
 * {@code jsonnetfile.json} into {@code vendor/} at the lock file's commits (resolving refs of
 * unlocked ones), checks locked sums and writes the lock file.
 *
 * <p>All-or-nothing: the new tree is built in a scratch folder beside {@code vendor/} and swapped
 * in only when every package is installed and every sum matches; on any error {@code vendor/}
 * and the lock file are left as they were.
 *
 * @param insteadOf URL prefix rewrites applied before fetching (git's {@code url.X.insteadOf}),
 *     e.g. {@code https://github.com/ -> file:///mirror/github.com/}; names and the lock file keep
 *     the original remotes
 */
public record Vendorer(Path projectDir, Path vendorDir, Map<String, String> insteadOf) {

  public Vendorer {
    insteadOf = Map.copyOf(insteadOf);
  }

  /** What was installed: the lock file's entries, sorted by vendor path. */
  public record Result(List<Dependency> locked) {}

  public Result install() {
    return run(Set.of(), false);
  }

  /** Moves the named dependencies (all when empty) to the newest commit of their version ref. */
  public Result update(Set<String> names) {
    return run(names, true);
  }

  private Result run(Set<String> updateNames, boolean update) {
    Path jf = projectDir.resolve(JsonnetFile.FILE);
    if (!Files.exists(jf)) {
      throw new VendorException(jf + " not found (run `vigil mixin init` to create one)");
    }
    JsonnetFile direct = JsonnetFile.read(jf);
    Map<String, Dependency> locks = new LinkedHashMap<>();
    for (Dependency d : JsonnetFile.readOrEmpty(projectDir.resolve(JsonnetFile.LOCK_FILE)).dependencies()) {
      boolean moved = update && (updateNames.isEmpty() || updateNames.contains(d.name())
          || updateNames.contains(d.legacyName()));
      if (!moved) {
        locks.put(d.name(), d);
      }
    }
    Path parent = vendorDir.toAbsolutePath().getParent();
    Path staging;
    Path scratch;
    try {
      Files.createDirectories(parent);
      staging = Files.createTempDirectory(parent, ".vendor-new");
      scratch = Files.createTempDirectory(parent, ".vendor-git");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch folder in " + parent, e);
    }
    boolean done = false;
    try (GitCheckout git = new GitCheckout(scratch)) {
      Map<String, Dependency> result = new TreeMap<>();
      ensure(direct.dependencies(), projectDir.toAbsolutePath(), staging, locks, result, git);
      if (direct.legacyImports()) {
        linkLegacy(staging, result.values());
      }
      List<Dependency> locked = new ArrayList<>(result.values());
      swapIn(staging);
      writeAtomically(projectDir.resolve(JsonnetFile.LOCK_FILE),
          new JsonnetFile(locked, direct.legacyImports()).toJson());
      done = true;
      return new Result(locked);
    } finally {
      deleteTree(scratch);
      if (!done) {
        deleteTree(staging);
      }
    }
  }

  private void ensure(List<Dependency> deps, Path parentModule, Path staging, Map<String, Dependency> locks,
      Map<String, Dependency> result, GitCheckout git) {
    List<Dependency> installed = new ArrayList<>();
    for (Dependency d : deps) {
      if (result.containsKey(d.name())) {
        continue;
      }
      Dependency lock = locks.get(d.name());
      Dependency done = install(lock != null ? lock : d, parentModule, staging, git, lock != null);
      result.put(done.name(), done);
      locks.put(done.name(), done);
      installed.add(done);
    }
    for (Dependency d : installed) {
      Path nested = staging.resolve(d.name()).resolve(JsonnetFile.FILE);
      if (Files.exists(nested)) {
        ensure(JsonnetFile.read(nested).dependencies(), staging.resolve(d.name()), staging, locks, result, git);
      }
    }
  }

  private Dependency install(Dependency d, Path parentModule, Path staging, GitCheckout git, boolean locked) {
    Path dest = staging.resolve(d.name());
    try {
      if (d.git() == null) {
        // jb links local packages instead of copying them, relative to the referencing module.
        Path target = parentModule.resolve(d.localDirectory()).normalize();
        if (!Files.isDirectory(target)) {
          throw new VendorException("local dependency " + d.localDirectory() + " not found at " + target);
        }
        Files.createDirectories(dest.getParent());
        // staging/ sits beside vendor/, so a link relative to its own folder stays valid after the swap.
        Files.createSymbolicLink(dest, dest.getParent().relativize(target));
        return d.withLock("", "");
      }
      String url = rewrite(d.git().remote());
      Repository repo = git.repository(url);
      RevCommit commit = GitCheckout.resolve(repo, d.version(), url);
      Files.createDirectories(dest);
      GitCheckout.export(repo, commit, d.git().subdir(), dest, url);
      String sum = JbSum.of(dest);
      if (locked && !d.sum().isEmpty() && !d.sum().equals(sum)) {
        throw new VendorException("checksum mismatch for " + d.name() + ": " + JsonnetFile.LOCK_FILE + " has "
            + d.sum() + " but " + d.git().remote() + " at " + commit.name() + " gives " + sum
            + " (the upstream history was rewritten or the lock file was edited; `vigil mixin update "
            + d.legacyName() + "` re-locks it)");
      }
      return d.withLock(commit.name(), sum);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + d.name() + " into " + dest, e);
    }
  }

  private String rewrite(String remote) {
    String best = "";
    for (String prefix : insteadOf.keySet()) {
      if (remote.startsWith(prefix) && prefix.length() > best.length()) {
        best = prefix;
      }
    }
    return best.isEmpty() ? remote : insteadOf.get(best) + remote.substring(best.length());
  }

  private static void linkLegacy(Path staging, Iterable<Dependency> deps) throws UncheckedIOException {
    for (Dependency d : deps) {
      if (d.git() == null) {
        continue;
      }
      Path link = staging.resolve(d.legacyName());
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        continue; // jb warns and keeps the first owner of a short name
      }
      try {
        Files.createSymbolicLink(link, Path.of(d.name()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot link " + link, e);
      }
    }
  }

  private void swapIn(Path staging) {
    Path vendor = vendorDir.toAbsolutePath();
    try {
      Path old = null;
      if (Files.exists(vendor, LinkOption.NOFOLLOW_LINKS)) {
        old = Files.createTempDirectory(vendor.getParent(), ".vendor-old");
        Files.delete(old);
        Files.move(vendor, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, vendor, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) {
        deleteTree(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the new vendor tree to " + vendor, e);
    }
  }

  static void writeAtomically(Path file, String content) {
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp", ".json");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
