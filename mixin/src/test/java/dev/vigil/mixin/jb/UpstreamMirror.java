package dev.vigil.mixin.jb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The public sources checked in under {@code src/test/fixtures/upstream} (see its README: which
 * repository, commit and licence each comes from) turned into a local Git mirror: one bare
 * repository per project at {@code MIRROR/github.com/OWNER/REPO.git}, holding one commit whose
 * tree is the fixture folder, on the branch the upstream jsonnetfiles name. Commits have a fixed
 * author and time, so their ids only change when the fixture does. No network, no git binary.
 */
public final class UpstreamMirror {
  /** The fixture folder; surefire runs in the module folder. */
  public static final Path FIXTURES = Path.of(System.getProperty("vigil.mixin.fixtures", "src/test/fixtures/upstream"));

  /** A fixture folder and the upstream repository it stands for. */
  public record Project(String fixture, String remote, String branch) {
    /** {@code github.com/OWNER/REPO.git} */
    String mirrorPath() {
      return remote.substring("https://".length());
    }
  }

  public static final List<Project> PROJECTS = List.of(
      new Project("kubernetes-mixin", "https://github.com/kubernetes-monitoring/kubernetes-mixin.git", "master"),
      new Project("grafonnet", "https://github.com/grafana/grafonnet.git", "main"),
      new Project("docsonnet", "https://github.com/jsonnet-libs/docsonnet.git", "master"),
      new Project("xtd", "https://github.com/jsonnet-libs/xtd.git", "master"));

  private UpstreamMirror() {}

  /** Builds the mirror under {@code mirror}; returns remote URL -> the commit id of its fixture. */
  public static Map<String, String> build(Path mirror) throws IOException {
    Map<String, String> commits = new LinkedHashMap<>();
    for (Project p : PROJECTS) {
      commits.put(p.remote(), commitFolder(FIXTURES.resolve(p.fixture()), mirror.resolve(p.mirrorPath()), p.branch()));
    }
    return commits;
  }

  /** The {@code --mirror} / {@code insteadOf} pair that sends {@code https://github.com/} to the mirror. */
  public static Map<String, String> insteadOf(Path mirror) {
    return Map.of("https://github.com/", mirror.resolve("github.com").toUri().toString());
  }

  /** Creates a bare repository at {@code gitDir} with one commit of every file under {@code folder}. */
  public static String commitFolder(Path folder, Path gitDir, String branch) throws IOException {
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
          e.setFileMode(Files.isExecutable(f) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
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
      c.setMessage("fixture " + folder.getFileName() + "\n");
      ObjectId commit = ins.insert(c);
      ins.flush();
      RefUpdate ref = repo.updateRef(Constants.R_HEADS + branch);
      ref.setNewObjectId(commit);
      RefUpdate.Result r = ref.update();
      if (r != RefUpdate.Result.NEW) {
        throw new IOException("cannot create branch " + branch + " in " + gitDir + ": " + r);
      }
      repo.updateRef(Constants.HEAD).link(Constants.R_HEADS + branch);
      return commit.name();
    }
  }
}
