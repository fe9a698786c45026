package dev.vigil.tsdb.wal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@link WalReader#read(Path, WalReader.RecordConsumer, int)} with reading and checksumming on
 * a second thread: records are handed over in order, so the calling thread (replay: decode and
 * apply) overlaps with file reads and CRC checks. Same result, same stop at the first damage;
 * an exception in either thread ends both and is rethrown here. With a {@link Stage}, part of
 * the per-record work (replay: decoding) runs on the read-ahead thread too, and how far the
 * read-ahead thread may run ahead is a budget in the stage's own weights (replay: bytes of
 * decoded samples), so that it can decode the next stretch of the log while the caller applies
 * the last one, in bounded memory.
 */
public final class WalReadAhead {
  /** Records in flight by default (each a copy of one payload, typically tens of KiB). */
  private static final int DEPTH = 64;

  private WalReadAhead() {}

  private record Rec(byte[] buf, int len, int segment, long offset) {}

  private record End(WalReader.Result result, Throwable error) {}

  // Wrapped so a prepared value can never be mistaken for the end marker.
  private record Item(Object prepared, long weight) {}

  /**
   * Work split between the two threads: {@link #prepare} runs on the read-ahead thread for each
   * record in log order (decoding, say), {@link #consume} on the calling thread with what it
   * returned, in the same order.
   */
  public interface Stage<T> {
    /** On the read-ahead thread; {@code buf} is reused after return. Never returns null. */
    T prepare(byte[] buf, int len, int segment, long offset);

    /** On the calling thread. */
    void consume(T prepared);

    /**
     * On the read-ahead thread: what {@code prepared} takes of the budget of
     * {@link #read(Path, Stage, int, long)} until it has been consumed (at least 1, which is
     * the default: one record).
     */
    default long weight(T prepared) {
      return 1;
    }
  }

  public static WalReader.Result read(Path dir, WalReader.RecordConsumer consumer, int after) {
    return read(dir, new Stage<Rec>() {
      @Override
      public Rec prepare(byte[] buf, int len, int segment, long offset) {
        return new Rec(Arrays.copyOf(buf, len), len, segment, offset);
      }

      @Override
      public void consume(Rec r) {
        consumer.accept(r.buf, r.len, r.segment, r.offset);
      }
    }, after);
  }

  /** As {@link #read(Path, Stage, int, long)} with at most {@value #DEPTH} records in flight. */
  public static <T> WalReader.Result read(Path dir, Stage<T> stage, int after) {
    return read(dir, stage, after, DEPTH);
  }

  /**
   * As {@link #read(Path, WalReader.RecordConsumer, int)} with the work split by {@code stage}.
   * The read-ahead thread hands a record over only while the weights of the records handed over
   * and not consumed yet leave room for its own within {@code budget}, or when there are none
   * (so a record heavier than the whole budget still goes through, alone).
   */
  public static <T> WalReader.Result read(Path dir, Stage<T> stage, int after, long budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("read-ahead budget must be at least 1, got " + budget);
    }
    LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    Gate gate = new Gate(budget);
    Thread reader = Thread.ofPlatform().name("wal-read-ahead").daemon().start(() -> {
      Object end;
      try {
        WalReader.Result r = WalReader.read(dir, (buf, len, segment, offset) -> {
          T prepared = stage.prepare(buf, len, segment, offset);
          long weight = Math.max(1, stage.weight(prepared));
          gate.enter(weight);
          queue.add(new Item(prepared, weight));
        }, after);
        end = new End(r, null);
      } catch (Throwable e) {
        end = new End(null, e);
      }
      queue.add(end); // unbounded: the end never waits, even for a consumer that gave up
    });
    boolean done = false;
    try {
      while (true) {
        Object o = queue.take();
        if (o instanceof Item item) {
          @SuppressWarnings("unchecked")
          T t = (T) item.prepared;
          stage.consume(t);
          gate.leave(item.weight);
        } else {
          End e = (End) o;
          done = true;
          if (e.error instanceof RuntimeException re) {
            throw re;
          }
          if (e.error instanceof Error err) {
            throw err;
          }
          if (e.error != null) {
            throw new IllegalStateException("reading WAL " + dir, e.error);
          }
          return e.result;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying WAL " + dir, e);
    } finally {
      if (!done) {
        gate.cancel();
      }
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The weight handed over and not consumed yet, against the budget; the read-ahead thread
   * waits in {@link #enter} until there is room or the consumer gives up.
   */
  private static final class Gate {
    private final long budget;
    private long inFlight;
    private boolean cancelled;

    Gate(long budget) {
      this.budget = budget;
    }

    synchronized void enter(long weight) {
      while (inFlight > 0 && inFlight + weight > budget && !cancelled) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancellationException("WAL read-ahead interrupted");
        }
      }
      if (cancelled) {
        throw new CancellationException("WAL replay stopped by its consumer");
      }
      inFlight += weight;
    }

    synchronized void leave(long weight) {
      inFlight -= weight;
      notifyAll();
    }

    synchronized void cancel() {
      cancelled = true;
      notifyAll();
    }
  }
}
