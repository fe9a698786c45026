package dev.vigil.rules.notify;

import dev.vigil.model.labels.Labels;
import java.time.Instant;

/**
 * One alert as Alertmanager's v2 API receives it ({@code postableAlert}).
 *
 * @param labels identity of the alert, {@code alertname} included; external labels are added by
 *     the notifier
 * @param startsAt when it started firing
 * @param endsAt when it resolved, or (while firing) when Alertmanager may consider it resolved
 *     if no re-send arrives
 * @param generatorUrl link back to the expression that produced it
 */
public record NotifierAlert(Labels labels, Labels annotations, Instant startsAt, Instant endsAt,
    String generatorUrl) {}
