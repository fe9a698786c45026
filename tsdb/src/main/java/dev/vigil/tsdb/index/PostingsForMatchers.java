package dev.vigil.tsdb.index;

import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import java.util.List;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * Series ids satisfying every matcher, as Prometheus's {@code PostingsForMatchers}: matchers
 * that reject the empty value intersect the union of their matching values' postings; those
 * that accept it (e.g. {@code a!="x"}, {@code a=~"x|"}, which also match series without the
 * label) subtract the postings of the values they reject. Literal and literal-alternation
 * matchers ({@link Matcher#setMatches()}) are looked up directly instead of scanning values.
 */
public final class PostingsForMatchers {
  private PostingsForMatchers() {}

  /** A fresh bitmap the caller owns. */
  public static RoaringBitmap select(LabelIndex index, List<Matcher> matchers) {
    RoaringBitmap result = null;
    for (int i = 0; i < matchers.size(); i++) {
      Matcher m = matchers.get(i);
      if (m.matchesEmpty()) {
        continue;
      }
      RoaringBitmap p = matching(index, m, true);
      if (result == null) {
        result = p;
      } else {
        result.and(p);
      }
      if (result.isEmpty()) {
        return result;
      }
    }
    if (result == null) {
      result = index.all().clone();
    }
    for (int i = 0; i < matchers.size(); i++) {
      Matcher m = matchers.get(i);
      if (m.matchesEmpty()) {
        result.andNot(matching(index, m, false));
        if (result.isEmpty()) {
          return result;
        }
      }
    }
    return result;
  }

  /** Union of postings of the present values {@code v} with {@code m.matches(v) == want}. */
  private static RoaringBitmap matching(LabelIndex index, Matcher m, boolean want) {
    RoaringBitmap out = new RoaringBitmap();
    MatchType type = m.type();
    boolean positive = type == MatchType.EQUAL || type == MatchType.REGEX;
    if (positive == want) {
      if (type == MatchType.EQUAL || type == MatchType.NOT_EQUAL) {
        orInto(out, index.postings(m.name(), m.value()));
        return out;
      }
      Set<String> literals = m.setMatches();
      if (literals != null) {
        for (String lit : literals) {
          orInto(out, index.postings(m.name(), lit));
        }
        return out;
      }
    }
    index.forEachValue(m.name(), (v, p) -> {
      if (m.matches(v) == want) {
        out.or(p);
      }
    });
    return out;
  }

  private static void orInto(RoaringBitmap out, RoaringBitmap p) {
    if (p != null) {
      out.or(p);
    }
  }
}
