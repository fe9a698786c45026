package dev.vigil.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A local Git mirror of kubernetes-mixin and its dependencies, built from the upstream files the
 * mixin module checks in for its tests ({@code mixin/src/test/fixtures/upstream}, see the README
 * there): {@code MIRROR/github.com/OWNER/REPO.git}, one commit per repository on the branch the
 * upstream jsonnetfiles name. The mixin module's {@code UpstreamMirror} does the same for its
 * tests; test classes do not cross modules.
 */
final class UpstreamGitMirror {
  static final Path FIXTURES = Path.of(System.getProperty("vigil.mixin.fixtures", "../mixin/src/test/fixtures/upstream"));

  private UpstreamGitMirror() {}

  /** Builds the mirror and returns the {@code --mirror} argument that sends github.com to it. */
  static String build(Path mirror) throws IOException {
    commit(FIXTURES.resolve("kubernetes-mixin"), mirror.resolve("github.com/kubernetes-monitoring/kubernetes-mixin.git"), "master");
    commit(FIXTURES.resolve("grafonnet"), mirror.resolve("github.com/grafana/grafonnet.git"), "main");
    commit(FIXTURES.resolve("docsonnet"), mirror.resolve("github.com/jsonnet-libs/docsonnet.git"), "master");
    commit(FIXTURES.resolve("xtd"), mirror.resolve("github.com/jsonnet-libs/xtd.git"), "master");
    return "https://github.com/=" + mirror.resolve("github.com").toUri();
  }

  private static void commit(Path folder, Path gitDir, String branch) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException("fixture folder " + folder.toAbsolutePath() + " is missing");
    }
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
        ObjectInserter ins = repo.newObjectInserter()) {
      repo.create(true);
      DirCache index = DirCache.newInCore();
      DirCacheBuilder b = index.builder();
      try (var files = Files.walk(folder)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          DirCacheEntry e = new DirCacheEntry(folder.relativize(f).toString().replace('\\', '/'));
          e.setFileMode(FileMode.REGULAR_FILE);
          e.setObjectId(ins.insert(Constants.OBJ_BLOB, Files.readAllBytes(f)));
          b.add(e);
        }
      }
      b.finish();
      PersonIdent who = new PersonIdent("fixture", "fixture@example.com", Instant.EPOCH, ZoneOffset.UTC);
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(index.writeTree(ins));
      c.setAuthor(who);
      c.setCommitter(who);
      c.setMessage("fixture\n");
      ObjectId id = ins.insert(c);
      ins.flush();
      RefUpdate ref = repo.updateRef(Constants.R_HEADS + branch);
      ref.setNewObjectId(id);
      if (ref.update() != RefUpdate.Result.NEW) {
        throw new IOException("cannot create " + branch + " in " + gitDir);
      }
      repo.updateRef(Constants.HEAD).link(Constants.R_HEADS + branch);
    }
  }
}
