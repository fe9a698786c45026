package dev.vigil.collector.config;

import dev.vigil.collector.relabel.Action;
import dev.vigil.collector.relabel.InvalidRelabelConfigException;
import dev.vigil.collector.relabel.NameValidation;
import dev.vigil.collector.relabel.RelabelConfig;
import dev.vigil.collector.relabel.RelabelRegex;
import dev.vigil.model.labels.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a Prometheus configuration file strictly: the same fields, defaults and validation
 * messages as Prometheus, plus the YAML position of every error. Fields Prometheus knows but the
 * collector does not use (rule_files, alerting, ...) are accepted; service discoveries we do not
 * implement are refused by name rather than silently ignored.
 */
public final class ConfigLoader {
  private static final Set<String> UNSUPPORTED_SD = Set.of(
      "azure_sd_configs", "consul_sd_configs", "digitalocean_sd_configs", "docker_sd_configs",
      "dockerswarm_sd_configs", "dns_sd_configs", "ec2_sd_configs", "eureka_sd_configs", "gce_sd_configs",
      "hetzner_sd_configs", "http_sd_configs", "ionos_sd_configs", "kuma_sd_configs", "lightsail_sd_configs",
      "linode_sd_configs", "marathon_sd_configs", "nerve_sd_configs", "nomad_sd_configs",
      "openstack_sd_configs", "ovhcloud_sd_configs", "puppetdb_sd_configs", "scaleway_sd_configs",
      "serverset_sd_configs", "stackit_sd_configs", "triton_sd_configs", "uyuni_sd_configs",
      "vultr_sd_configs");

  private ConfigLoader() {}

  public static PrometheusConfig load(Path file) {
    try {
      return load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  /** @throws ConfigException with the position of the first problem */
  public static PrometheusConfig load(String yaml) {
    Node root;
    try {
      root = new Compose(LoadSettings.builder().setLabel("config").build()).composeString(yaml).orElse(null);
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().orElse(null);
      throw new ConfigException(m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
          "yaml: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ConfigException(0, 0, "yaml: " + e.getMessage());
    }
    YamlMap top = new YamlMap(root, "config.Config");
    GlobalConfig global = global(top.get("global"));
    List<ScrapeConfig> jobs = top.list("scrape_configs", n -> scrapeConfig(n, global), "empty or null scrape config section");
    Set<String> names = new HashSet<>();
    for (ScrapeConfig j : jobs) {
      if (!names.add(j.jobName())) {
        throw YamlMap.error(top.keyNode("scrape_configs"), "found multiple scrape configs with job name " + q(j.jobName()));
      }
    }
    List<RemoteWriteConfig> rw = top.list("remote_write", n -> remoteWrite(n, global), "empty or null remote write config section");
    Set<String> rwNames = new HashSet<>();
    for (RemoteWriteConfig r : rw) {
      if (!r.name().isEmpty() && !rwNames.add(r.name())) {
        throw YamlMap.error(top.keyNode("remote_write"), "found multiple remote write configs with job name " + q(r.name()));
      }
    }
    if (top.has("scrape_config_files")) {
      throw YamlMap.error(top.keyNode("scrape_config_files"), "scrape_config_files is not supported yet");
    }
    top.ignore("rule_files", "alerting", "remote_read", "storage", "tracing", "otlp", "runtime", "scrape_config_files");
    top.finish();
    return new PrometheusConfig(global, jobs, rw);
  }

  // ---- global ----

  static GlobalConfig global(Node node) {
    YamlMap m = new YamlMap(node, "config.GlobalConfig");
    GlobalConfig d = GlobalConfig.DEFAULT;
    Duration interval = m.duration("scrape_interval", Duration.ZERO);
    Duration timeout = m.duration("scrape_timeout", Duration.ZERO);
    if (interval.isZero()) {
      interval = d.scrapeInterval();
    }
    if (timeout.compareTo(interval) > 0) {
      throw YamlMap.error(m.keyNode("scrape_timeout"), "global scrape timeout greater than scrape interval");
    }
    if (timeout.isZero()) {
      timeout = min(d.scrapeTimeout(), interval);
    }
    Duration eval = m.duration("evaluation_interval", Duration.ZERO);
    if (eval.isZero()) {
      eval = d.evaluationInterval();
    }
    List<ScrapeProtocol> protocols = protocols(m, "scrape_protocols", " for global config");
    Labels external = labels(m, "external_labels");
    NameValidation scheme = validation(m, "global", NameValidation.UTF8);
    GlobalConfig g = new GlobalConfig(interval, timeout, eval, protocols, external,
        m.byteSize("body_size_limit", 0), m.unsigned("sample_limit", 0), m.unsigned("label_limit", 0),
        m.unsigned("label_name_length_limit", 0), m.unsigned("label_value_length_limit", 0),
        m.unsigned("target_limit", 0), scheme, m.bool("scrape_native_histograms", false),
        m.bool("always_scrape_classic_histograms", false), m.unsigned("keep_dropped_targets", 0),
        m.bool("convert_classic_histograms_to_nhcb", false));
    m.ignore("rule_query_offset", "query_log_file", "scrape_failure_log_file",
        "metric_name_escaping_scheme", "extra_scrape_metrics");
    m.finish();
    return g;
  }

  // ---- scrape_configs ----

  static ScrapeConfig scrapeConfig(Node node, GlobalConfig g) {
    YamlMap m = new YamlMap(node, "config.ScrapeConfig");
    String job = m.string("job_name", "");
    if (job.isEmpty()) {
      throw YamlMap.error(node, "job_name is empty");
    }
    for (String key : UNSUPPORTED_SD) {
      if (m.has(key)) {
        throw YamlMap.error(m.keyNode(key), key + " is not supported yet (job " + q(job) + ")");
      }
    }
    NameValidation scheme = validation(m, "scrape config", g.metricNameValidation());
    Duration interval = m.duration("scrape_interval", Duration.ZERO);
    if (interval.isZero()) {
      interval = g.scrapeInterval();
    }
    Duration timeout = m.duration("scrape_timeout", Duration.ZERO);
    if (timeout.compareTo(interval) > 0) {
      throw YamlMap.error(m.keyNode("scrape_timeout"),
          "scrape timeout greater than scrape interval for scrape config with job name " + q(job));
    }
    if (timeout.isZero()) {
      timeout = min(g.scrapeTimeout(), interval);
    }
    List<ScrapeProtocol> protocols = protocols(m, "scrape_protocols", " for scrape config with job name " + q(job));
    boolean scrapeNative = m.bool("scrape_native_histograms", g.scrapeNativeHistograms());
    if (protocols.isEmpty()) {
      // Prometheus 3: an explicit global list wins over the job's native-histogram default.
      protocols = !g.scrapeProtocols().isEmpty() ? g.scrapeProtocols()
          : scrapeNative ? ScrapeProtocol.PROTO_FIRST : ScrapeProtocol.DEFAULT;
    }
    ScrapeProtocol fallback = null;
    Node fb = m.get("fallback_scrape_protocol");
    if (fb != null) {
      try {
        fallback = ScrapeProtocol.parse(YamlMap.scalarText(fb, "fallback_scrape_protocol"));
      } catch (IllegalArgumentException e) {
        throw YamlMap.error(fb, "invalid fallback_scrape_protocol for scrape config with job name " + q(job) + ": " + e.getMessage());
      }
    }
    String schemeName = m.string("scheme", "http");
    if (!schemeName.equals("http") && !schemeName.equals("https")) {
      throw YamlMap.error(m.keyNode("scheme"), "invalid scheme " + q(schemeName) + " for scrape config with job name " + q(job));
    }
    Map<String, List<String>> params = params(m);
    HttpClientConfig http = httpClient(m);
    List<RelabelConfig> relabel = m.list("relabel_configs", n -> relabel(n, scheme),
        "empty or null target relabeling rule in scrape config");
    List<RelabelConfig> metricRelabel = m.list("metric_relabel_configs", n -> relabel(n, scheme),
        "empty or null metric relabeling rule in scrape config");
    List<StaticConfig> statics = m.list("static_configs", n -> staticConfig(n, relabel.isEmpty()), "empty or null static config");
    List<FileSdConfig> files = m.list("file_sd_configs", ConfigLoader::fileSd, "empty or null file_sd config");
    List<KubernetesSdConfig> kube = m.list("kubernetes_sd_configs", ConfigLoader::kubernetesSd, "empty or null kubernetes_sd config");
    ScrapeConfig c = new ScrapeConfig(job,
        m.bool("honor_labels", false),
        m.bool("honor_timestamps", true),
        m.bool("track_timestamps_staleness", false),
        params, interval, timeout, protocols, fallback,
        m.string("metrics_path", "/metrics"),
        schemeName,
        m.bool("enable_compression", true),
        or(m.byteSize("body_size_limit", 0), g.bodySizeLimit()),
        or(m.unsigned("sample_limit", 0), g.sampleLimit()),
        or(m.unsigned("target_limit", 0), g.targetLimit()),
        or(m.unsigned("label_limit", 0), g.labelLimit()),
        or(m.unsigned("label_name_length_limit", 0), g.labelNameLengthLimit()),
        or(m.unsigned("label_value_length_limit", 0), g.labelValueLengthLimit()),
        scheme, scrapeNative,
        m.bool("always_scrape_classic_histograms", g.alwaysScrapeClassicHistograms()),
        m.bool("convert_classic_histograms_to_nhcb", g.convertClassicHistogramsToNhcb()),
        or(m.unsigned("keep_dropped_targets", 0), g.keepDroppedTargets()),
        http, statics, files, kube, relabel, metricRelabel);
    m.ignore("native_histogram_bucket_limit", "native_histogram_min_bucket_factor",
        "scrape_failure_log_file", "metric_name_escaping_scheme", "extra_scrape_metrics");
    m.finish();
    return c;
  }

  private static Map<String, List<String>> params(YamlMap m) {
    Node n = m.get("params");
    if (n == null) {
      return Map.of();
    }
    YamlMap pm = new YamlMap(n, "url.Values");
    Map<String, List<String>> out = new LinkedHashMap<>();
    // url.Values is map[string][]string: every key is a field of its own.
    Map<String, String> keys = new LinkedHashMap<>();
    collectKeys(n, keys);
    for (String k : keys.keySet()) {
      out.put(k, pm.strings(k));
    }
    pm.finish();
    return out;
  }

  private static void collectKeys(Node mapping, Map<String, String> into) {
    if (mapping instanceof MappingNode mn) {
      for (var t : mn.getValue()) {
        into.put(YamlMap.scalarText(t.getKeyNode(), "key"), "");
      }
    }
  }

  static HttpClientConfig httpClient(YamlMap m) {
    HttpClientConfig.OAuth2 oauth2 = m.has("oauth2") ? oauth2(m.get("oauth2")) : null;
    HttpClientConfig.BasicAuth basic = null;
    Node bn = m.get("basic_auth");
    if (bn != null) {
      YamlMap b = new YamlMap(bn, "config.BasicAuth");
      basic = new HttpClientConfig.BasicAuth(b.string("username", ""), b.string("username_file", ""),
          b.string("password", ""), b.string("password_file", ""));
      b.ignore("username_ref", "password_ref");
      b.finish();
      if (!basic.password().isEmpty() && !basic.passwordFile().isEmpty()) {
        throw YamlMap.error(bn, "at most one of basic_auth password, password_file & password_ref must be configured");
      }
      if (!basic.username().isEmpty() && !basic.usernameFile().isEmpty()) {
        throw YamlMap.error(bn, "at most one of basic_auth username, username_file & username_ref must be configured");
      }
    }
    HttpClientConfig.Authorization auth = null;
    Node an = m.get("authorization");
    if (an != null) {
      YamlMap a = new YamlMap(an, "config.Authorization");
      String type = a.string("type", "Bearer");
      auth = new HttpClientConfig.Authorization(type.isEmpty() ? "Bearer" : type, a.string("credentials", ""),
          a.string("credentials_file", ""));
      a.ignore("credentials_ref");
      a.finish();
      if (auth.type().equalsIgnoreCase("basic")) {
        throw YamlMap.error(an, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      if (!auth.credentials().isEmpty() && !auth.credentialsFile().isEmpty()) {
        throw YamlMap.error(an, "at most one of authorization credentials & credentials_file must be configured");
      }
    }
    String bearer = m.string("bearer_token", "");
    String bearerFile = m.string("bearer_token_file", "");
    if (!bearer.isEmpty() || !bearerFile.isEmpty()) {
      if (!bearer.isEmpty() && !bearerFile.isEmpty()) {
        throw YamlMap.error(m.keyNode("bearer_token_file"), "at most one of bearer_token & bearer_token_file must be configured");
      }
      if (basic != null || oauth2 != null) {
        throw YamlMap.error(m.keyNode(basic != null ? "basic_auth" : "oauth2"),
            "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
      }
      if (auth != null) {
        throw YamlMap.error(m.keyNode("authorization"), "authorization is not compatible with bearer_token & bearer_token_file");
      }
      auth = new HttpClientConfig.Authorization("Bearer", bearer, bearerFile);
    }
    if ((basic != null ? 1 : 0) + (auth != null ? 1 : 0) + (oauth2 != null ? 1 : 0) > 1) {
      throw YamlMap.error(m.keyNode(oauth2 != null ? "oauth2" : "authorization"),
          "at most one of basic_auth, oauth2 & authorization must be configured");
    }
    HttpClientConfig.TlsConfig tls = tlsConfig(m.get("tls_config"));
    HttpClientConfig c = new HttpClientConfig(basic, auth, tls, m.string("proxy_url", ""),
        m.bool("follow_redirects", true), m.bool("enable_http2", true), m.stringMap("http_headers"), oauth2);
    m.ignore("no_proxy", "proxy_from_environment", "proxy_connect_header");
    return c;
  }

  private static HttpClientConfig.TlsConfig tlsConfig(Node tn) {
    if (tn == null) {
      return HttpClientConfig.TlsConfig.DEFAULT;
    }
    YamlMap t = new YamlMap(tn, "config.TLSConfig");
    HttpClientConfig.TlsConfig tls = new HttpClientConfig.TlsConfig(t.string("ca_file", ""), t.string("cert_file", ""),
        t.string("key_file", ""), t.string("server_name", ""), t.bool("insecure_skip_verify", false),
        t.string("min_version", ""));
    t.ignore("ca", "cert", "key", "ca_ref", "cert_ref", "key_ref", "max_version");
    t.finish();
    return tls;
  }

  /** Prometheus common's {@code OAuth2} with its {@code Validate} checks. */
  private static HttpClientConfig.OAuth2 oauth2(Node node) {
    YamlMap o = new YamlMap(node, "config.OAuth2");
    String clientId = o.string("client_id", "");
    String secret = o.string("client_secret", "");
    String secretFile = o.string("client_secret_file", "");
    if (o.has("client_secret_ref")) {
      throw YamlMap.error(o.keyNode("client_secret_ref"), "client_secret_ref is not supported (there is no secret manager)");
    }
    List<String> scopes = o.strings("scopes");
    String tokenUrl = o.string("token_url", "");
    Map<String, String> params = o.stringMap("endpoint_params");
    HttpClientConfig.TlsConfig tls = tlsConfig(o.get("tls_config"));
    String proxy = o.string("proxy_url", "");
    o.ignore("no_proxy", "proxy_from_environment", "proxy_connect_header");
    o.finish();
    if (clientId.isEmpty()) {
      throw YamlMap.error(node, "oauth2 client_id must be configured");
    }
    if (tokenUrl.isEmpty()) {
      throw YamlMap.error(node, "oauth2 token_url must be configured");
    }
    if (!secret.isEmpty() && !secretFile.isEmpty()) {
      throw YamlMap.error(o.keyNode("client_secret_file"),
          "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured");
    }
    try {
      java.net.URI u = new java.net.URI(tokenUrl);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
        throw YamlMap.error(o.keyNode("token_url"), "oauth2 token_url " + q(tokenUrl) + " must be an absolute http(s) URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw YamlMap.error(o.keyNode("token_url"), "oauth2 token_url " + q(tokenUrl) + " is not a URL: " + e.getMessage());
    }
    if (!scopes.isEmpty() && params.containsKey("scope")) {
      // golang.org/x/oauth2 refuses this at token time ("cannot overwrite parameter"); say so now.
      throw YamlMap.error(o.keyNode("endpoint_params"), "oauth2 endpoint_params cannot overwrite parameter \"scope\" set by scopes");
    }
    return new HttpClientConfig.OAuth2(clientId, secret, secretFile, scopes, tokenUrl, params, tls, proxy);
  }

  static RelabelConfig relabel(Node node, NameValidation scheme) {
    YamlMap m = new YamlMap(node, "relabel.Config");
    RelabelConfig.Builder b = RelabelConfig.builder().nameValidation(scheme);
    try {
      b.sourceLabels(m.strings("source_labels"));
      b.separator(m.string("separator", RelabelConfig.DEFAULT_SEPARATOR));
      if (m.has("regex")) {
        b.regex(RelabelRegex.compile(m.string("regex", "")));
      } else if (m.get("regex") != null || hasKey(m, "regex")) {
        // "regex:" with no value is Prometheus's empty regex, which matches only "".
        b.regex(RelabelRegex.compile(""));
      }
      b.modulus(m.unsigned("modulus", 0));
      b.targetLabel(m.string("target_label", ""));
      b.replacement(m.string("replacement", RelabelConfig.DEFAULT_REPLACEMENT));
      Node an = m.get("action");
      if (an != null) {
        b.action(Action.parse(YamlMap.scalarText(an, "action")));
      }
      m.finish();
      return b.build();
    } catch (InvalidRelabelConfigException e) {
      throw YamlMap.error(node, e.getMessage());
    }
  }

  private static boolean hasKey(YamlMap m, String key) {
    return m.keyNode(key) != m.node();
  }

  static StaticConfig staticConfig(Node node, boolean checkTargets) {
    YamlMap m = new YamlMap(node, "targetgroup.Group");
    List<String> targets = m.strings("targets");
    if (checkTargets) {
      for (String t : targets) {
        if (t.contains("/")) {
          throw YamlMap.error(m.keyNode("targets"), q(t) + " is not a valid hostname");
        }
      }
    }
    Labels labels = labels(m, "labels");
    m.finish();
    return new StaticConfig(targets, labels);
  }

  static FileSdConfig fileSd(Node node) {
    YamlMap m = new YamlMap(node, "file.SDConfig");
    List<String> files = m.strings("files");
    if (files.isEmpty()) {
      throw YamlMap.error(node, "file service discovery config must contain at least one path name");
    }
    for (String f : files) {
      if (!validFileSdName(f)) {
        throw YamlMap.error(m.keyNode("files"), "path name " + q(f) + " is not valid for file discovery");
      }
    }
    FileSdConfig c = new FileSdConfig(files, m.duration("refresh_interval", FileSdConfig.DEFAULT_REFRESH));
    m.finish();
    return c;
  }

  // Prometheus: ^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$
  private static boolean validFileSdName(String f) {
    String lower = f;
    boolean ext = lower.endsWith(".json") || lower.endsWith(".yml") || lower.endsWith(".yaml")
        || lower.endsWith(".JSON") || lower.endsWith(".YML") || lower.endsWith(".YAML");
    if (!ext) {
      return false;
    }
    int star = f.indexOf('*');
    return star < 0 || (f.indexOf('*', star + 1) < 0 && f.indexOf('/', star) < 0);
  }

  static KubernetesSdConfig kubernetesSd(Node node) {
    YamlMap m = new YamlMap(node, "kubernetes.SDConfig");
    String roleName = m.string("role", "");
    if (roleName.isEmpty()) {
      throw YamlMap.error(node, "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
    }
    KubernetesSdConfig.Role role = KubernetesSdConfig.Role.parse(roleName);
    if (role == null) {
      throw YamlMap.error(m.keyNode("role"), "unknown Kubernetes SD role " + q(roleName));
    }
    String api = m.string("api_server", "");
    String kubeconfig = m.string("kubeconfig_file", "");
    if (!api.isEmpty() && !kubeconfig.isEmpty()) {
      throw YamlMap.error(node, "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
    }
    boolean own = false;
    List<String> names = List.of();
    Node nn = m.get("namespaces");
    if (nn != null) {
      YamlMap ns = new YamlMap(nn, "kubernetes.NamespaceDiscovery");
      own = ns.bool("own_namespace", false);
      names = ns.strings("names");
      ns.finish();
    }
    Set<KubernetesSdConfig.Role> seen = new HashSet<>();
    List<KubernetesSdConfig.Selector> selectors = m.list("selectors", sn -> {
      YamlMap s = new YamlMap(sn, "kubernetes.SelectorConfig");
      KubernetesSdConfig.Role r = KubernetesSdConfig.Role.parse(s.string("role", ""));
      if (r == null) {
        throw YamlMap.error(sn, "unknown Kubernetes SD role " + q(s.string("role", "")));
      }
      if (!seen.add(r)) {
        throw YamlMap.error(sn, "duplicated selector role: " + r);
      }
      var sel = new KubernetesSdConfig.Selector(r, s.string("label", ""), s.string("field", ""));
      s.finish();
      return sel;
    }, "empty or null selector");
    boolean attachNode = false;
    boolean attachNs = false;
    Node am = m.get("attach_metadata");
    if (am != null) {
      YamlMap a = new YamlMap(am, "kubernetes.AttachMetadataConfig");
      attachNode = a.bool("node", false);
      attachNs = a.bool("namespace", false);
      a.finish();
    }
    if (m.has("oauth2")) {
      // fabric8's client takes a token or basic auth; fetching OAuth 2.0 tokens for it is not wired.
      throw YamlMap.error(m.keyNode("oauth2"), "oauth2 is not supported in kubernetes_sd_configs yet; use "
          + "authorization or bearer_token_file");
    }
    HttpClientConfig http = httpClient(m);
    m.finish();
    return new KubernetesSdConfig(role, api, kubeconfig, own, names, selectors, attachNode, attachNs, http);
  }

  static RemoteWriteConfig remoteWrite(Node node, GlobalConfig g) {
    YamlMap m = new YamlMap(node, "config.RemoteWriteConfig");
    String url = m.string("url", "");
    if (url.isEmpty()) {
      throw YamlMap.error(node, "url for remote_write is empty");
    }
    for (String k : new String[] {"sigv4", "azuread", "google_iam"}) {
      if (m.has(k)) {
        throw YamlMap.error(m.keyNode(k), k + " is not supported yet");
      }
    }
    List<RelabelConfig> wr = m.list("write_relabel_configs", n -> relabel(n, g.metricNameValidation()),
        "empty or null relabeling rule in remote write config");
    RemoteWriteConfig c = new RemoteWriteConfig(url, m.string("name", ""),
        m.duration("remote_timeout", Duration.ofSeconds(30)), m.stringMap("headers"),
        m.string("protobuf_message", "prometheus.WriteRequest"), m.bool("send_exemplars", false),
        m.bool("send_native_histograms", false), httpClient(m), wr, queueConfig(m.get("queue_config")),
        metadataConfig(m.get("metadata_config")));
    String pm = c.protobufMessage();
    if (!pm.equals("prometheus.WriteRequest") && !pm.equals("io.prometheus.write.v2.Request")) {
      throw YamlMap.error(m.keyNode("protobuf_message"), "unknown remote write protobuf message "
          + q(pm) + ", expected prometheus.WriteRequest or io.prometheus.write.v2.Request");
    }
    m.ignore("round_robin_dns");
    m.finish();
    return c;
  }

  static RemoteWriteConfig.MetadataConfig metadataConfig(Node node) {
    YamlMap m = new YamlMap(node, "config.MetadataConfig");
    RemoteWriteConfig.MetadataConfig d = RemoteWriteConfig.MetadataConfig.DEFAULT;
    boolean send = m.bool("send", d.send());
    Duration interval = m.duration("send_interval", d.sendInterval());
    long max = m.unsigned("max_samples_per_send", d.maxSamplesPerSend());
    if (max > Integer.MAX_VALUE) {
      throw YamlMap.error(m.get("max_samples_per_send"), "metadata_config: max_samples_per_send "
          + max + " is too large");
    }
    RemoteWriteConfig.MetadataConfig c;
    try {
      c = new RemoteWriteConfig.MetadataConfig(send, interval, (int) max);
    } catch (IllegalArgumentException e) {
      throw YamlMap.error(m.get(e.getMessage().contains("send_interval") ? "send_interval"
          : "max_samples_per_send"), e.getMessage());
    }
    m.finish();
    return c;
  }

  static RemoteWriteConfig.QueueConfig queueConfig(Node node) {
    YamlMap m = new YamlMap(node, "config.QueueConfig");
    RemoteWriteConfig.QueueConfig d = RemoteWriteConfig.QueueConfig.DEFAULT;
    int capacity = queueInt(m, "capacity", d.capacity());
    int maxShards = queueInt(m, "max_shards", d.maxShards());
    int minShards = queueInt(m, "min_shards", d.minShards());
    int maxPerSend = queueInt(m, "max_samples_per_send", d.maxSamplesPerSend());
    Duration deadline = m.duration("batch_send_deadline", d.batchSendDeadline());
    Duration minBackoff = m.duration("min_backoff", d.minBackoff());
    Duration maxBackoff = m.duration("max_backoff", d.maxBackoff());
    boolean retry429 = m.bool("retry_on_http_429", d.retryOnHttp429());
    Duration ageLimit = m.duration("sample_age_limit", d.sampleAgeLimit());
    RemoteWriteConfig.QueueConfig q;
    try {
      q = new RemoteWriteConfig.QueueConfig(capacity, maxShards, minShards, maxPerSend, deadline,
          minBackoff, maxBackoff, retry429, ageLimit);
    } catch (IllegalArgumentException e) {
      throw YamlMap.error(node, e.getMessage());
    }
    m.finish();
    return q;
  }

  private static int queueInt(YamlMap m, String key, int dflt) {
    long v = m.unsigned(key, dflt);
    if (v > Integer.MAX_VALUE) {
      throw YamlMap.error(m.get(key), "queue_config: " + key + " " + v + " is too large");
    }
    return (int) v;
  }

  // ---- shared pieces ----

  private static List<ScrapeProtocol> protocols(YamlMap m, String key, String suffix) {
    if (!m.has(key)) {
      m.get(key);
      return List.of();
    }
    Node n = m.get(key);
    List<String> names = m.strings(key);
    if (names.isEmpty()) {
      throw YamlMap.error(n, "scrape_protocols cannot be empty" + suffix);
    }
    List<ScrapeProtocol> out = new ArrayList<>();
    for (String s : names) {
      ScrapeProtocol p;
      try {
        p = ScrapeProtocol.parse(s);
      } catch (IllegalArgumentException e) {
        throw YamlMap.error(n, "scrape_protocols: " + e.getMessage() + suffix);
      }
      if (out.contains(p)) {
        throw YamlMap.error(n, "duplicated protocol in scrape_protocols, got " + names.toString().replace(",", "") + suffix);
      }
      out.add(p);
    }
    return out;
  }

  private static NameValidation validation(YamlMap m, String where, NameValidation dflt) {
    String s = m.string("metric_name_validation_scheme", "");
    return switch (s) {
      case "" -> dflt;
      case "utf8" -> NameValidation.UTF8;
      case "legacy" -> NameValidation.LEGACY;
      default -> throw YamlMap.error(m.keyNode("metric_name_validation_scheme"), "unknown " + where
          + " name validation method specified, must be either '', 'legacy' or 'utf8', got " + s);
    };
  }

  private static Labels labels(YamlMap m, String key) {
    Map<String, String> map = m.stringMap(key);
    Map<String, String> checked = new HashMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey().isEmpty()) {
        throw YamlMap.error(m.keyNode(key), q(e.getKey()) + " is not a valid label name");
      }
      checked.put(e.getKey(), e.getValue());
    }
    return Labels.fromMap(checked);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static long or(long v, long dflt) {
    return v != 0 ? v : dflt;
  }

  private static String q(String s) {
    return PrometheusDuration.quote(s);
  }
}
