package dev.vigil.server.limits;

import dev.vigil.protocol.remote.ValidationLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Per-tenant limits from Mimir's runtime configuration file, re-read periodically
 * ({@code -runtime-config.file}, {@code -runtime-config.reload-period}, 10 s by default):
 *
 * <pre>
 * overrides:
 *   tenant-a:
 *     ingestion_rate: 50000
 *     ingestion_burst_size: 1000000
 *     max_label_names_per_series: 40
 *     max_global_series_per_user: 500000
 *     max_samples_per_query: 1000000      # Vigil's; Mimir has the global -querier.max-samples
 *     query_timeout: 30s                  # Vigil's; Mimir has the global -querier.timeout
 *     max_total_query_length: 32d
 *     out_of_order_time_window: 10m       # applied to the open database at once
 *     max_global_exemplars_per_user: 0    # likewise (resized, newest kept); 0 keeps none
 * </pre>
 *
 * Unset fields keep the defaults (the flags). A file that does not parse fails startup; later
 * it is logged and the previous overrides stay in force. After each reload every tenant whose
 * limits changed is logged (limit, old and new value) and passed to the
 * {@linkplain #addListener listeners}. Thread-safe.
 */
public final class RuntimeOverrides implements LimitsProvider, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RuntimeOverrides.class.getName());
  private static final Set<String> FIELDS = Set.of("ingestion_rate", "ingestion_burst_size",
      "max_label_names_per_series", "max_label_name_length", "max_label_value_length",
      "max_global_series_per_user", "max_samples_per_query", "query_timeout",
      "max_total_query_length", "ruler_max_rules_per_rule_group",
      "ruler_max_rule_groups_per_tenant", "out_of_order_time_window",
      "max_global_exemplars_per_user");
  /** Limits given as durations ({@code "2m"}, {@code "30d"}; Mimir's model.Duration). */
  private static final Set<String> DURATIONS = Set.of("query_timeout", "max_total_query_length",
      "out_of_order_time_window");

  private final TenantLimits defaults;
  private final Path file;
  private final ScheduledExecutorService reloader;
  private volatile Map<String, TenantLimits> overrides = Map.of();
  private volatile String lastError;
  /** Serialises reloads, so listeners see the changes in the order they happened. */
  private final Object reloadLock = new Object();
  private final java.util.List<LimitsChangeListener> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private RuntimeOverrides(TenantLimits defaults, Path file, Duration period) {
    this.defaults = defaults;
    this.file = file;
    if (file == null) {
      reloader = null;
      return;
    }
    reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-runtime-config");
      t.setDaemon(true);
      return t;
    });
    reloader.scheduleWithFixedDelay(this::reloadQuietly, period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Loads {@code file} (null: defaults for everyone) and re-reads it every {@code period}.
   *
   * @throws IllegalArgumentException when the file cannot be read or parsed
   */
  public static RuntimeOverrides start(TenantLimits defaults, Path file, Duration period) {
    RuntimeOverrides o = new RuntimeOverrides(defaults, file, period);
    if (file != null) {
      try {
        o.reload();
      } catch (IllegalArgumentException e) {
        o.close();
        throw e;
      }
    }
    return o;
  }

  @Override
  public TenantLimits forTenant(String tenant) {
    TenantLimits l = overrides.get(tenant);
    return l == null ? defaults : l;
  }

  /** The problem of the last reload, or null when it succeeded. */
  public String lastError() {
    return lastError;
  }

  /**
   * Registers {@code l} to be told of every later change of a tenant's limits (not of the
   * limits in force now: whoever builds from them reads {@link #forTenant} after registering).
   */
  public void addListener(LimitsChangeListener l) {
    listeners.add(java.util.Objects.requireNonNull(l, "listener"));
  }

  /** Whether limits come from a file that {@link #reload} reads (else only the flags). */
  public boolean hasFile() {
    return file != null;
  }

  /**
   * Re-reads the file now; then logs and tells the listeners of each tenant whose limits
   * changed.
   *
   * @throws IllegalArgumentException naming the file and the problem (the previous overrides
   *     stay in force)
   * @throws IllegalStateException when there is no file to read
   */
  public void reload() {
    if (file == null) {
      throw new IllegalStateException("no runtime config to reload: start vigil server with "
          + "--runtime-config.file");
    }
    synchronized (reloadLock) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read runtime config " + file + ": " + e, e);
      }
      Map<String, TenantLimits> before = overrides;
      Map<String, TenantLimits> after = parse(text, defaults, file.toString());
      overrides = after;
      lastError = null;
      announceChanges(before, after);
    }
  }

  // Under reloadLock, after the new overrides are in force.
  private void announceChanges(Map<String, TenantLimits> before,
      Map<String, TenantLimits> after) {
    java.util.TreeSet<String> tenants = new java.util.TreeSet<>(before.keySet());
    tenants.addAll(after.keySet());
    for (String tenant : tenants) {
      TenantLimits was = before.getOrDefault(tenant, defaults);
      TenantLimits now = after.getOrDefault(tenant, defaults);
      if (was.equals(now)) {
        continue;
      }
      LOG.log(System.Logger.Level.INFO, "runtime config {0}: limits of tenant {1} changed: {2}",
          file, tenant, String.join(", ", was.changesTo(now)));
      for (LimitsChangeListener l : listeners) {
        try {
          l.limitsChanged(tenant, was, now);
        } catch (RuntimeException e) {
          // One failing listener must neither stop the others nor undo the reload.
          LOG.log(System.Logger.Level.ERROR, "applying the new limits of tenant " + tenant
              + " failed", e);
        }
      }
    }
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().equals(lastError)) {
        LOG.log(System.Logger.Level.ERROR, e.getMessage() + "; keeping the previous overrides");
      }
      lastError = e.getMessage();
    }
  }

  /** Parses the runtime config text; {@code source} names it in errors. */
  static Map<String, TenantLimits> parse(String text, TenantLimits defaults, String source) {
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("runtime config " + source + " is not valid YAML: "
          + e.getMessage(), e);
    }
    if (root == null) {
      return Map.of();
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException("runtime config " + source + ": expected a mapping");
    }
    Object ov = top.get("overrides");
    if (ov == null) {
      return Map.of();
    }
    if (!(ov instanceof Map<?, ?> tenants)) {
      throw new IllegalArgumentException("runtime config " + source
          + ": 'overrides' must map tenant IDs to limits");
    }
    Map<String, TenantLimits> out = new HashMap<>();
    for (var e : tenants.entrySet()) {
      String tenant = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof Map<?, ?> fields)) {
        throw new IllegalArgumentException("runtime config " + source + ": overrides of tenant '"
            + tenant + "' must be a mapping");
      }
      double rate = defaults.ingestionRate();
      long burst = defaults.ingestionBurstSize();
      ValidationLimits v = defaults.validation();
      int names = v.maxLabelNamesPerSeries();
      int nameLen = v.maxLabelNameLength();
      int valueLen = v.maxLabelValueLength();
      int series = defaults.maxGlobalSeriesPerUser();
      int samples = defaults.maxSamplesPerQuery();
      java.time.Duration timeout = defaults.queryTimeout();
      java.time.Duration length = defaults.maxTotalQueryLength();
      int rulesPerGroup = defaults.rulerMaxRulesPerRuleGroup();
      int groupsPerTenant = defaults.rulerMaxRuleGroupsPerTenant();
      java.time.Duration outOfOrder = defaults.outOfOrderTimeWindow();
      int exemplars = defaults.maxGlobalExemplarsPerUser();
      for (var f : fields.entrySet()) {
        String key = String.valueOf(f.getKey());
        if (!FIELDS.contains(key)) {
          throw new IllegalArgumentException("runtime config " + source + ": unknown limit '"
              + key + "' for tenant '" + tenant + "' (known: " + String.join(", ",
                  new java.util.TreeSet<>(FIELDS)) + ")");
        }
        if (DURATIONS.contains(key)) {
          java.time.Duration d;
          try {
            d = f.getValue() instanceof Number n && n.longValue() == 0 ? java.time.Duration.ZERO
                : GoDuration.parse(String.valueOf(f.getValue()));
          } catch (IllegalArgumentException | ArithmeticException ex) {
            throw new IllegalArgumentException("runtime config " + source + ": limit '" + key
                + "' of tenant '" + tenant + "' must be a duration such as 2m, got '"
                + f.getValue() + "'");
          }
          switch (key) {
            case "query_timeout" -> timeout = d;
            case "max_total_query_length" -> length = d;
            case "out_of_order_time_window" -> outOfOrder = d;
            default -> throw new IllegalStateException(key);
          }
          continue;
        }
        if (!(f.getValue() instanceof Number n)) {
          throw new IllegalArgumentException("runtime config " + source + ": limit '" + key
              + "' of tenant '" + tenant + "' must be a number, got '" + f.getValue() + "'");
        }
        switch (key) {
          case "ingestion_rate" -> rate = n.doubleValue();
          case "ingestion_burst_size" -> burst = n.longValue();
          case "max_label_names_per_series" -> names = n.intValue();
          case "max_label_name_length" -> nameLen = n.intValue();
          case "max_label_value_length" -> valueLen = n.intValue();
          case "max_global_series_per_user" -> series = n.intValue();
          case "max_samples_per_query" -> samples = n.intValue();
          case "ruler_max_rules_per_rule_group" -> rulesPerGroup = n.intValue();
          case "ruler_max_rule_groups_per_tenant" -> groupsPerTenant = n.intValue();
          case "max_global_exemplars_per_user" -> exemplars = n.intValue();
          default -> throw new IllegalStateException(key);
        }
      }
      try {
        out.put(tenant, new TenantLimits(rate, burst,
            new ValidationLimits(names, nameLen, valueLen), series, samples, timeout, length,
            rulesPerGroup, groupsPerTenant, outOfOrder, exemplars));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("runtime config " + source + ": tenant '" + tenant
            + "': " + ex.getMessage(), ex);
      }
    }
    return Map.copyOf(out);
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }
}
