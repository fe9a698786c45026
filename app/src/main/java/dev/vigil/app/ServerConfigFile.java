package dev.vigil.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code vigil server --config.file}: a YAML file in Mimir's layout (the keys Mimir's config
 * reference gives for the same settings), turned into flag values. Flags given on the command
 * line win over the file, the file over the defaults. Unknown keys are errors, as in Mimir.
 *
 * <pre>
 * multitenancy_enabled: true
 * server: {http_listen_address: 0.0.0.0, http_listen_port: 9009,
 *          http_tls_config: {cert_file: ..., key_file: ...}}
 * distributor: {max_recv_msg_size: 104857600}
 * limits: {ingestion_rate: 10000, max_global_series_per_user: 150000, ...}
 * querier: {max_samples: 50000000, timeout: 2m}
 * runtime_config: {file: overrides.yaml}
 * blocks_storage: {tsdb: {dir: ./data, head_compaction_interval: 1m,
 *                         close_idle_tsdb_timeout: 0}}
 * compactor: {blocks_retention_period: 15d}
 * ruler: {enable_api: true, alertmanager_url: ..., external_url: ..., evaluation_interval: 1m,
 *         poll_interval: 1m}
 * scrape_configs: [...]   # Prometheus's sections (with global, remote_write): see PrometheusSections
 * </pre>
 */
final class ServerConfigFile {
  private ServerConfigFile() {}

  /** YAML path (dot-separated) to the flag it sets. */
  static final Map<String, String> KEYS = keys();

  private static Map<String, String> keys() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("multitenancy_enabled", "--auth.multitenancy-enabled");
    m.put("no_auth_tenant", "--auth.no-auth-tenant");
    m.put("server.http_tls_config.cert_file", "--server.http-tls-cert-path");
    m.put("server.http_tls_config.key_file", "--server.http-tls-key-path");
    m.put("distributor.max_recv_msg_size", "--distributor.max-recv-msg-size");
    m.put("limits.ingestion_rate", "--distributor.ingestion-rate-limit");
    m.put("limits.ingestion_burst_size", "--distributor.ingestion-burst-size");
    m.put("limits.max_label_names_per_series", "--validation.max-label-names-per-series");
    m.put("limits.max_label_name_length", "--validation.max-length-label-name");
    m.put("limits.max_label_value_length", "--validation.max-length-label-value");
    m.put("limits.max_global_series_per_user", "--ingester.max-global-series-per-user");
    m.put("limits.max_global_exemplars_per_user", "--ingester.max-global-exemplars-per-user");
    m.put("limits.out_of_order_time_window", "--ingester.out-of-order-time-window");
    m.put("limits.max_total_query_length", "--query-frontend.max-total-query-length");
    m.put("limits.ruler_max_rules_per_rule_group", "--ruler.max-rules-per-rule-group");
    m.put("limits.ruler_max_rule_groups_per_tenant", "--ruler.max-rule-groups-per-tenant");
    m.put("querier.max_samples", "--querier.max-samples");
    m.put("querier.timeout", "--querier.timeout");
    m.put("runtime_config.file", "--runtime-config.file");
    m.put("blocks_storage.tsdb.dir", "--data-dir");
    m.put("blocks_storage.tsdb.head_compaction_interval",
        "--blocks-storage.tsdb.head-compaction-interval");
    m.put("blocks_storage.tsdb.wal_fsync", "--blocks-storage.tsdb.wal-fsync");
    m.put("blocks_storage.tsdb.memory_snapshot_on_shutdown",
        "--blocks-storage.tsdb.memory-snapshot-on-shutdown");
    m.put("blocks_storage.tsdb.head_snapshot_interval",
        "--blocks-storage.tsdb.head-snapshot-interval");
    m.put("blocks_storage.tsdb.start_timestamp_zero_ingestion_enabled",
        "--blocks-storage.tsdb.start-timestamp-zero-ingestion-enabled");
    m.put("blocks_storage.tsdb.close_idle_tsdb_timeout",
        "--blocks-storage.tsdb.close-idle-tsdb-timeout");
    m.put("compactor.blocks_retention_period", "--storage.tsdb.retention.time");
    m.put("ruler.enable_api", "--ruler.enabled");
    m.put("ruler.alertmanager_url", "--ruler.alertmanager-url");
    m.put("ruler.external_url", "--ruler.external.url");
    m.put("ruler.evaluation_interval", "--ruler.evaluation-interval");
    m.put("ruler.poll_interval", "--ruler.poll-interval");
    return Map.copyOf(m);
  }

  /**
   * The flag values the file sets, in file order ({@code server.http_listen_address} and
   * {@code _port} become {@code --listen}).
   *
   * @throws IllegalArgumentException naming the file and the key
   */
  static Map<String, String> flags(String yaml, String source) {
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("config file " + source + " is not valid YAML: "
          + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root == null) {
      return out;
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException("config file " + source + ": expected a mapping");
    }
    String[] listen = new String[2];
    walk(top, "", source, out, listen);
    if (listen[0] != null || listen[1] != null) {
      out.put("--listen", (listen[0] == null ? "" : listen[0]) + ":"
          + (listen[1] == null ? "9009" : listen[1]));
    }
    return out;
  }

  private static void walk(Map<?, ?> map, String prefix, String source, Map<String, String> out,
      String[] listen) {
    for (var e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object v = e.getValue();
      if (prefix.isEmpty() && PrometheusSections.KEYS.contains(key)) {
        continue; // global, scrape_configs, remote_write: read by the collector's own loader
      }
      if (key.equals("server.http_listen_address")) {
        listen[0] = String.valueOf(v);
      } else if (key.equals("server.http_listen_port")) {
        listen[1] = String.valueOf(v);
      } else if (v instanceof Map<?, ?> sub) {
        walk(sub, key + ".", source, out, listen);
      } else if (KEYS.containsKey(key)) {
        String value = v instanceof List<?> list ? String.join(",",
            list.stream().map(String::valueOf).toList()) : String.valueOf(v);
        out.put(KEYS.get(key), value);
      } else {
        List<String> known = new ArrayList<>(KEYS.keySet());
        known.add("server.http_listen_address");
        known.add("server.http_listen_port");
        throw new IllegalArgumentException("config file " + source + ": unknown or unsupported "
            + "key '" + key + "' (supported: " + String.join(", ", known.stream().sorted()
                .toList()) + ")");
      }
    }
  }
}
