package dev.vigil.model.labels;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable set of label name/value pairs, sorted by name, with no empty values.
 *
 * <p>The one label-set type of the whole product. Stored as a flat array {@code [n0, v0, n1, v1,
 * ...]} so that a series costs one object plus its (interned) strings. Equality, ordering and
 * the 64-bit {@link #hash()} depend only on the pairs.
 */
public final class Labels implements Comparable<Labels> {
  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0]);

  private final String[] pairs;
  private int hashCode; // cached; 0 = not computed (a real 0 is recomputed, which is harmless)

  private Labels(String[] sortedPairs) {
    this.pairs = sortedPairs;
  }

  /** Builds labels from name, value, name, value, ...; sorts them; drops empty values. */
  public static Labels of(String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of strings: " + nameValues.length);
    }
    Builder b = new Builder();
    for (int i = 0; i < nameValues.length; i += 2) {
      b.set(nameValues[i], nameValues[i + 1]);
    }
    return b.build();
  }

  public static Labels fromMap(Map<String, String> map) {
    Builder b = new Builder();
    map.forEach(b::set);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with room for {@code labels} labels before it grows. */
  public static Builder builder(int labels) {
    return new Builder(labels);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public int size() {
    return pairs.length >> 1;
  }

  public boolean isEmpty() {
    return pairs.length == 0;
  }

  public String name(int i) {
    return pairs[i << 1];
  }

  public String value(int i) {
    return pairs[(i << 1) + 1];
  }

  /** The value of {@code name}, or the empty string when absent (as in Prometheus). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : pairs[(i << 1) + 1];
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  /** The metric name ({@code __name__}), or "" when there is none. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  private int indexOf(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[mid << 1].compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** These labels without {@code __name__}. */
  public Labels withoutMetricName() {
    return has(METRIC_NAME) ? without(METRIC_NAME) : this;
  }

  /** Only the labels whose names are given. */
  public Labels keep(Collection<String> names) {
    int n = 0;
    String[] out = new String[pairs.length];
    for (int i = 0; i < pairs.length; i += 2) {
      if (names.contains(pairs[i])) {
        out[n++] = pairs[i];
        out[n++] = pairs[i + 1];
      }
    }
    return n == pairs.length ? this : new Labels(Arrays.copyOf(out, n));
  }

  /** All labels except those whose names are given. */
  public Labels drop(Collection<String> names) {
    int n = 0;
    String[] out = new String[pairs.length];
    for (int i = 0; i < pairs.length; i += 2) {
      if (!names.contains(pairs[i])) {
        out[n++] = pairs[i];
        out[n++] = pairs[i + 1];
      }
    }
    return n == pairs.length ? this : new Labels(Arrays.copyOf(out, n));
  }

  public Labels without(String name) {
    int i = indexOf(name);
    if (i < 0) {
      return this;
    }
    String[] out = new String[pairs.length - 2];
    System.arraycopy(pairs, 0, out, 0, i << 1);
    System.arraycopy(pairs, (i << 1) + 2, out, i << 1, pairs.length - (i << 1) - 2);
    return new Labels(out);
  }

  /**
   * A 64-bit hash of the pairs (FNV-1a over names and values with separators), stable across
   * runs and JVMs, usable as a series fingerprint together with an equality check.
   */
  public long hash() {
    long h = 0xcbf29ce484222325L;
    for (String s : pairs) {
      for (int i = 0; i < s.length(); i++) {
        h ^= s.charAt(i);
        h *= 0x100000001b3L;
      }
      h ^= 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public int hashCode() {
    int h = hashCode;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hashCode = h;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    // Cheapest checks first: the length is in the array header, the hash codes are cached
    // (computing one is a pass over every string, so only after the lengths agree).
    if (!(o instanceof Labels other) || pairs.length != other.pairs.length
        || other.hashCode() != hashCode()) {
      return false;
    }
    String[] a = pairs;
    String[] b = other.pairs;
    // Backwards: the values that tell series apart (pod, instance, ...) tend to sort late and
    // the shared names early, so a mismatch shows up sooner. Label strings are usually interned,
    // so the identity test settles most pairs without touching the characters.
    for (int i = a.length - 1; i >= 0; i--) {
      String x = a[i];
      String y = b[i];
      if (x != y && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /** Prometheus's order: pair by pair, name then value; a prefix sorts first. */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  /** {@code {__name__="up", job="x"}}, as Prometheus prints a label set. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      appendName(sb, pairs[i]);
      sb.append('=');
      LabelStrings.appendQuoted(sb, pairs[i + 1]);
    }
    return sb.append('}').toString();
  }

  /** {@code up{job="x"}}: the metric name outside the braces, as the exposition format prints. */
  public String toMetricString() {
    String name = metricName();
    StringBuilder sb = new StringBuilder();
    boolean nameInside = !name.isEmpty() && !LabelStrings.isValidLegacyMetricName(name);
    if (!name.isEmpty() && !nameInside) {
      sb.append(name);
    }
    Labels rest = nameInside ? this : withoutMetricName();
    if (rest.isEmpty() && !name.isEmpty()) {
      return sb.toString();
    }
    sb.append('{');
    boolean first = true;
    if (nameInside) {
      LabelStrings.appendQuoted(sb, name);
      first = false;
    }
    for (int i = 0; i < rest.pairs.length; i += 2) {
      if (nameInside && rest.pairs[i].equals(METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      appendName(sb, rest.pairs[i]);
      sb.append('=');
      LabelStrings.appendQuoted(sb, rest.pairs[i + 1]);
    }
    return sb.append('}').toString();
  }

  private static void appendName(StringBuilder sb, String name) {
    if (LabelStrings.isValidLegacyLabelName(name)) {
      sb.append(name);
    } else {
      LabelStrings.appendQuoted(sb, name);
    }
  }

  /**
   * Mutable construction of a label set: set/delete by name, then {@link #build()}. Setting an
   * empty value deletes the label. Not thread-safe; reusable after {@link #reset(Labels)}.
   */
  public static final class Builder {
    private String[] pairs;
    private int n; // used array slots (2 per label), kept sorted by name

    public Builder() {
      this(8);
    }

    private Builder(int labels) {
      pairs = new String[Math.max(2, 2 * labels)];
    }

    Builder(Labels base) {
      pairs = Arrays.copyOf(base.pairs, Math.max(16, base.pairs.length + 4));
      n = base.pairs.length;
    }

    public Builder reset(Labels base) {
      if (pairs.length < base.pairs.length) {
        pairs = new String[base.pairs.length + 8];
      }
      System.arraycopy(base.pairs, 0, pairs, 0, base.pairs.length);
      n = base.pairs.length;
      return this;
    }

    public Builder set(String name, String value) {
      if (value == null || value.isEmpty()) {
        return del(name);
      }
      int lo = 0;
      int hi = (n >> 1) - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = pairs[mid << 1].compareTo(name);
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          pairs[(mid << 1) + 1] = value;
          return this;
        }
      }
      if (n + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, pairs.length * 2);
      }
      int at = lo << 1;
      System.arraycopy(pairs, at, pairs, at + 2, n - at);
      pairs[at] = name;
      pairs[at + 1] = value;
      n += 2;
      return this;
    }

    /**
     * Adds a label after all others, for decoders of label sets stored in order: cheaper than
     * {@link #set}, which searches for the place. An empty value adds nothing, as in
     * {@link #set}. Throws {@link IllegalArgumentException} unless {@code name} sorts after
     * every name in the builder.
     */
    public Builder append(String name, String value) {
      if (n > 0 && pairs[n - 2].compareTo(name) >= 0) {
        throw new IllegalArgumentException("label name " + name + " does not sort after "
            + pairs[n - 2]);
      }
      if (value == null || value.isEmpty()) {
        return this;
      }
      if (n + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, pairs.length * 2);
      }
      pairs[n] = name;
      pairs[n + 1] = value;
      n += 2;
      return this;
    }

    public Builder del(String name) {
      for (int i = 0; i < n; i += 2) {
        if (pairs[i].equals(name)) {
          System.arraycopy(pairs, i + 2, pairs, i, n - i - 2);
          n -= 2;
          pairs[n] = null;
          pairs[n + 1] = null;
          break;
        }
      }
      return this;
    }

    public String get(String name) {
      for (int i = 0; i < n; i += 2) {
        if (pairs[i].equals(name)) {
          return pairs[i + 1];
        }
      }
      return "";
    }

    /** Keeps only the given names. */
    public Builder keep(Collection<String> names) {
      int w = 0;
      for (int i = 0; i < n; i += 2) {
        if (names.contains(pairs[i])) {
          pairs[w++] = pairs[i];
          pairs[w++] = pairs[i + 1];
        }
      }
      Arrays.fill(pairs, w, n, null);
      n = w;
      return this;
    }

    public Builder forEach(BiConsumer<String, String> action) {
      for (int i = 0; i < n; i += 2) {
        action.accept(pairs[i], pairs[i + 1]);
      }
      return this;
    }

    public Labels build() {
      return n == 0 ? EMPTY : new Labels(Arrays.copyOf(pairs, n));
    }
  }
}
