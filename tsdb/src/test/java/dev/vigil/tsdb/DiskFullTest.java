package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.tsdb.contract.QueryableContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole database on a real, tiny file system (a 2 MiB tmpfs) that runs full: commits fail with
 * the operating system's "No space left on device", nothing acknowledged is lost (in the running
 * database and after a restart), a block cut on the full disk leaves the data where it was, and
 * everything works again once space returns. Needs root to mount the tmpfs (CI runs as root);
 * elsewhere the test is reported as skipped, with the reason.
 */
class DiskFullTest {
  @TempDir
  Path tmp;

  private Path mount;

  private static final TsdbOptions OPTS = TsdbOptions.defaults().withBlockRangeMs(1000);
  private static final String PAD = "x".repeat(300);

  @BeforeEach
  void mountTinyFileSystem() throws Exception {
    mount = Files.createDirectory(tmp.resolve("fs"));
    String result = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
    Assumptions.assumeTrue(result.isEmpty(),
        () -> "cannot mount a 2 MiB tmpfs for the disk-full test (needs root): " + result);
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  /** Runs a command; returns "" on success, else its exit code and output. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
  }

  /** Batch {@code b}: 40 new series with long labels, 10 samples each in [100b, 100b+100). */
  private static void append(Appender a, int b) {
    for (int s = 0; s < 40; s++) {
      Labels l = Labels.of("__name__", "m", "batch", Integer.toString(b), "pad", PAD,
          "s", Integer.toString(s));
      for (int k = 0; k < 10; k++) {
        long t = b * 100L + k * 10;
        a.append(0, l, t, t * 3.5 + s);
      }
    }
  }

  private static List<String> all(Queryable q) {
    try (var querier = q.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(querier.select(true, SelectHints.range(0, 0),
          List.of(Matcher.equal("__name__", "m"))));
    }
  }

  /** Fails with the few first series that differ (the padded labels make whole dumps unreadable). */
  private static void assertSameData(Queryable db, Queryable acknowledged, String when) {
    List<String> actual = all(db);
    List<String> expected = all(acknowledged);
    List<String> missing = expected.stream().filter(e -> !actual.contains(e)).toList();
    List<String> extra = actual.stream().filter(e -> !expected.contains(e)).toList();
    assertThat(missing.stream().limit(3).map(DiskFullTest::shorten).toList())
        .as(when + ": acknowledged series/samples missing (%d)", missing.size()).isEmpty();
    assertThat(extra.stream().limit(3).map(DiskFullTest::shorten).toList())
        .as(when + ": unacknowledged series/samples present (%d)", extra.size()).isEmpty();
    assertThat(actual).as(when).isEqualTo(expected);
  }

  private static String shorten(String s) {
    return s.replace(PAD, "<pad>");
  }

  @Test
  void fullDiskFailsCommitsCleanlyKeepsAcknowledgedDataAndRecoversWhenSpaceReturns()
      throws IOException {
    Path ballast = mount.resolve("ballast");
    Files.write(ballast, new byte[512 * 1024]);
    Path dbDir = mount.resolve("db");
    InMemoryStorage acknowledged = new InMemoryStorage();
    int batch = 0;
    try (Tsdb db = Tsdb.open(dbDir, OPTS)) {
      StorageException full = null;
      int failedCuts = 0;
      for (; batch < 10_000 && full == null; batch++) {
        Appender a = db.appender();
        append(a, batch);
        try {
          a.commit();
        } catch (StorageException e) {
          full = e;
          break;
        }
        Appender r = acknowledged.appender();
        append(r, batch);
        r.commit();
        if (batch % 25 == 24) {
          // Cut blocks as the server's maintenance would, so blocks are written on the
          // filling disk too; a cut that fails must leave the data in the head.
          try {
            db.cutBlocks();
          } catch (RuntimeException e) {
            assertThat(e).hasMessageContaining("No space left on device");
            failedCuts++;
          }
        }
      }
      assertThat(full).as("the 2 MiB file system ran full").isNotNull();
      assertThat(full).hasMessageContaining("No space left on device");
      assertThat(batch).as("some batches were acknowledged first").isGreaterThan(3);
      assertSameData(db, acknowledged, "after the first failed commit");

      // More attempts on the full disk, including a block cut, change nothing.
      for (int i = 0; i < 3; i++) {
        Appender a = db.appender();
        append(a, batch + 1 + i);
        boolean committed = true;
        try {
          a.commit();
        } catch (StorageException e) {
          assertThat(e).hasMessageContaining("No space left on device");
          committed = false;
        }
        if (committed) { // a few bytes may have been freed meanwhile
          Appender r = acknowledged.appender();
          append(r, batch + 1 + i);
          r.commit();
        }
      }
      try {
        db.cutBlocks();
      } catch (RuntimeException e) {
        assertThat(e).hasMessageContaining("No space left on device");
        failedCuts++;
      }
      assertThat(failedCuts).as("block cuts that failed on the full disk").isPositive();
      assertSameData(db, acknowledged, "after more attempts and a cut on the full disk");
      try (var blocks = Files.list(dbDir.resolve("blocks"))) {
        assertThat(blocks.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
            .as("a failed cut leaves no half-written block taking space").isEmpty();
      }
      // The server's other maintenance on the full disk: a head snapshot fails, a compaction
      // fails or finds nothing to do, and both leave the data and the disk as they were (a
      // WAL segment the snapshot could not start once made every later cut fail).
      assertThatThrownBy(db::writeHeadSnapshot)
          .hasStackTraceContaining("No space left on device");
      assertThat(dbDir.resolve("head.snapshot.tmp")).as("a failed snapshot's file").doesNotExist();
      try {
        db.compact();
      } catch (RuntimeException e) {
        assertThat(e).hasStackTraceContaining("No space left on device");
      }
      assertSameData(db, acknowledged, "after a snapshot and a compaction on the full disk");

      // Space returns.
      Files.delete(ballast);
      int next = batch + 10;
      for (int i = 0; i < 3; i++, next++) {
        Appender a = db.appender();
        append(a, next);
        a.commit();
        Appender r = acknowledged.appender();
        append(r, next);
        r.commit();
      }
      db.cutBlocks();
      assertThat(db.writeHeadSnapshot()).isPositive();
      assertSameData(db, acknowledged, "after space returned");
    }
    try (Tsdb db = Tsdb.open(dbDir, OPTS)) {
      assertSameData(db, acknowledged, "after a restart");
    }
  }

  /**
   * A database closed while its disk is full (its head snapshot cannot be written) opens again
   * with everything acknowledged, once space returns.
   */
  @Test
  void closedOnAFullDiskItOpensWithEverythingAcknowledged() throws IOException {
    Path ballast = mount.resolve("ballast");
    Files.write(ballast, new byte[512 * 1024]);
    Path dbDir = mount.resolve("db");
    InMemoryStorage acknowledged = new InMemoryStorage();
    Tsdb db = Tsdb.open(dbDir, OPTS);
    boolean full = false;
    for (int batch = 0; batch < 10_000 && !full; batch++) {
      Appender a = db.appender();
      append(a, batch);
      try {
        a.commit();
      } catch (StorageException e) {
        assertThat(e).hasMessageContaining("No space left on device");
        full = true;
        continue;
      }
      Appender r = acknowledged.appender();
      append(r, batch);
      r.commit();
    }
    assertThat(full).as("the 2 MiB file system ran full").isTrue();
    db.close();
    assertThat(dbDir.resolve("head.snapshot.tmp")).as("a failed snapshot's file").doesNotExist();
    Files.delete(ballast);
    try (Tsdb again = Tsdb.open(dbDir, OPTS)) {
      assertSameData(again, acknowledged, "after a close on the full disk and a restart");
      Appender a = again.appender();
      append(a, 20_000);
      a.commit();
    }
  }
}
