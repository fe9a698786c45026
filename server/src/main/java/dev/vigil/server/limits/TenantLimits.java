package dev.vigil.server.limits;

import dev.vigil.protocol.remote.ValidationLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one tenant, named as Mimir's limits config names them.
 *
 * @param ingestionRate samples per second ({@code ingestion_rate}); 0 = unlimited
 * @param ingestionBurstSize bucket size of that rate ({@code ingestion_burst_size})
 * @param validation {@code max_label_names_per_series}, {@code max_label_name_length},
 *     {@code max_label_value_length}
 * @param maxGlobalSeriesPerUser in-memory series of the tenant
 *     ({@code max_global_series_per_user}, {@code -ingester.max-global-series-per-user});
 *     0 = unlimited
 * @param maxSamplesPerQuery samples one query may hold in memory (Mimir has it only as the
 *     global {@code -querier.max-samples}; Vigil's override {@code max_samples_per_query});
 *     0 = the server's flag
 * @param queryTimeout how long one query may run (Mimir: global {@code -querier.timeout};
 *     Vigil's override {@code query_timeout}); zero = the server's flag
 * @param maxTotalQueryLength longest {@code end - start} of a range query
 *     ({@code max_total_query_length}, {@code -query-frontend.max-total-query-length});
 *     zero = unlimited
 * @param rulerMaxRulesPerRuleGroup rules one group may hold
 *     ({@code ruler_max_rules_per_rule_group}, 20 as in Mimir); 0 = unlimited
 * @param rulerMaxRuleGroupsPerTenant rule groups the tenant may have
 *     ({@code ruler_max_rule_groups_per_tenant}, 70 as in Mimir); 0 = unlimited
 * @param outOfOrderTimeWindow how far behind its newest sample the tenant's database still
 *     accepts samples ({@code out_of_order_time_window}, {@code -ingester.out-of-order-time-window});
 *     zero (Mimir's default) accepts none out of order; at most half the 2 h block range
 * @param maxGlobalExemplarsPerUser exemplars the tenant's database keeps, oldest overwritten
 *     ({@code max_global_exemplars_per_user}); 0 keeps none. Mimir's default is 0; Vigil's is
 *     Prometheus's 100,000, so that scraped and pushed exemplars are kept out of the box
 */
public record TenantLimits(double ingestionRate, long ingestionBurstSize,
    ValidationLimits validation, int maxGlobalSeriesPerUser, int maxSamplesPerQuery,
    Duration queryTimeout, Duration maxTotalQueryLength, int rulerMaxRulesPerRuleGroup,
    int rulerMaxRuleGroupsPerTenant, Duration outOfOrderTimeWindow,
    int maxGlobalExemplarsPerUser) {
  /** Mimir's defaults of the ruler limits. */
  public static final int DEFAULT_RULER_MAX_RULES_PER_RULE_GROUP = 20;
  public static final int DEFAULT_RULER_MAX_RULE_GROUPS_PER_TENANT = 70;

  /** Vigil's default of {@code max_global_exemplars_per_user} (Prometheus's exemplar limit). */
  public static final int DEFAULT_MAX_GLOBAL_EXEMPLARS_PER_USER = 100_000;

  /** The widest out-of-order window: half the block range, so no sample lands in a cut block. */
  public static final Duration MAX_OUT_OF_ORDER_TIME_WINDOW = Duration.ofHours(1);

  /** Mimir's default of {@code max_global_series_per_user}. */
  public static final int DEFAULT_MAX_GLOBAL_SERIES_PER_USER = 150_000;

  /**
   * Mimir's defaults: 10,000 samples/s, burst 200,000, 30 labels, 1024/2048 characters, 150,000
   * series; query limits from the server's flags, no query length limit.
   */
  public static final TenantLimits MIMIR_DEFAULTS =
      new TenantLimits(10_000, 200_000, ValidationLimits.MIMIR_DEFAULTS);

  public TenantLimits {
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(queryTimeout, "queryTimeout");
    Objects.requireNonNull(maxTotalQueryLength, "maxTotalQueryLength");
    Objects.requireNonNull(outOfOrderTimeWindow, "outOfOrderTimeWindow");
    if (ingestionRate < 0 || (ingestionRate > 0 && ingestionBurstSize <= 0)) {
      throw new IllegalArgumentException("invalid ingestion rate " + ingestionRate
          + " with burst " + ingestionBurstSize);
    }
    if (maxGlobalSeriesPerUser < 0 || maxSamplesPerQuery < 0 || rulerMaxRulesPerRuleGroup < 0
        || rulerMaxRuleGroupsPerTenant < 0) {
      throw new IllegalArgumentException("series and sample limits must not be negative");
    }
    if (queryTimeout.isNegative() || maxTotalQueryLength.isNegative()) {
      throw new IllegalArgumentException("query durations must not be negative");
    }
    if (outOfOrderTimeWindow.isNegative()
        || outOfOrderTimeWindow.compareTo(MAX_OUT_OF_ORDER_TIME_WINDOW) > 0) {
      throw new IllegalArgumentException("out-of-order time window " + outOfOrderTimeWindow
          + " is not in [0, 1h] (it may be at most half the 2h block range)");
    }
    if (maxGlobalExemplarsPerUser < 0) {
      throw new IllegalArgumentException("exemplar limit " + maxGlobalExemplarsPerUser
          + " must not be negative");
    }
  }

  /** Ingestion limits with Mimir's defaults for the rest. */
  public TenantLimits(double ingestionRate, long ingestionBurstSize, ValidationLimits validation) {
    this(ingestionRate, ingestionBurstSize, validation, DEFAULT_MAX_GLOBAL_SERIES_PER_USER, 0,
        Duration.ZERO, Duration.ZERO, DEFAULT_RULER_MAX_RULES_PER_RULE_GROUP,
        DEFAULT_RULER_MAX_RULE_GROUPS_PER_TENANT, Duration.ZERO,
        DEFAULT_MAX_GLOBAL_EXEMPLARS_PER_USER);
  }

  public TenantLimits withIngestion(double rate, long burst) {
    return new TenantLimits(rate, burst, validation, maxGlobalSeriesPerUser, maxSamplesPerQuery,
        queryTimeout, maxTotalQueryLength, rulerMaxRulesPerRuleGroup, rulerMaxRuleGroupsPerTenant, outOfOrderTimeWindow,
        maxGlobalExemplarsPerUser);
  }

  public TenantLimits withValidation(ValidationLimits v) {
    return new TenantLimits(ingestionRate, ingestionBurstSize, v, maxGlobalSeriesPerUser,
        maxSamplesPerQuery, queryTimeout, maxTotalQueryLength, rulerMaxRulesPerRuleGroup,
        rulerMaxRuleGroupsPerTenant, outOfOrderTimeWindow, maxGlobalExemplarsPerUser);
  }

  public TenantLimits withMaxGlobalSeriesPerUser(int n) {
    return new TenantLimits(ingestionRate, ingestionBurstSize, validation, n,
        maxSamplesPerQuery, queryTimeout, maxTotalQueryLength, rulerMaxRulesPerRuleGroup,
        rulerMaxRuleGroupsPerTenant, outOfOrderTimeWindow, maxGlobalExemplarsPerUser);
  }

  /** Query limits: samples (0 = flag), timeout (zero = flag), total length (zero = none). */
  public TenantLimits withQueryLimits(int maxSamples, Duration timeout, Duration maxLength) {
    return new TenantLimits(ingestionRate, ingestionBurstSize, validation,
        maxGlobalSeriesPerUser, maxSamples, timeout, maxLength, rulerMaxRulesPerRuleGroup,
        rulerMaxRuleGroupsPerTenant, outOfOrderTimeWindow, maxGlobalExemplarsPerUser);
  }

  /** Ruler limits: rules per group and groups per tenant (0 = unlimited). */
  public TenantLimits withRulerLimits(int rulesPerGroup, int groupsPerTenant) {
    return new TenantLimits(ingestionRate, ingestionBurstSize, validation,
        maxGlobalSeriesPerUser, maxSamplesPerQuery, queryTimeout, maxTotalQueryLength,
        rulesPerGroup, groupsPerTenant, outOfOrderTimeWindow, maxGlobalExemplarsPerUser);
  }

  /** What the tenant's database is opened with: out-of-order window and exemplar capacity. */
  public TenantLimits withStorageLimits(Duration outOfOrderWindow, int maxExemplars) {
    return new TenantLimits(ingestionRate, ingestionBurstSize, validation,
        maxGlobalSeriesPerUser, maxSamplesPerQuery, queryTimeout, maxTotalQueryLength,
        rulerMaxRulesPerRuleGroup, rulerMaxRuleGroupsPerTenant, outOfOrderWindow, maxExemplars);
  }

  /** Whether {@code next} differs in what the tenant's database holds to (window, exemplars). */
  public boolean storageLimitsDifferFrom(TenantLimits next) {
    return !outOfOrderTimeWindow.equals(next.outOfOrderTimeWindow)
        || maxGlobalExemplarsPerUser != next.maxGlobalExemplarsPerUser;
  }

  /**
   * What differs from these limits in {@code next}, one {@code "name old -> new"} per limit
   * under its runtime-config name, in declaration order; empty when nothing does. For logs.
   */
  public java.util.List<String> changesTo(TenantLimits next) {
    java.util.List<String> out = new java.util.ArrayList<>();
    change(out, "ingestion_rate", ingestionRate, next.ingestionRate);
    change(out, "ingestion_burst_size", ingestionBurstSize, next.ingestionBurstSize);
    change(out, "max_label_names_per_series", validation.maxLabelNamesPerSeries(),
        next.validation.maxLabelNamesPerSeries());
    change(out, "max_label_name_length", validation.maxLabelNameLength(),
        next.validation.maxLabelNameLength());
    change(out, "max_label_value_length", validation.maxLabelValueLength(),
        next.validation.maxLabelValueLength());
    change(out, "max_global_series_per_user", maxGlobalSeriesPerUser,
        next.maxGlobalSeriesPerUser);
    change(out, "max_samples_per_query", maxSamplesPerQuery, next.maxSamplesPerQuery);
    change(out, "query_timeout", queryTimeout, next.queryTimeout);
    change(out, "max_total_query_length", maxTotalQueryLength, next.maxTotalQueryLength);
    change(out, "ruler_max_rules_per_rule_group", rulerMaxRulesPerRuleGroup,
        next.rulerMaxRulesPerRuleGroup);
    change(out, "ruler_max_rule_groups_per_tenant", rulerMaxRuleGroupsPerTenant,
        next.rulerMaxRuleGroupsPerTenant);
    change(out, "out_of_order_time_window", outOfOrderTimeWindow, next.outOfOrderTimeWindow);
    change(out, "max_global_exemplars_per_user", maxGlobalExemplarsPerUser,
        next.maxGlobalExemplarsPerUser);
    return out;
  }

  private static void change(java.util.List<String> out, String name, Object was, Object now) {
    if (!was.equals(now)) {
      out.add(name + " " + shown(was) + " -> " + shown(now));
    }
  }

  private static String shown(Object v) {
    return v instanceof Duration d ? GoDuration.format(d) : String.valueOf(v);
  }
}
