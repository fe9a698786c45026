package dev.vigil.app;

import dev.vigil.mixin.MixinStarter;
import dev.vigil.mixin.jb.Dependency;
import dev.vigil.mixin.jb.VendorException;
import dev.vigil.mixin.jb.Vendorer;
import dev.vigil.mixin.lint.Finding;
import dev.vigil.mixin.lint.MixinLinter;
import dev.vigil.mixin.sync.GrafanaSync;
import dev.vigil.mixin.sync.RulerSync;
import dev.vigil.mixin.test.MixinTester;
import dev.vigil.mixin.render.BuildOptions;
import dev.vigil.mixin.render.JsonnetEngine;
import dev.vigil.mixin.render.JsonnetException;
import dev.vigil.mixin.render.MixinBuilder;
import dev.vigil.promql.parser.ParserOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil mixin ...}: jsonnet-bundler compatible vendoring and mixin rendering. */
@Command(name = "mixin", description = "Mixin toolchain: init, vendor, update, build, lint, test, diff, apply.",
    subcommands = {MixinCommand.Init.class, MixinCommand.Vendor.class, MixinCommand.Update.class,
        MixinCommand.Build.class, MixinCommand.Lint.class, MixinCommand.Test.class,
        MixinCommand.Diff.class, MixinCommand.Apply.class})
final class MixinCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs {@code body}, turning the toolchain's errors into a message on stderr and exit code 1. */
  static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (VendorException | JsonnetException | IllegalArgumentException | IOException | UncheckedIOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      err.flush();
      return 1;
    }
  }

  @Command(name = "init", description = "Write a starter jsonnetfile.json and mixin.libsonnet (kubernetes-mixin).")
  static final class Init implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = {"-d", "--dir"}, defaultValue = ".", description = "Project folder (default: current).")
    Path dir;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @Option(names = "--source", defaultValue = MixinStarter.KUBERNETES_MIXIN,
        description = "Git URL of the mixin (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--source-subdir", defaultValue = "", description = "Folder of the mixin in that repository (default: the root).")
    String sourceSubdir;

    @Option(names = "--source-version", defaultValue = "master",
        description = "Branch, tag or commit of the mixin (default: ${DEFAULT-VALUE}); the lock file pins the commit.")
    String sourceVersion;

    @Option(names = "--cadvisor-job", defaultValue = "integrations/kubernetes/cadvisor",
        description = "Job name of the cAdvisor targets (default: ${DEFAULT-VALUE}, as the collector preset and Alloy).")
    String cadvisorJob;

    @Option(names = "--kubelet-job", defaultValue = "integrations/kubernetes/kubelet",
        description = "Job name of the kubelet targets (default: ${DEFAULT-VALUE}).")
    String kubeletJob;

    @Option(names = "--kube-state-metrics-job", defaultValue = "integrations/kubernetes/kube-state-metrics",
        description = "Job name of kube-state-metrics (default: ${DEFAULT-VALUE}).")
    String kubeStateMetricsJob;

    @Option(names = "--node-exporter-job", defaultValue = "integrations/node_exporter",
        description = "Job name of node-exporter (default: ${DEFAULT-VALUE}).")
    String nodeExporterJob;

    @Option(names = "--kube-apiserver-job", defaultValue = "integrations/kubernetes/kube-apiserver",
        description = "Job name of the API servers (default: ${DEFAULT-VALUE}).")
    String kubeApiserverJob;

    @Option(names = "--kube-proxy-job", defaultValue = "integrations/kubernetes/kube-proxy",
        description = "Job name of kube-proxy (default: ${DEFAULT-VALUE}).")
    String kubeProxyJob;

    @Option(names = "--cluster-label", defaultValue = "cluster",
        description = "Label that tells clusters apart (default: ${DEFAULT-VALUE}).")
    String clusterLabel;

    @Option(names = "--multi-cluster", description = "Show the cluster picker and the multi-cluster dashboard.")
    boolean multiCluster;

    MixinStarter starter() {
      return MixinStarter.defaults()
          .withSource(source, sourceSubdir, sourceVersion)
          .withJob("cadvisorSelector", cadvisorJob)
          .withJob("kubeletSelector", kubeletJob)
          .withJob("kubeStateMetricsSelector", kubeStateMetricsJob)
          .withJob("nodeExporterSelector", nodeExporterJob)
          .withJob("kubeApiserverSelector", kubeApiserverJob)
          .withJob("kubeProxySelector", kubeProxyJob)
          .withCluster(clusterLabel, multiCluster);
    }

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        Map<String, String> files = starter().files();
        for (String f : files.keySet()) {
          if (Files.exists(dir.resolve(f)) && !force) {
            throw new IllegalArgumentException(dir.resolve(f) + " exists (use --force to overwrite)");
          }
        }
        Files.createDirectories(dir);
        for (var e : files.entrySet()) {
          Files.writeString(dir.resolve(e.getKey()), e.getValue());
          spec.commandLine().getOut().println("wrote " + dir.resolve(e.getKey()));
        }
        spec.commandLine().getOut().println("next: vigil mixin vendor && vigil mixin build");
        spec.commandLine().getOut().flush();
        return 0;
      });
    }
  }

  /** Options shared by vendor and update. */
  static final class VendorOptions {
    @Option(names = {"-d", "--dir"}, defaultValue = ".", description = "Project folder with jsonnetfile.json.")
    Path dir;

    @Option(names = "--vendor", description = "Vendor folder (default: DIR/vendor).")
    Path vendor;

    @Option(names = "--mirror", paramLabel = "PREFIX=URL",
        description = "Fetch remotes starting with PREFIX from URL instead (git's insteadOf), "
            + "e.g. https://github.com/=file:///srv/mirror/github.com/. Repeatable.")
    Map<String, String> mirrors = new LinkedHashMap<>();

    Vendorer vendorer() {
      return new Vendorer(dir, vendor != null ? vendor : dir.resolve("vendor"), mirrors);
    }
  }

  static void report(CommandLine.Model.CommandSpec spec, List<Dependency> locked) {
    PrintWriter out = spec.commandLine().getOut();
    for (Dependency d : locked) {
      out.println(d.name() + " " + (d.version().isEmpty() ? "(local)" : d.version()));
    }
    out.flush();
  }

  @Command(name = "vendor", aliases = "install",
      description = "Install dependencies at the lock file's commits into vendor/ (jb install).")
  static final class Vendor implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin VendorOptions options = new VendorOptions();

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        report(spec, options.vendorer().install().locked());
        return 0;
      });
    }
  }

  @Command(name = "update", description = "Move dependencies to the newest commit of their version (jb update).")
  static final class Update implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin VendorOptions options = new VendorOptions();

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Packages to update (vendor path or short name); all if none.")
    List<String> names = List.of();

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        report(spec, options.vendorer().update(Set.copyOf(names)).locked());
        return 0;
      });
    }
  }

  @Command(name = "build", description = "Render the mixin: alerts.yaml, rules.yaml, dashboards/, rules/, manifests/.")
  static final class Build implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MIXIN_FILE", defaultValue = "mixin.libsonnet")
    Path mixinFile;

    @Option(names = "--vendor", defaultValue = "vendor", description = "Import folder (default: vendor).")
    Path vendor;

    @Option(names = {"-o", "--output"}, defaultValue = "build", description = "Output folder (default: build).")
    Path out;

    @Option(names = "--name", description = "Mixin name in manifest names (default: the project folder's name).")
    String name;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        String n = name != null ? name : defaultName(mixinFile);
        var r = new MixinBuilder(new JsonnetEngine(List.of(vendor)))
            .build(new BuildOptions(mixinFile, List.of(vendor), out, n));
        spec.commandLine().getOut().println("wrote " + r.files().size() + " files to " + out + " ("
            + r.dashboards() + " dashboards)");
        spec.commandLine().getOut().flush();
        return 0;
      });
    }

    private static String defaultName(Path mixinFile) throws IOException {
      Path dir = mixinFile.toAbsolutePath().normalize().getParent();
      String base = dir == null || dir.getFileName() == null ? "mixin" : dir.getFileName().toString();
      String n = base.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
      return n.isEmpty() ? "mixin" : n;
    }
  }

  @Command(name = "lint", description = "Render in memory and run mixtool's lint rules and `vigil check rules`.")
  static final class Lint implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MIXIN_FILE", defaultValue = "mixin.libsonnet")
    Path mixinFile;

    @Option(names = "--vendor", defaultValue = "vendor", description = "Import folder (default: vendor).")
    Path vendor;

    @Option(names = "--enable-experimental-promql", description = "Accept experimental PromQL in rules.")
    boolean experimental;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        var files = new MixinBuilder(new JsonnetEngine(List.of(vendor)))
            .render(new BuildOptions(mixinFile, List.of(vendor), Path.of("build"), "mixin"));
        List<Finding> findings = new MixinLinter(experimental ? ParserOptions.ALL_FEATURES : ParserOptions.DEFAULT)
            .lint(files);
        PrintWriter out = spec.commandLine().getOut();
        findings.forEach(out::println);
        long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
        out.println(errors + " errors, " + (findings.size() - errors) + " warnings");
        out.flush();
        return errors > 0 ? 1 : 0;
      });
    }
  }

  @Command(name = "test", description = "Render the rules and run the mixin's rule unit tests (promtool format).")
  static final class Test implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TEST_FILE", description = "Test files (default: tests/*.yaml beside the mixin).")
    List<Path> tests = List.of();

    @Option(names = "--mixin", defaultValue = "mixin.libsonnet", description = "Mixin file (default: mixin.libsonnet).")
    Path mixinFile;

    @Option(names = "--vendor", defaultValue = "vendor", description = "Import folder (default: vendor).")
    Path vendor;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        Path project = mixinFile.toAbsolutePath().normalize().getParent();
        List<Path> files = tests;
        if (files.isEmpty()) {
          Path dir = project.resolve("tests");
          if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no test files given and no tests/ folder in " + project);
          }
          try (var s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
          }
        }
        var rendered = new MixinBuilder(new JsonnetEngine(List.of(vendor)))
            .render(new BuildOptions(mixinFile, List.of(vendor), Path.of("build"), "mixin"));
        return MixinTester.run(project, rendered, files, spec.commandLine().getOut()).exitCode();
      });
    }
  }

  /** Options of diff and apply: what to render and which ruler namespace to compare with. */
  static final class SyncOptions {
    @Parameters(arity = "0..1", paramLabel = "MIXIN_FILE", defaultValue = "mixin.libsonnet")
    Path mixinFile;

    @Option(names = "--vendor", defaultValue = "vendor", description = "Import folder (default: vendor).")
    Path vendor;

    @Option(names = "--url", description = "Ruler base URL (Mimir or Vigil), e.g. http://localhost:9009.")
    URI url;

    @Option(names = "--grafana-url", description = "Grafana base URL; dashboards go to a folder named like the namespace.")
    URI grafanaUrl;

    @Option(names = "--grafana-token", defaultValue = "${env:GRAFANA_TOKEN}",
        description = "Grafana service-account token (default: $GRAFANA_TOKEN).")
    String grafanaToken;

    @Option(names = "--tenant", description = "Tenant sent as X-Scope-OrgID.")
    String tenant;

    @Option(names = "--namespace", description = "Ruler namespace (default: the mixin folder's name).")
    String namespace;

    String namespace() {
      if (namespace != null) {
        return namespace;
      }
      Path dir = mixinFile.toAbsolutePath().normalize().getParent();
      return dir == null || dir.getFileName() == null ? "mixin" : dir.getFileName().toString();
    }

    Map<String, String> render() {
      if (url == null && grafanaUrl == null) {
        throw new IllegalArgumentException("give --url (ruler) and/or --grafana-url");
      }
      return new MixinBuilder(new JsonnetEngine(List.of(vendor)))
          .render(new BuildOptions(mixinFile, List.of(vendor), Path.of("build"), "mixin"));
    }

    static Map<String, String> dashboards(Map<String, String> rendered) {
      Map<String, String> d = new LinkedHashMap<>();
      rendered.forEach((f, c) -> {
        if (f.startsWith("dashboards/")) {
          d.put(f.substring("dashboards/".length()), c);
        }
      });
      return d;
    }

    /** Runs the ruler and Grafana parts; {@code apply} false only compares. */
    int run(CommandLine.Model.CommandSpec spec, boolean apply) throws Exception {
      Map<String, String> rendered = render();
      PrintWriter out = spec.commandLine().getOut();
      if (url != null) {
        RulerSync ruler = RulerSync.of(url, tenant);
        Map<String, String> groups = RulerSync.groupsOf(rendered);
        var diffs = apply ? ruler.apply(namespace(), groups) : ruler.diff(namespace(), groups);
        diffs.forEach(d -> out.println("rules " + d));
        out.println("ruler namespace " + namespace() + ": " + (diffs.isEmpty() ? "up to date"
            : (apply ? "applied " : "") + diffs.size() + " group change(s)"));
      }
      if (grafanaUrl != null) {
        GrafanaSync grafana = GrafanaSync.of(grafanaUrl, grafanaToken == null || grafanaToken.isEmpty() ? null : grafanaToken);
        Map<String, String> ds = dashboards(rendered);
        var diffs = apply ? grafana.apply(namespace(), ds) : grafana.diff(ds);
        diffs.forEach(d -> out.println("dashboard " + d));
        out.println("grafana folder " + namespace() + ": " + (diffs.isEmpty() ? "up to date"
            : (apply ? "applied " : "") + diffs.size() + " dashboard change(s)"));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "diff", description = "Compare the mixin's rule groups and dashboards with a ruler namespace and a Grafana folder.")
  static final class Diff implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin SyncOptions options = new SyncOptions();

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> options.run(spec, false));
    }
  }

  @Command(name = "apply", description = "Make a ruler namespace and a Grafana folder equal to the mixin's rule groups and dashboards.")
  static final class Apply implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin SyncOptions options = new SyncOptions();

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> options.run(spec, true));
    }
  }
}
