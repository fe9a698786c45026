package dev.vigil.mixin.jb;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code dependencies}: a Git or a local source, the wanted version (a ref in
 * {@code jsonnetfile.json}, a commit in the lock file), the lock file's {@code sum}, and jb's
 * optional legacy {@code name}.
 */
public record Dependency(
    @Nullable GitSource git, @Nullable String localDirectory, String version, String sum, String legacyNameOverride) {

  public Dependency {
    if ((git == null) == (localDirectory == null)) {
      throw new IllegalArgumentException("a dependency needs exactly one of a git or a local source");
    }
  }

  public static Dependency git(String remote, String subdir, String version) {
    return new Dependency(new GitSource(remote, subdir), null, version, "", "");
  }

  /** The folder under {@code vendor/}. */
  public String name() {
    return git != null ? git.name() : lastElement(localDirectory);
  }

  public String legacyName() {
    if (!legacyNameOverride.isEmpty()) {
      return legacyNameOverride;
    }
    return git != null ? git.legacyName() : lastElement(localDirectory);
  }

  private static String lastElement(@Nullable String dir) {
    String d = dir == null ? "" : dir.replaceAll("/+$", "");
    return d.substring(d.lastIndexOf('/') + 1);
  }

  public Dependency withLock(String commit, String newSum) {
    return new Dependency(git, localDirectory, commit, newSum, legacyNameOverride);
  }

  public Dependency withVersion(String v) {
    return new Dependency(git, localDirectory, v, sum, legacyNameOverride);
  }

  /** The JSON object jb writes: {@code source}, {@code version}, then {@code sum} and {@code name} when set. */
  Map<String, Object> toJson() {
    Map<String, Object> src = new LinkedHashMap<>();
    if (git != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("remote", git.remote());
      g.put("subdir", git.subdir());
      src.put("git", g);
    } else {
      src.put("local", Map.of("directory", localDirectory));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    if (!legacyNameOverride.isEmpty()) {
      m.put("name", legacyNameOverride);
    }
    m.put("source", src);
    m.put("version", version);
    if (!sum.isEmpty()) {
      m.put("sum", sum);
    }
    return m;
  }
}
