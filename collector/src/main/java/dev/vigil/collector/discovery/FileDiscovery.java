package dev.vigil.collector.discovery;

import dev.vigil.collector.config.FileSdConfig;
import dev.vigil.model.labels.Labels;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Prometheus's file-based discovery: JSON or YAML files (globs allowed in the last path element)
 * holding {@code [{targets: [...], labels: {...}}]}. Each entry becomes a group whose source is
 * {@code <file>:<index>} and whose labels carry {@code __meta_filepath}. A file that cannot be
 * read or parsed keeps its previous groups (as Prometheus) and its error is reported by
 * {@link #errors()}. Files are re-read every {@code refresh_interval}; subscribers hear only of
 * changes.
 */
public final class FileDiscovery implements AutoCloseable {
  public static final String META_FILEPATH = "__meta_filepath";

  private final Object lock = new Object();
  private final FileSdConfig config;
  private final Path baseDir;

  // Guarded by lock.
  private final Map<Path, List<TargetGroup>> byFile = new LinkedHashMap<>();
  private Map<Path, String> errors = Map.of();
  private List<TargetGroup> lastPublished;
  private ScheduledFuture<?> schedule;

  /** {@code baseDir} resolves relative file names (the config file's directory, as Prometheus). */
  public FileDiscovery(FileSdConfig config, Path baseDir) {
    this.config = config;
    this.baseDir = baseDir;
  }

  /** Re-reads all files and returns the current groups, in file-name order. */
  public List<TargetGroup> refresh() {
    TreeSet<Path> files = new TreeSet<>();
    Map<Path, String> errs = new LinkedHashMap<>();
    for (String pattern : config.files()) {
      expand(baseDir.resolve(pattern), files, errs);
    }
    synchronized (lock) {
      byFile.keySet().retainAll(files);
      for (Path f : files) {
        try {
          byFile.put(f, read(f));
        } catch (IOException | RuntimeException e) {
          errs.put(f, e.getMessage());
        }
      }
      errors = Map.copyOf(errs);
      List<TargetGroup> all = new ArrayList<>();
      for (Path f : files) {
        all.addAll(byFile.getOrDefault(f, List.of()));
      }
      return List.copyOf(all);
    }
  }

  /** Problems of the latest refresh, per file. */
  public Map<Path, String> errors() {
    synchronized (lock) {
      return errors;
    }
  }

  /** Refreshes now and then every {@code refresh_interval}, telling {@code subscriber} of changes. */
  public void start(ScheduledExecutorService executor, Consumer<List<TargetGroup>> subscriber) {
    long every = config.refreshInterval().toMillis();
    synchronized (lock) {
      schedule = executor.scheduleWithFixedDelay(() -> {
        List<TargetGroup> groups = refresh();
        boolean changed;
        synchronized (lock) {
          changed = !groups.equals(lastPublished);
          lastPublished = groups;
        }
        if (changed) {
          subscriber.accept(groups);
        }
      }, 0, every, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (schedule != null) {
        schedule.cancel(false);
      }
    }
  }

  private static void expand(Path pattern, TreeSet<Path> into, Map<Path, String> errs) {
    String last = pattern.getFileName().toString();
    if (last.indexOf('*') < 0) {
      if (Files.exists(pattern)) {
        into.add(pattern);
      }
      return;
    }
    Path dir = pattern.getParent();
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + last);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (m.matches(p.getFileName()) && Files.isRegularFile(p)) {
          into.add(p);
        }
      }
    } catch (IOException e) {
      errs.put(dir, "error listing " + dir + ": " + e.getMessage());
    }
  }

  static List<TargetGroup> read(Path file) throws IOException {
    String text = Files.readString(file);
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("error parsing " + file + ": " + e.getMessage(), e);
    }
    if (doc == null) {
      return List.of();
    }
    if (!(doc instanceof List<?> entries)) {
      throw new IllegalArgumentException(file + ": expected a list of target groups");
    }
    List<TargetGroup> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw new IllegalArgumentException(file + ": target group " + i + " is not a mapping");
      }
      for (Object key : entry.keySet()) {
        if (!"targets".equals(key) && !"labels".equals(key)) {
          throw new IllegalArgumentException(file + ": target group " + i + ": field " + key + " not found in type targetgroup.Group");
        }
      }
      Labels.Builder lb = Labels.builder();
      if (entry.get("labels") instanceof Map<?, ?> labels) {
        for (Map.Entry<?, ?> e : labels.entrySet()) {
          String name = String.valueOf(e.getKey());
          if (name.isEmpty()) {
            throw new IllegalArgumentException(file + ": \"\" is not a valid label name");
          }
          lb.set(name, e.getValue() == null ? "" : String.valueOf(e.getValue()));
        }
      } else if (entry.get("labels") != null) {
        throw new IllegalArgumentException(file + ": target group " + i + ": labels must be a mapping");
      }
      lb.set(META_FILEPATH, file.toString());
      List<Labels> targets = new ArrayList<>();
      if (entry.get("targets") instanceof List<?> ts) {
        for (Object t : ts) {
          targets.add(Labels.of("__address__", String.valueOf(t)));
        }
      } else if (entry.get("targets") != null) {
        throw new IllegalArgumentException(file + ": target group " + i + ": targets must be a list");
      }
      out.add(new TargetGroup(file + ":" + i, targets, lb.build()));
    }
    return out;
  }
}
