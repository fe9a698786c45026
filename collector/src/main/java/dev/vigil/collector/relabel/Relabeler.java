package dev.vigil.collector.relabel;

import dev.vigil.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * Applies relabelling rules in order, with Prometheus's semantics for every action. Stateless;
 * safe to share between threads.
 */
public final class Relabeler {
  private Relabeler() {}

  /**
   * The relabelled labels, or {@code null} when a rule dropped the set (Prometheus returns
   * empty labels and {@code false}).
   */
  public static Labels process(Labels labels, List<RelabelConfig> rules) {
    if (rules.isEmpty()) {
      return labels;
    }
    Labels.Builder lb = labels.toBuilder();
    return processBuilder(lb, rules) ? lb.build() : null;
  }

  /** Applies the rules to {@code lb} in place; false when a rule dropped the set. */
  public static boolean processBuilder(Labels.Builder lb, List<RelabelConfig> rules) {
    for (int i = 0, n = rules.size(); i < n; i++) {
      if (!apply(rules.get(i), lb)) {
        return false;
      }
    }
    return true;
  }

  private static boolean apply(RelabelConfig cfg, Labels.Builder lb) {
    String val = joinSourceValues(cfg, lb);
    switch (cfg.action()) {
      case DROP -> {
        if (cfg.regex().matches(val)) {
          return false;
        }
      }
      case KEEP -> {
        if (!cfg.regex().matches(val)) {
          return false;
        }
      }
      case DROPEQUAL -> {
        if (lb.get(cfg.targetLabel()).equals(val)) {
          return false;
        }
      }
      case KEEPEQUAL -> {
        if (!lb.get(cfg.targetLabel()).equals(val)) {
          return false;
        }
      }
      case REPLACE -> replace(cfg, lb, val);
      case LOWERCASE -> lb.set(cfg.targetLabel(), val.toLowerCase(Locale.ROOT));
      case UPPERCASE -> lb.set(cfg.targetLabel(), val.toUpperCase(Locale.ROOT));
      case HASHMOD -> lb.set(cfg.targetLabel(), Long.toUnsignedString(hashMod(val, cfg.modulus())));
      case LABELMAP -> {
        // Iterate a snapshot: rules see the labels as they were before this rule (as lb.Range).
        Labels snapshot = lb.build();
        for (int i = 0, n = snapshot.size(); i < n; i++) {
          Matcher m = cfg.regex().matchOrNull(snapshot.name(i));
          if (m != null) {
            lb.set(cfg.regex().expand(cfg.replacement(), m), snapshot.value(i));
          }
        }
      }
      case LABELDROP, LABELKEEP -> {
        boolean dropMatching = cfg.action() == Action.LABELDROP;
        Labels snapshot = lb.build();
        for (int i = 0, n = snapshot.size(); i < n; i++) {
          if (cfg.regex().matches(snapshot.name(i)) == dropMatching) {
            lb.del(snapshot.name(i));
          }
        }
      }
    }
    return true;
  }

  private static void replace(RelabelConfig cfg, Labels.Builder lb, String val) {
    // Fast path of Prometheus: a static target and value without a source needs no regex.
    if (val.isEmpty()
        && cfg.regex() == RelabelRegex.DEFAULT
        && cfg.targetLabel().indexOf('$') < 0
        && cfg.replacement().indexOf('$') < 0) {
      lb.set(cfg.targetLabel(), cfg.replacement());
      return;
    }
    Matcher m = cfg.regex().matchOrNull(val);
    if (m == null) {
      return;
    }
    String target = cfg.regex().expand(cfg.targetLabel(), m);
    if (!cfg.nameValidation().isValidLabelName(target)) {
      return;
    }
    String res = cfg.regex().expand(cfg.replacement(), m);
    if (res.isEmpty()) {
      lb.del(target);
    } else {
      lb.set(target, res);
    }
  }

  private static String joinSourceValues(RelabelConfig cfg, Labels.Builder lb) {
    List<String> names = cfg.sourceLabels();
    int n = names.size();
    if (n == 0) {
      return "";
    }
    if (n == 1) {
      return lb.get(names.get(0));
    }
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(cfg.separator());
      }
      sb.append(lb.get(names.get(i)));
    }
    return sb.toString();
  }

  /**
   * Prometheus's hashmod: MD5 of the UTF-8 value, the last 8 bytes as a big-endian unsigned
   * 64-bit integer, modulo {@code modulus} (unsigned). Equal results decide target sharding
   * across a fleet, so this must not drift from Prometheus.
   */
  static long hashMod(String val, long modulus) {
    byte[] sum;
    try {
      sum = MessageDigest.getInstance("MD5").digest(val.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JDK", e);
    }
    long h = 0;
    for (int i = 8; i < 16; i++) {
      h = (h << 8) | (sum[i] & 0xffL);
    }
    return Long.remainderUnsigned(h, modulus);
  }
}
