package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.mixin.json.Json;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.BuildInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code vigil mixin} end to end through the CLI: {@code init} writes the starter, {@code vendor}
 * installs the real kubernetes-mixin and its dependencies from a local Git mirror, then
 * {@code build}, {@code lint}, {@code test}, and {@code diff}/{@code apply} against a real
 * {@link VigilServer}'s ruler config API on a loopback port.
 */
class MixinCommandTest {
  @TempDir static Path tmp;
  static Path project;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = Main.commandLine(args);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void initAndVendor() throws Exception {
    String mirror = UpstreamGitMirror.build(tmp.resolve("mirror"));
    project = tmp.resolve("k8s");
    Run init = run("mixin", "init", "-d", project.toString());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("wrote " + project.resolve("mixin.libsonnet"));
    assertThat(Files.readString(project.resolve("mixin.libsonnet")))
        .contains("cadvisorSelector: 'job=\"integrations/kubernetes/cadvisor\"'");
    assertThat(run("mixin", "init", "-d", project.toString()).err()).contains("exists (use --force to overwrite)");

    Run vendor = run("mixin", "vendor", "-d", project.toString(), "--mirror", mirror);
    assertThat(vendor.code()).as(vendor.err()).isZero();
    assertThat(vendor.out()).contains("github.com/kubernetes-monitoring/kubernetes-mixin ")
        .contains("github.com/grafana/grafonnet/gen/grafonnet-v11.1.0 ").contains("github.com/jsonnet-libs/xtd ");
    assertThat(project.resolve("jsonnetfile.lock.json")).isRegularFile();
  }

  private static String mixin() {
    return project.resolve("mixin.libsonnet").toString();
  }

  private static String vendor() {
    return project.resolve("vendor").toString();
  }

  @Test
  void buildLintAndTestTheStarter() throws Exception {
    Path out = project.resolve("build");
    Run build = run("mixin", "build", "--vendor", vendor(), "-o", out.toString(), mixin());
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.out()).contains("(23 dashboards)");
    String alerts = Files.readString(out.resolve("alerts.yaml"));
    assertThat(alerts).contains("job=\"integrations/kubernetes/kubelet\"").doesNotContain("job=\"kubelet\"");
    assertThat(out.resolve("manifests/prometheusrule-k8s-alerts.yaml")).isRegularFile();
    assertThat(out.resolve("rules/k8s/kubernetes-apps.yaml")).isRegularFile();

    Run lint = run("mixin", "lint", "--vendor", vendor(), mixin());
    assertThat(lint.code()).as(lint.out() + lint.err()).isZero();
    assertThat(lint.out()).contains("0 errors");

    // A rule test written for the collector's job names: the recording rule sees the cAdvisor
    // series scraped as integrations/kubernetes/cadvisor and ignores the same series under the
    // mixin's default job name.
    Path tests = Files.createDirectories(project.resolve("tests"));
    Files.writeString(tests.resolve("collector-jobs-test.yaml"), """
        rule_files:
          - ../prometheus_rules.yaml
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'container_cpu_usage_seconds_total{job="integrations/kubernetes/cadvisor",cluster="c1",namespace="ns",pod="p0",container="app",image="i",id="/x"}'
                values: '0+6x10'
              - series: 'container_cpu_usage_seconds_total{job="cadvisor",cluster="c1",namespace="ns",pod="p1",container="app",image="i",id="/y"}'
                values: '0+6x10'
              - series: 'kube_pod_info{job="integrations/kubernetes/kube-state-metrics",cluster="c1",namespace="ns",pod="p0",node="n1"}'
                values: '1x10'
              - series: 'kube_pod_info{job="integrations/kubernetes/kube-state-metrics",cluster="c1",namespace="ns",pod="p1",node="n1"}'
                values: '1x10'
            promql_expr_test:
              - eval_time: 10m
                expr: node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m
                exp_samples:
                  - value: 0.1
                    labels: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m{cluster="c1",namespace="ns",pod="p0",container="app",node="n1"}'
        """);
    Run test = run("mixin", "test", "--mixin", mixin(), "--vendor", vendor());
    assertThat(test.code()).as(test.out() + test.err()).isZero();
    assertThat(test.out()).contains("1 passed, 0 failed");

    // The same test against the mixin's default job name fails: the selectors are what changed.
    Files.writeString(tests.resolve("collector-jobs-test.yaml"),
        Files.readString(tests.resolve("collector-jobs-test.yaml")).replace("pod=\"p0\",container=\"app\",node", "pod=\"p1\",container=\"app\",node"));
    Run failing = run("mixin", "test", "--mixin", mixin(), "--vendor", vendor());
    assertThat(failing.code()).isEqualTo(1);
    assertThat(failing.out()).contains("0 passed, 1 failed");
    Files.delete(tests.resolve("collector-jobs-test.yaml"));
  }

  @Test
  void initOptionsReachTheStarterFiles() throws Exception {
    Path dir = tmp.resolve("init-options");
    Run r = run("mixin", "init", "-d", dir.toString(), "--kubelet-job", "kubernetes/kubelet", "--cluster-label", "k8s_cluster",
        "--multi-cluster", "--source", "https://github.com/acme/mixins.git", "--source-subdir", "k8s", "--source-version", "v2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(dir.resolve("mixin.libsonnet")))
        .contains("(import 'github.com/acme/mixins/k8s/mixin.libsonnet')")
        .contains("kubeletSelector: 'job=\"kubernetes/kubelet\"'")
        .contains("cadvisorSelector: 'job=\"integrations/kubernetes/cadvisor\"'")
        .contains("clusterLabel: 'k8s_cluster'").contains("showMultiCluster: true");
    assertThat(Files.readString(dir.resolve("jsonnetfile.json"))).contains("\"remote\": \"https://github.com/acme/mixins.git\"")
        .contains("\"subdir\": \"k8s\"").contains("\"version\": \"v2\"");

    Run bad = run("mixin", "init", "-d", tmp.resolve("bad").toString(), "--cluster-label", "k8s-cluster");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("cluster label 'k8s-cluster' is not a Prometheus label name");
    assertThat(tmp.resolve("bad/mixin.libsonnet")).doesNotExist();
  }

  /**
   * {@code diff} and {@code apply} against Vigil's own ruler: a namespace holding one stale group
   * and one outdated mixin group, another namespace and another tenant that must stay untouched.
   */
  @Test
  void diffAndApplyAgainstVigilsRuler() throws Exception {
    ServerConfig config = ServerConfig.defaults(tmp.resolve("server")).withListen("127.0.0.1", 0);
    try (VigilServer server = VigilServer.start(config, new BuildInfo("test", "", "", "", true, false));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      String base = "http://127.0.0.1:" + server.port();
      post(http, base, "team-a", "k8s", "name: stale-group\nrules:\n  - record: a:b:c\n    expr: sum(up)\n");
      post(http, base, "team-a", "k8s", "name: kubernetes-apps\nrules:\n  - alert: Old\n    expr: up == 0\n");
      post(http, base, "team-a", "other", "name: keep-me\nrules:\n  - record: x:y:z\n    expr: sum(up)\n");
      post(http, base, "team-b", "k8s", "name: team-b-group\nrules:\n  - record: x:y:z\n    expr: sum(up)\n");

      String[] sync = {"--url", base, "--tenant", "team-a", "--namespace", "k8s", "--vendor", vendor(), mixin()};
      Run diff = run(concat("mixin", "diff", sync));
      assertThat(diff.code()).as(diff.err()).isZero();
      List<String> changes = diff.out().lines().filter(l -> l.startsWith("rules ")).toList();
      assertThat(changes).contains("rules ~ kubernetes-apps (changed)", "rules - stale-group (not in the mixin)",
          "rules + kubelet.rules (new)", "rules + kubernetes-system-kubelet (new)");
      // 10 alert groups and 16 recording groups: 25 new, 1 changed, 1 deleted.
      assertThat(changes).hasSize(27);
      assertThat(changes.stream().filter(l -> l.startsWith("rules + "))).hasSize(25);
      assertThat(diff.out()).contains("ruler namespace k8s: 27 group change(s)");
      assertThat(groupNames(http, base, "team-a", "k8s")).containsExactly("kubernetes-apps", "stale-group");

      Run apply = run(concat("mixin", "apply", sync));
      assertThat(apply.code()).as(apply.err()).isZero();
      assertThat(apply.out()).contains("ruler namespace k8s: applied 27 group change(s)");

      Run again = run(concat("mixin", "diff", sync));
      assertThat(again.out()).contains("ruler namespace k8s: up to date");
      assertThat(again.out().lines().filter(l -> l.startsWith("rules "))).isEmpty();

      // The namespace now holds exactly the mixin's groups, with the mixin's bodies.
      Path built = tmp.resolve("sync-build");
      assertThat(run("mixin", "build", "--vendor", vendor(), "-o", built.toString(), mixin()).code()).isZero();
      Set<String> rendered = new TreeSet<>();
      Load yaml = new Load(LoadSettings.builder().build());
      try (var s = Files.list(built.resolve("rules/k8s"))) {
        for (Path f : s.toList()) {
          rendered.add((String) ((Map<?, ?>) yaml.loadFromString(Files.readString(f))).get("name"));
        }
      }
      assertThat(rendered).hasSize(26);
      assertThat(new TreeSet<>(groupNames(http, base, "team-a", "k8s"))).isEqualTo(rendered);
      assertThat(groupNames(http, base, "team-a", "other")).containsExactly("keep-me");
      assertThat(groupNames(http, base, "team-b", "k8s")).containsExactly("team-b-group");

      // The ruler loaded them: Prometheus's rules API lists every group of the namespace.
      HttpResponse<String> rules = get(http, base + "/api/v1/rules", "team-a");
      assertThat(rules.statusCode()).isEqualTo(200);
      Set<String> live = new TreeSet<>();
      int alerting = 0;
      for (Object g : (List<?>) ((Map<?, ?>) ((Map<?, ?>) Json.parse(rules.body(), "rules")).get("data")).get("groups")) {
        Map<?, ?> gm = (Map<?, ?>) g;
        if ("k8s".equals(gm.get("file"))) {
          live.add((String) gm.get("name"));
          for (Object r : (List<?>) gm.get("rules")) {
            alerting += "alerting".equals(((Map<?, ?>) r).get("type")) ? 1 : 0;
          }
        }
      }
      assertThat(live).isEqualTo(rendered);
      assertThat(alerting).isEqualTo(65);

      Run unreachable = run("mixin", "diff", "--url", "http://127.0.0.1:1", "--vendor", vendor(), mixin());
      assertThat(unreachable.code()).isEqualTo(1);
      assertThat(unreachable.err()).contains("cannot reach the ruler at http://127.0.0.1:1");
    }
  }

  private static String[] concat(String a, String b, String[] rest) {
    List<String> l = new ArrayList<>(List.of(a, b));
    l.addAll(List.of(rest));
    return l.toArray(String[]::new);
  }

  private static HttpResponse<String> get(HttpClient http, String url, String tenant) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Scope-OrgID", tenant)
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void post(HttpClient http, String base, String tenant, String namespace, String group) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus/config/v1/rules/" + namespace))
        .header("X-Scope-OrgID", tenant).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(group)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  /** Group names of a namespace in the ruler config API, in the server's order. */
  private static List<String> groupNames(HttpClient http, String base, String tenant, String namespace) throws Exception {
    HttpResponse<String> r = get(http, base + "/prometheus/config/v1/rules/" + namespace, tenant);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(r.body());
    List<String> names = new ArrayList<>();
    for (Object g : (List<?>) ((Map<?, ?>) doc).get(namespace)) {
      names.add((String) ((Map<?, ?>) g).get("name"));
    }
    return names;
  }
}
