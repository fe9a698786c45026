package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;

/**
 * Merges two timestamp-ordered iterators into one; on equal timestamps the sample of {@code a}
 * wins and {@code b}'s is skipped (in-order data beats the out-of-order buffer, newer blocks
 * beat older ones, depending on what the caller passes as {@code a}).
 */
public final class MergeIterator implements SampleIterator {
  private final SampleIterator a;
  private final SampleIterator b;
  private ValueKind ka = ValueKind.NONE;
  private ValueKind kb = ValueKind.NONE;
  private boolean started;
  private SampleIterator cur;
  private ValueKind kind = ValueKind.NONE;

  public MergeIterator(SampleIterator a, SampleIterator b) {
    this.a = a;
    this.b = b;
  }

  @Override
  public ValueKind next() {
    if (!started) {
      started = true;
      ka = a.next();
      kb = b.next();
    } else if (cur == a) {
      ka = a.next();
    } else if (cur == b) {
      kb = b.next();
    } else {
      return ValueKind.NONE;
    }
    return pick();
  }

  private ValueKind pick() {
    while (true) {
      if (ka == ValueKind.NONE && kb == ValueKind.NONE) {
        cur = null;
        return kind = ValueKind.NONE;
      }
      if (ka == ValueKind.NONE) {
        cur = b;
        return kind = kb;
      }
      if (kb == ValueKind.NONE) {
        cur = a;
        return kind = ka;
      }
      long ta = a.atT();
      long tb = b.atT();
      if (ta < tb) {
        cur = a;
        return kind = ka;
      }
      if (tb < ta) {
        cur = b;
        return kind = kb;
      }
      kb = b.next();
    }
  }

  @Override
  public ValueKind seek(long t) {
    if (!started) {
      started = true;
      ka = a.seek(t);
      kb = b.seek(t);
      return pick();
    }
    if (cur == null) {
      return ValueKind.NONE;
    }
    if (cur.atT() >= t) {
      return kind;
    }
    if (ka != ValueKind.NONE) {
      ka = a.seek(t);
    }
    if (kb != ValueKind.NONE) {
      kb = b.seek(t);
    }
    return pick();
  }

  @Override
  public long atT() {
    return cur.atT();
  }

  @Override
  public double atF() {
    return cur.atF();
  }

  @Override
  public FloatHistogram atHistogram() {
    return cur.atHistogram();
  }
}
