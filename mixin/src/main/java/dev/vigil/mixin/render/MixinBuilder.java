package dev.vigil.mixin.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code vigil mixin build}: renders a mixin's {@code prometheusAlerts}, {@code prometheusRules}
 * and {@code grafanaDashboards} into
 *
 * <pre>
 * OUT/alerts.yaml, OUT/rules.yaml            like `jsonnet -S` of std.manifestYamlDoc (the mixin Makefiles)
 * OUT/dashboards/NAME.json                    like `jsonnet -m` (one file per grafanaDashboards key)
 * OUT/rules/MIXIN/GROUP.yaml                  one rule group per file: Vigil's and Mimir's ruler format
 * OUT/manifests/prometheusrule-MIXIN-{alerts,rules}.yaml   PrometheusRule objects
 * OUT/manifests/configmap-grafana-dashboards-MIXIN-N.yaml  ConfigMaps labelled grafana_dashboard: "1", each under 1 MiB
 * </pre>
 *
 * Output is deterministic (keys sorted, dashboards packed in name order) and all-or-nothing: it is
 * written to a scratch folder and swapped in only when everything rendered.
 */
public final class MixinBuilder {
  private final JsonnetEngine engine;

  public MixinBuilder(JsonnetEngine engine) {
    this.engine = engine;
  }

  /** The files written, relative to the output folder, in writing order. */
  public record Result(List<String> files, int dashboards, int alertGroups, int ruleGroups) {}

  public Result build(BuildOptions o) {
    Map<String, String> files = render(o);
    write(o.outDir(), files);
    int dashboards = (int) files.keySet().stream().filter(f -> f.startsWith("dashboards/")).count();
    int groups = (int) files.keySet().stream().filter(f -> f.startsWith("rules/")).count();
    return new Result(List.copyOf(files.keySet()), dashboards, groups, groups);
  }

  /** Renders every output file in memory: path relative to the output folder -> content. */
  public Map<String, String> render(BuildOptions o) {
    Path file = o.mixinFile().toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new JsonnetException(o.mixinFile() + ": mixin file not found");
    }
    String importName = file.getFileName().toString().replace("\\", "\\\\").replace("'", "\\'");
    String code = """
        local m = import '%s';
        local has(f) = std.objectHasAll(m, f);
        {
          alertsYaml: if has('prometheusAlerts') then std.manifestYamlDoc(m.prometheusAlerts) else null,
          rulesYaml: if has('prometheusRules') then std.manifestYamlDoc(m.prometheusRules) else null,
          alerts: if has('prometheusAlerts') then m.prometheusAlerts else null,
          rules: if has('prometheusRules') then m.prometheusRules else null,
          dashboards: if has('grafanaDashboards') then m.grafanaDashboards else {},
        }
        """.formatted(importName);
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) engine.evaluate(code, file.resolveSibling("<vigil mixin build>"));
    Map<String, String> files = new LinkedHashMap<>();
    if (out.get("alertsYaml") instanceof String s) {
      files.put("alerts.yaml", s + "\n");
    }
    if (out.get("rulesYaml") instanceof String s) {
      files.put("rules.yaml", s + "\n");
    }
    Map<String, String> dashboards = new TreeMap<>();
    if (out.get("dashboards") instanceof Map<?, ?> ds) {
      for (Map.Entry<?, ?> e : ds.entrySet()) {
        String name = (String) e.getKey();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
          throw new JsonnetException("grafanaDashboards key '" + name + "' is not a plain file name");
        }
        String json = JsonnetJson.write(e.getValue()) + "\n";
        dashboards.put(name, json);
        files.put("dashboards/" + name, json);
      }
    }
    Map<String, List<Map<String, Object>>> groupsByKind = new LinkedHashMap<>();
    groupsByKind.put("alerts", groups(out.get("alerts"), "prometheusAlerts"));
    groupsByKind.put("rules", groups(out.get("rules"), "prometheusRules"));
    Map<String, Integer> seen = new TreeMap<>();
    for (List<Map<String, Object>> groups : groupsByKind.values()) {
      for (Map<String, Object> g : groups) {
        String gname = String.valueOf(g.get("name"));
        String fileName = "rules/" + o.name() + "/" + safeFileName(gname) + ".yaml";
        if (seen.merge(fileName, 1, Integer::sum) > 1) {
          throw new JsonnetException("two rule groups are named '" + gname + "'; group names must be unique");
        }
        files.put(fileName, Yaml.dump(g));
      }
    }
    for (Map.Entry<String, List<Map<String, Object>>> e : groupsByKind.entrySet()) {
      if (!e.getValue().isEmpty()) {
        files.put("manifests/prometheusrule-" + o.name() + "-" + e.getKey() + ".yaml",
            Yaml.dump(Manifests.prometheusRule(o.name() + "-" + e.getKey(), o.name(), e.getValue())));
      }
    }
    List<Map<String, Object>> configMaps = Manifests.dashboardConfigMaps(o.name(), dashboards);
    for (int i = 0; i < configMaps.size(); i++) {
      files.put("manifests/configmap-grafana-dashboards-" + o.name() + "-" + (i + 1) + ".yaml",
          Yaml.dump(configMaps.get(i)));
    }
    return files;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> groups(Object v, String field) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof Map<?, ?> m) || !(m.get("groups") instanceof List<?> l)) {
      throw new JsonnetException(field + " must be an object with a 'groups' array");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object g : l) {
      if (!(g instanceof Map<?, ?> gm) || !(gm.get("name") instanceof String)) {
        throw new JsonnetException(field + ": every group needs a name");
      }
      out.add((Map<String, Object>) gm);
    }
    return out;
  }

  static String safeFileName(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static void write(Path outDir, Map<String, String> files) {
    Path out = outDir.toAbsolutePath();
    try {
      Files.createDirectories(out.getParent());
      Path staging = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + "-new");
      try {
        for (Map.Entry<String, String> e : files.entrySet()) {
          Path f = staging.resolve(e.getKey());
          Files.createDirectories(f.getParent());
          Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
        }
        Path old = null;
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
          old = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + "-old");
          Files.delete(old);
          Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        staging = null;
        if (old != null) {
          deleteTree(old);
        }
      } finally {
        if (staging != null) {
          deleteTree(staging);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
