package dev.vigil.rules.store;

import dev.vigil.rules.file.LoadResult;
import dev.vigil.rules.file.RuleFile;
import dev.vigil.rules.file.RuleFileLoader;
import dev.vigil.rules.file.RuleGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The ruler's rule groups per tenant on local disk: {@code <root>/<tenant>/<namespace>/<group>.yaml}
 * (root is {@code <data-dir>/rules}), one group per file as it was posted. Path segments are
 * {@link #encode encoded} so that any namespace or group name (slashes, spaces, {@code ..}) is one
 * safe file name. Writes go to a temporary file that is renamed over the target, so a reader or a
 * crash sees the old or the new group, never half of one. Every group is validated with the
 * rule-file loader before it is written. Methods synchronise on the store: one writer at a time.
 */
public final class RuleStore {
  private static final String EXT = ".yaml";
  private static final String TMP_PREFIX = ".tmp-";

  private final Path root;
  private final RuleFileLoader loader;

  /**
   * @param root {@code <data-dir>/rules}; created on the first write
   * @param loader validates groups, e.g. {@code new RuleFileLoader(new PromqlExprValidator(...))}
   */
  public RuleStore(Path root, RuleFileLoader loader) {
    this.root = root;
    this.loader = loader;
  }

  /** Tenants with at least one namespace directory, sorted. */
  public synchronized List<String> tenants() {
    return list(root, true).stream().map(RuleStore::decode).sorted().toList();
  }

  /** Every namespace of {@code tenant} with its groups, both sorted by name; empty if none. */
  public synchronized Map<String, List<StoredGroup>> listAll(String tenant) {
    Map<String, List<StoredGroup>> out = new TreeMap<>();
    for (Path ns : list(tenantDir(tenant), true)) {
      List<StoredGroup> groups = readNamespace(decode(ns), ns);
      if (!groups.isEmpty()) {
        out.put(decode(ns), groups);
      }
    }
    return out;
  }

  /** The groups of one namespace, sorted by name; empty when the namespace does not exist. */
  public synchronized Optional<List<StoredGroup>> getNamespace(String tenant, String namespace) {
    List<StoredGroup> groups = readNamespace(namespace, namespaceDir(tenant, namespace));
    return groups.isEmpty() ? Optional.empty() : Optional.of(groups);
  }

  public synchronized Optional<StoredGroup> getGroup(String tenant, String namespace,
      String group) {
    Path file = namespaceDir(tenant, namespace).resolve(encode(group) + EXT);
    String yaml = read(file);
    return yaml == null ? Optional.empty() : Optional.of(parse(namespace, yaml, file.toString()));
  }

  /**
   * Validates {@code yaml} (one rule group, as {@code mimirtool} posts it) and stores it under
   * its name in {@code namespace}, replacing a group of the same name.
   *
   * @throws InvalidRuleGroupException when the group is invalid; nothing is written then
   */
  public synchronized StoredGroup setGroup(String tenant, String namespace, String yaml) {
    StoredGroup g = parse(namespace, yaml, namespace);
    Path dir = namespaceDir(tenant, namespace);
    writeAtomically(dir, encode(g.name()) + EXT, g.yaml());
    return g;
  }

  /** @return false when there was no such group */
  public synchronized boolean deleteGroup(String tenant, String namespace, String group) {
    Path dir = namespaceDir(tenant, namespace);
    try {
      boolean deleted = Files.deleteIfExists(dir.resolve(encode(group) + EXT));
      if (deleted && list(dir, false).isEmpty()) {
        Files.deleteIfExists(dir);
      }
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("deleting rule group " + group + " in " + dir, e);
    }
  }

  /** @return false when there was no such namespace */
  public synchronized boolean deleteNamespace(String tenant, String namespace) {
    Path dir = namespaceDir(tenant, namespace);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        Files.delete(f);
      }
      Files.delete(dir);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("deleting rule namespace " + dir, e);
    }
  }

  /**
   * The tenant's groups as rule files for {@code RuleManager.update}: one file per namespace,
   * whose path is the namespace name.
   */
  public synchronized List<RuleFile> ruleFiles(String tenant) {
    List<RuleFile> out = new ArrayList<>();
    listAll(tenant).forEach((ns, groups) ->
        out.add(new RuleFile(ns, groups.stream().map(StoredGroup::group).toList())));
    return out;
  }

  /**
   * Renders namespaces as Mimir's {@code GET /config/v1/rules} answers: a YAML map from namespace
   * to its list of groups.
   */
  public static String renderNamespaces(Map<String, List<StoredGroup>> namespaces) {
    StringBuilder b = new StringBuilder();
    namespaces.forEach((ns, groups) -> {
      b.append(quote(ns)).append(":\n");
      for (StoredGroup g : groups) {
        appendListItem(b, g.yaml(), "    ");
      }
    });
    return b.toString();
  }

  // --- validation -------------------------------------------------------------------------

  private StoredGroup parse(String namespace, String yaml, String where) {
    String body = stripDocumentMarkers(yaml);
    if (body.isBlank()) {
      throw new InvalidRuleGroupException(List.of(where + ": empty rule group"));
    }
    StringBuilder file = new StringBuilder("groups:\n");
    appendListItem(file, body, "  ");
    LoadResult r = loader.load(where, file.toString());
    return switch (r) {
      // promtool repeats some YAML errors; an API answer lists each once.
      case LoadResult.Failed f ->
          throw new InvalidRuleGroupException(f.errors().stream().distinct().toList());
      case LoadResult.Loaded l -> {
        if (l.file().groups().size() != 1) {
          throw new InvalidRuleGroupException(List.of(where + ": expected one rule group"));
        }
        RuleGroup g = l.file().groups().getFirst();
        if (g.name().isEmpty()) {
          throw new InvalidRuleGroupException(List.of(where + ": group name must not be empty"));
        }
        yield new StoredGroup(namespace, g.name(), body, g);
      }
    };
  }

  /** A group body as one item of a YAML block sequence at {@code indent}: "- " + indented text. */
  private static void appendListItem(StringBuilder b, String body, String indent) {
    String[] lines = body.split("\n", -1);
    int n = lines.length;
    while (n > 0 && lines[n - 1].isBlank()) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? indent.substring(2) + "- " : lines[i].isEmpty() ? "" : indent)
          .append(lines[i]).append('\n');
    }
  }

  private static String stripDocumentMarkers(String yaml) {
    String s = yaml.replace("\r\n", "\n");
    if (s.startsWith("---\n")) {
      s = s.substring(4);
    }
    if (s.endsWith("\n...\n")) {
      s = s.substring(0, s.length() - 4);
    }
    return s.endsWith("\n") ? s : s + "\n";
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  // --- files ------------------------------------------------------------------------------

  private List<StoredGroup> readNamespace(String namespace, Path dir) {
    List<StoredGroup> out = new ArrayList<>();
    for (Path f : list(dir, false)) {
      String yaml = read(f);
      if (yaml != null) {
        out.add(parse(namespace, yaml, f.toString()));
      }
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  private Path tenantDir(String tenant) {
    return root.resolve(encode(tenant));
  }

  private Path namespaceDir(String tenant, String namespace) {
    return tenantDir(tenant).resolve(encode(namespace));
  }

  /** Directories ({@code dirs}) or group files in {@code dir}; temporary files are skipped. */
  private static List<Path> list(Path dir, boolean dirs) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (n.startsWith(TMP_PREFIX)) {
          continue;
        }
        if (dirs ? Files.isDirectory(p) : n.endsWith(EXT) && Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir, e);
    }
    out.sort(null);
    return out;
  }

  private static @Nullable String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("reading rule group " + f, e);
    }
  }

  private static void writeAtomically(Path dir, String name, String content) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, TMP_PREFIX, EXT);
      try {
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(tmp,
            java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true); // the rename must not publish a file whose bytes are not on disk
        }
        try {
          Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing rule group " + dir.resolve(name), e);
    }
  }

  /**
   * A name as one file name: ASCII letters, digits, {@code -} and {@code _} stay, every other
   * UTF-8 byte becomes {@code %XX}, so {@code .}, {@code /} and {@code %} can never form a path.
   */
  static String encode(String name) {
    StringBuilder b = new StringBuilder();
    for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
          || c == '_') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.isEmpty() ? "%" : b.toString(); // "%" alone: the empty name, never produced otherwise
  }

  static String decode(Path p) {
    String n = p.getFileName().toString();
    if (n.endsWith(EXT)) {
      n = n.substring(0, n.length() - EXT.length());
    }
    if (n.equals("%")) {
      return "";
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c == '%' && i + 2 < n.length()) {
        out.write(Integer.parseInt(n.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
