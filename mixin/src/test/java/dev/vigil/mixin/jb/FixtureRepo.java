package dev.vigil.mixin.jb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

/** Builds small Git repositories with JGit for the tests (no network, no fetched code). */
public final class FixtureRepo implements AutoCloseable {
  private final Git git;
  public final Path dir;

  private FixtureRepo(Git git, Path dir) {
    this.git = git;
    this.dir = dir;
  }

  public static FixtureRepo create(Path dir) throws Exception {
    Files.createDirectories(dir);
    return new FixtureRepo(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
  }

  /** Writes the files (path -> content) and commits them; returns the commit id. */
  public String commit(Map<String, String> files, String message) throws Exception {
    for (var e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
    git.add().addFilepattern(".").call();
    RevCommit c = git.commit().setMessage(message).setAuthor("t", "t@example.com")
        .setCommitter("t", "t@example.com").setSign(false).call();
    return c.name();
  }

  public void tag(String name) throws Exception {
    git.tag().setName(name).setAnnotated(false).call();
  }

  public String url() {
    return dir.toUri().toString();
  }

  @Override
  public void close() {
    git.close();
  }
}
