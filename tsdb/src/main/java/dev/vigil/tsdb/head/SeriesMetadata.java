package dev.vigil.tsdb.head;

import dev.vigil.model.metadata.Metadata;
import java.util.Arrays;

/**
 * The latest {@link Metadata} of each head series, by series id: pages of 4096 references,
 * allocated for the ids that ever got metadata. Reads take no lock (pages are published through
 * a volatile field and slots are written once per change); writes hold this object's lock.
 */
final class SeriesMetadata {
  private static final int PAGE_BITS = 12;
  private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;

  private volatile Metadata[][] pages = new Metadata[0][];

  /** The metadata of series {@code id}, null when none was recorded. */
  Metadata get(int id) {
    Metadata[][] ps = pages;
    int p = id >>> PAGE_BITS;
    if (p >= ps.length) {
      return null;
    }
    Metadata[] page = ps[p];
    return page == null ? null : page[id & PAGE_MASK];
  }

  synchronized void set(int id, Metadata m) {
    Metadata[][] ps = pages;
    int p = id >>> PAGE_BITS;
    if (p >= ps.length) {
      ps = Arrays.copyOf(ps, Math.max(p + 1, ps.length * 2));
    }
    if (ps[p] == null) {
      ps[p] = new Metadata[1 << PAGE_BITS];
    }
    ps[p][id & PAGE_MASK] = m;
    pages = ps; // volatile write publishes the slot
  }
}
