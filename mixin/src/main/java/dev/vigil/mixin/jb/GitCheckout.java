package dev.vigil.mixin.jb;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Opens Git repositories (local ones in place, remote ones as a bare clone in a scratch folder),
 * resolves versions to commits and writes a commit's subtree to disk, the way jb's GitHub archive
 * download does: files with their bytes, the executable bit and symlinks, no {@code .git}.
 * One instance per vendoring run; repositories are opened once per URL. Not thread-safe.
 */
final class GitCheckout implements AutoCloseable {
  private final Path scratch;
  private final Map<String, Repository> open = new HashMap<>();

  GitCheckout(Path scratch) {
    this.scratch = scratch;
  }

  Repository repository(String url) {
    Repository r = open.get(url);
    if (r != null) {
      return r;
    }
    try {
      Path local = localPath(url);
      // Like git: "x.git" may be the folder "x" (a work tree) and "x" may be the bare "x.git".
      if (local != null && !Files.isDirectory(local)) {
        String l = local.toString();
        Path alt = l.endsWith(".git") ? Path.of(l.substring(0, l.length() - 4)) : Path.of(l + ".git");
        if (Files.isDirectory(alt)) {
          local = alt;
        }
      }
      if (local != null && Files.isDirectory(local)) {
        FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
        if (Files.isDirectory(local.resolve(".git"))) {
          b.setWorkTree(local.toFile());
        } else {
          b.setGitDir(local.toFile());
        }
        r = b.build();
      } else if (local != null) {
        throw new VendorException("git repository " + url + " does not exist");
      } else {
        Path dir = Files.createTempDirectory(scratch, "clone");
        try (Git g = Git.cloneRepository().setURI(url).setBare(true).setDirectory(dir.toFile())
            .setCloneAllBranches(true).call()) {
          r = g.getRepository();
          r.incrementOpen();
        }
      }
    } catch (IOException e) {
      throw new VendorException("cannot open git repository " + url + ": " + e.getMessage(), e);
    } catch (GitAPIException e) {
      throw new VendorException("cannot clone " + url + ": " + e.getMessage(), e);
    }
    open.put(url, r);
    return r;
  }

  private static Path localPath(String url) {
    if (url.startsWith("file:")) {
      return Path.of(URI.create(url.startsWith("file://") ? url : "file://" + url.substring(5)));
    }
    if (url.startsWith("/") || url.startsWith(".")) {
      return Path.of(url);
    }
    return null;
  }

  /** The commit a version names: a full commit id, a tag, a branch or any other ref. */
  static RevCommit resolve(Repository repo, String version, String url) {
    try (RevWalk walk = new RevWalk(repo)) {
      if (version.matches("[0-9a-f]{40}")) {
        ObjectId id = ObjectId.fromString(version);
        if (repo.getObjectDatabase().has(id)) {
          return walk.parseCommit(id);
        }
      }
      for (String name : new String[] {
          Constants.R_TAGS + version, Constants.R_HEADS + version, Constants.R_REMOTES + "origin/" + version, version}) {
        Ref ref = repo.exactRef(name);
        if (ref != null) {
          return walk.parseCommit(ref.getObjectId());
        }
      }
      ObjectId id = repo.resolve(version + "^{commit}");
      if (id != null) {
        return walk.parseCommit(id);
      }
    } catch (IOException e) {
      throw new VendorException("cannot resolve version " + version + " of " + url + ": " + e.getMessage(), e);
    }
    throw new VendorException("version " + version + " not found in " + url + " (no such commit, tag or branch)");
  }

  /** Writes the files under {@code subdir} (all files if empty) of {@code commit} into {@code dest}. */
  static void export(Repository repo, RevCommit commit, String subdir, Path dest, String url) {
    int files = 0;
    try (TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(commit.getTree());
      tw.setRecursive(true);
      if (!subdir.isEmpty()) {
        tw.setFilter(PathFilter.create(subdir));
      }
      String prefix = subdir.isEmpty() ? "" : subdir + "/";
      while (tw.next()) {
        String path = tw.getPathString();
        if (!path.startsWith(prefix)) {
          continue;
        }
        Path out = dest.resolve(path.substring(prefix.length()));
        FileMode mode = tw.getFileMode(0);
        if (mode == FileMode.GITLINK) {
          Files.createDirectories(out); // a submodule: the archive has an empty folder
          continue;
        }
        Files.createDirectories(out.getParent());
        ObjectLoader blob = repo.open(tw.getObjectId(0));
        if (mode == FileMode.SYMLINK) {
          Files.createSymbolicLink(out, Path.of(new String(blob.getBytes(), StandardCharsets.UTF_8)));
        } else {
          try (OutputStream os = Files.newOutputStream(out)) {
            blob.copyTo(os);
          }
          if (mode == FileMode.EXECUTABLE_FILE) {
            var perms = EnumSet.copyOf(Files.getPosixFilePermissions(out));
            perms.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(out, perms);
          }
        }
        files++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dest, e);
    }
    if (files == 0) {
      throw new VendorException("subdir '" + subdir + "' not found in " + url + " at " + commit.name());
    }
  }

  @Override
  public void close() {
    open.values().forEach(Repository::close);
    open.clear();
  }
}
