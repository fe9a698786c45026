package dev.vigil.mixin.jb;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Git package: its remote and the folder inside the repository. The vendor path is jb's
 * {@code <host>/<user>/<repo>[/<subdir>]}; for remotes jb cannot name (a {@code file://} URL or a
 * local directory, which Vigil accepts so that mirrors and tests work offline) the last three
 * path elements take the places of host, user and repo.
 */
public record GitSource(String remote, String subdir) {
  private static final Pattern SSH = Pattern.compile("ssh://git@([^/]+)/(.+)/([^/]+?)(?:\\.git)?/?");
  private static final Pattern SCP = Pattern.compile("git@([^:]+):(.+)/([^/]+?)(?:\\.git)?/?");
  private static final Pattern HTTPS = Pattern.compile("(?:https?://)?([^/]+\\.[a-zA-Z]{2,})/(.+)/([^/]+?)(?:\\.git)?/?");

  public GitSource {
    if (remote.isBlank()) {
      throw new IllegalArgumentException("git source without a remote");
    }
    subdir = trimSlashes(subdir);
  }

  private static String trimSlashes(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '/') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == '/') {
      b--;
    }
    return s.substring(a, b);
  }

  /** {@code host/user/repo}, without the subdir. */
  public String repoPath() {
    String r = remote;
    for (Pattern p : new Pattern[] {SSH, SCP}) {
      Matcher m = p.matcher(r);
      if (m.matches()) {
        return m.group(1) + "/" + m.group(2) + "/" + m.group(3);
      }
    }
    if (!r.startsWith("file:") && !r.startsWith("/") && !r.startsWith(".")) {
      Matcher m = HTTPS.matcher(r);
      if (m.matches()) {
        return m.group(1) + "/" + m.group(2) + "/" + m.group(3);
      }
    }
    // file:// URL or a path: the last three elements stand for host/user/repo.
    String path = trimSlashes(r.replaceFirst("^file:(//)?", ""));
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    String[] parts = path.split("/");
    int n = parts.length;
    if (n >= 3) {
      return parts[n - 3] + "/" + parts[n - 2] + "/" + parts[n - 1];
    }
    return "local/" + String.join("/", parts);
  }

  /** The package's folder under {@code vendor/}: jb's {@code Name()}. */
  public String name() {
    return subdir.isEmpty() ? repoPath() : repoPath() + "/" + subdir;
  }

  /** The short name of a legacy import link: the last element of {@link #name()}. */
  public String legacyName() {
    String n = name();
    return n.substring(n.lastIndexOf('/') + 1);
  }
}
