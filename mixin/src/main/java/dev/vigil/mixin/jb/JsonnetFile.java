package dev.vigil.mixin.jb;

import dev.vigil.mixin.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jsonnetfile.json} or {@code jsonnetfile.lock.json} (same schema; the lock has commits
 * and sums). Written the way jb writes it (Go's two-space indent, keys in jb's order, a final
 * newline) so the files round-trip through jb unchanged.
 */
public record JsonnetFile(List<Dependency> dependencies, boolean legacyImports) {
  public static final String FILE = "jsonnetfile.json";
  public static final String LOCK_FILE = "jsonnetfile.lock.json";

  public JsonnetFile {
    dependencies = List.copyOf(dependencies);
  }

  /** Reads a file; a missing file is an empty one (jb treats a missing lock file so). */
  public static JsonnetFile readOrEmpty(Path file) {
    if (!Files.exists(file)) {
      return new JsonnetFile(List.of(), false);
    }
    return read(file);
  }

  public static JsonnetFile read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return parse(text, file.toString());
  }

  static JsonnetFile parse(String text, String source) {
    if (!(Json.parse(text, source) instanceof Map<?, ?> root)) {
      throw new IllegalArgumentException(source + ": expected a JSON object");
    }
    List<Dependency> deps = new ArrayList<>();
    if (root.get("dependencies") instanceof List<?> list) {
      int i = 0;
      for (Object o : list) {
        deps.add(dependency(o, source + ": dependencies[" + i++ + "]"));
      }
    } else if (root.get("dependencies") != null) {
      throw new IllegalArgumentException(source + ": dependencies must be an array");
    }
    // jb's default for files without the field is legacyImports=true (old files relied on links).
    boolean legacy = !(root.get("legacyImports") instanceof Boolean b) || b;
    return new JsonnetFile(deps, legacy);
  }

  private static Dependency dependency(Object o, String where) {
    if (!(o instanceof Map<?, ?> m) || !(m.get("source") instanceof Map<?, ?> src)) {
      throw new IllegalArgumentException(where + ": expected an object with a source");
    }
    String version = m.get("version") instanceof String s ? s : "master";
    String sum = m.get("sum") instanceof String s ? s : "";
    String name = m.get("name") instanceof String s ? s : "";
    if (src.get("git") instanceof Map<?, ?> g) {
      if (!(g.get("remote") instanceof String remote)) {
        throw new IllegalArgumentException(where + ": git source without a remote");
      }
      String subdir = g.get("subdir") instanceof String s ? s : "";
      return new Dependency(new GitSource(remote, subdir), null, version, sum, name);
    }
    if (src.get("local") instanceof Map<?, ?> l && l.get("directory") instanceof String dir) {
      return new Dependency(null, dir, version, sum, name);
    }
    throw new IllegalArgumentException(where + ": source must be git or local");
  }

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", 1.0);
    List<Object> deps = new ArrayList<>();
    for (Dependency d : dependencies) {
      deps.add(d.toJson());
    }
    m.put("dependencies", deps);
    m.put("legacyImports", legacyImports);
    return Json.write(m) + "\n";
  }
}
