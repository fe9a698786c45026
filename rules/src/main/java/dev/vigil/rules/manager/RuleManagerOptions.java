package dev.vigil.rules.manager;

import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Queryable;
import dev.vigil.rules.eval.RuleEvalOptions;
import dev.vigil.rules.eval.RuleQuery;
import dev.vigil.rules.notify.AlertSender;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything one {@link RuleManager} (one tenant of the ruler) needs, passed in rather than
 * global, as Prometheus's {@code ManagerOptions}. Build with {@link #builder()}.
 *
 * @param query runs rule expressions (e.g. {@code EngineRuleQuery} over the tenant's store)
 * @param appendable receives recording results, {@code ALERTS}, {@code ALERTS_FOR_STATE}
 * @param queryable read by the {@code for}-state restore
 * @param alertSender receives firing and resolved alerts
 * @param evalOptions external labels and URL, default query offset, resolved-alert retention
 * @param defaultInterval interval of groups that set none ({@code evaluation_interval}; 1m)
 * @param resendDelay minimum time between two notifications of a firing alert (1m)
 * @param outageTolerance how far back the restore looks for {@code ALERTS_FOR_STATE} (1h)
 * @param forGracePeriod minimum time between restore and firing of an alert (10m)
 * @param restoreOnStart restore {@code for} state for the groups of the first update (true);
 *     groups added later start fresh, as in Prometheus
 */
public record RuleManagerOptions(
    InstantSource clock,
    RuleScheduler scheduler,
    RuleQuery query,
    Appendable appendable,
    Queryable queryable,
    AlertSender alertSender,
    RuleEvalOptions evalOptions,
    Duration defaultInterval,
    Duration resendDelay,
    Duration outageTolerance,
    Duration forGracePeriod,
    boolean restoreOnStart,
    RuleManagerMetrics metrics) {

  public RuleManagerOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(appendable, "appendable");
    Objects.requireNonNull(queryable, "queryable");
    Objects.requireNonNull(alertSender, "alertSender");
    Objects.requireNonNull(evalOptions, "evalOptions");
    Objects.requireNonNull(metrics, "metrics");
    positive(defaultInterval, "defaultInterval");
    positive(resendDelay, "resendDelay");
    if (outageTolerance.isNegative() || forGracePeriod.isNegative()) {
      throw new IllegalArgumentException("outageTolerance and forGracePeriod must not be negative");
    }
  }

  private static void positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Defaults are Prometheus's; {@code scheduler}, {@code query}, {@code appendable} and {@code
   * queryable} must be set ({@link #build()} throws {@link NullPointerException} naming the one
   * missing).
   */
  public static final class Builder {
    private InstantSource clock = InstantSource.system();
    private @Nullable RuleScheduler scheduler;
    private @Nullable RuleQuery query;
    private @Nullable Appendable appendable;
    private @Nullable Queryable queryable;
    private AlertSender alertSender = AlertSender.NONE;
    private RuleEvalOptions evalOptions = RuleEvalOptions.defaults();
    private Duration defaultInterval = Duration.ofMinutes(1);
    private Duration resendDelay = Duration.ofMinutes(1);
    private Duration outageTolerance = Duration.ofHours(1);
    private Duration forGracePeriod = Duration.ofMinutes(10);
    private boolean restoreOnStart = true;
    private @Nullable RuleManagerMetrics metrics;

    Builder() {}

    public Builder clock(InstantSource v) {
      clock = v;
      return this;
    }

    public Builder scheduler(RuleScheduler v) {
      scheduler = v;
      return this;
    }

    public Builder query(RuleQuery v) {
      query = v;
      return this;
    }

    /** Sets both the appendable and the queryable. */
    public Builder storage(dev.vigil.model.storage.Storage v) {
      appendable = v;
      queryable = v;
      return this;
    }

    public Builder appendable(Appendable v) {
      appendable = v;
      return this;
    }

    public Builder queryable(Queryable v) {
      queryable = v;
      return this;
    }

    public Builder alertSender(AlertSender v) {
      alertSender = v;
      return this;
    }

    public Builder evalOptions(RuleEvalOptions v) {
      evalOptions = v;
      return this;
    }

    public Builder defaultInterval(Duration v) {
      defaultInterval = v;
      return this;
    }

    public Builder resendDelay(Duration v) {
      resendDelay = v;
      return this;
    }

    public Builder outageTolerance(Duration v) {
      outageTolerance = v;
      return this;
    }

    public Builder forGracePeriod(Duration v) {
      forGracePeriod = v;
      return this;
    }

    public Builder restoreOnStart(boolean v) {
      restoreOnStart = v;
      return this;
    }

    public Builder metrics(RuleManagerMetrics v) {
      metrics = v;
      return this;
    }

    public RuleManagerOptions build() {
      return new RuleManagerOptions(clock, Objects.requireNonNull(scheduler, "scheduler"),
          Objects.requireNonNull(query, "query"), Objects.requireNonNull(appendable, "appendable"),
          Objects.requireNonNull(queryable, "queryable"), alertSender,
          evalOptions, defaultInterval, resendDelay, outageTolerance, forGracePeriod,
          restoreOnStart, metrics == null ? new RuleManagerMetrics() : metrics);
    }
  }
}
