package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RefColumnsTest {
  private static long[] column(long from, int n) {
    long[] refs = new long[n];
    for (int i = 0; i < n; i++) {
      refs[i] = from + i;
    }
    return refs;
  }

  @Test
  void aColumnIsSharedFromItsSecondSightingOnAndNeverWritten() {
    RefColumns columns = new RefColumns();
    long[] scratch = new long[3000];
    System.arraycopy(column(1, 2000), 0, scratch, 0, 2000);
    assertThat(columns.shared(scratch, 2000)).isNull(); // seen once: the record keeps a copy
    long[] shared = columns.shared(scratch, 2000);
    assertThat(shared).isNotSameAs(scratch).hasSize(2000).isEqualTo(column(1, 2000));
    Arrays.fill(scratch, 7); // the next record decoded into the scratch array
    System.arraycopy(column(1, 2000), 0, scratch, 0, 2000);
    assertThat(columns.shared(scratch, 2000)).isSameAs(shared);
    assertThat(shared).isEqualTo(column(1, 2000));
    // A prefix of the column, or another column, is another layout.
    assertThat(columns.shared(scratch, 1999)).isNull();
    assertThat(columns.shared(column(5000, 2000), 2000)).isNull();
  }

  /** Columns equal where the hash samples them but different elsewhere are not mixed up. */
  @Test
  void columnsWithTheSameHashAreComparedInFull() {
    RefColumns columns = new RefColumns();
    long[] a = column(1, 100);
    long[] b = a.clone();
    b[50] = 9999; // the hash samples 0, 14, 28, ..., 99
    assertThat(FloatRecordWindow.refsHash(a, 100)).isEqualTo(FloatRecordWindow.refsHash(b, 100));
    assertThat(columns.shared(a, 100)).isNull();
    long[] sharedA = columns.shared(a, 100);
    assertThat(sharedA).isEqualTo(a);
    assertThat(columns.shared(b, 100)).isNull();
    assertThat(columns.shared(a, 100)).isSameAs(sharedA);
  }

  /** Past its bounds it starts over; what it handed out is untouched and still right. */
  @Test
  void manyColumnsStartItOverAndArraysHandedOutStayValid() {
    RefColumns columns = new RefColumns();
    SplittableRandom r = new SplittableRandom(3);
    long[] first = column(1, 64);
    columns.shared(first, 64);
    long[] shared = columns.shared(first, 64);
    for (int i = 0; i < 3 * RefColumns.MAX_COLUMNS; i++) {
      long[] c = column(1000 + r.nextInt(1 << 20) * 64L, 1 + r.nextInt(64));
      long[] got = columns.shared(c, c.length);
      if (got != null) {
        assertThat(got).isEqualTo(c);
      }
    }
    assertThat(shared).isEqualTo(column(1, 64));
    // Sharing goes on after starting over.
    long[] again = columns.shared(first, 64);
    if (again == null) {
      again = columns.shared(first, 64);
    }
    assertThat(again).isEqualTo(first);
  }

  /** A bound on refs in shared arrays (a 64th of the heap in replay) starts it over too. */
  @Test
  void moreRefsThanItsBoundStartItOver() {
    RefColumns columns = new RefColumns(1); // at least 65,536 refs
    long[][] handedOut = new long[40][];
    int startedOver = 0;
    for (int i = 0; i < 40; i++) {
      long[] c = column(1 + i * 2000L, 2000);
      columns.shared(c, 2000);
      handedOut[i] = columns.shared(c, 2000);
      if (handedOut[i] == null) {
        startedOver++; // the second sighting came right after starting over
      }
    }
    assertThat(startedOver).isPositive().isLessThan(4);
    for (int i = 0; i < 40; i++) {
      if (handedOut[i] != null) {
        assertThat(handedOut[i]).isEqualTo(column(1 + i * 2000L, 2000));
      }
    }
  }
}
