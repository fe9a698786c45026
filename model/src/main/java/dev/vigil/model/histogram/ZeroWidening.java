package dev.vigil.model.histogram;

/**
 * What a histogram's zero count would be with a larger zero threshold (Prometheus's
 * zeroCountForLargerThreshold): buckets below the threshold fold into the zero bucket; if the
 * threshold falls inside a populated bucket it moves up to that bucket's upper bound.
 *
 * @param compensation the Kahan compensation of {@code zeroCount}, for callers that sum with it
 */
record ZeroWidening(double zeroCount, double compensation, double threshold) {

  static ZeroWidening of(FloatHistogram h, double larger) {
    if (larger == h.zeroThreshold()) {
      return new ZeroWidening(h.zeroCount(), 0, larger);
    }
    if (larger < h.zeroThreshold()) {
      throw new IllegalArgumentException(
          "new threshold " + larger + " is less than old threshold " + h.zeroThreshold());
    }
    BucketIterator it = new BucketIterator();
    outer:
    while (true) {
      double zc = h.zeroCount();
      double zcC = 0;
      it.reset(h, true, false);
      while (it.next()) {
        if (it.lower() >= larger) {
          break;
        }
        zcC = KahanSum.compensation(it.count(), zc, zcC);
        zc += it.count();
        if (it.upper() > larger) {
          if (it.count() != 0) {
            larger = it.upper();
          }
          break;
        }
      }
      it.reset(h, false, false);
      while (it.next()) {
        if (it.upper() <= -larger) {
          break;
        }
        zcC = KahanSum.compensation(it.count(), zc, zcC);
        zc += it.count();
        if (it.lower() < -larger) {
          if (it.count() != 0) {
            larger = -it.lower();
            continue outer;
          }
          break;
        }
      }
      return new ZeroWidening(zc, zcC, larger);
    }
  }
}
