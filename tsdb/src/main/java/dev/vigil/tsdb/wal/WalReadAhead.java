package dev.vigil.tsdb.wal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * {@link WalReader#read(Path, WalReader.RecordConsumer, int)} with reading and checksumming on
 * a second thread: records are handed over in order through a bounded queue, so the calling
 * thread (replay: decode and apply) overlaps with file reads and CRC checks. Same result, same
 * stop at the first damage; an exception in either thread ends both and is rethrown here. With
 * a {@link Stage}, part of the per-record work (replay: decoding) runs on the read-ahead thread
 * too.
 */
public final class WalReadAhead {
  /** Records in flight (each a copy of one payload, typically tens of KiB). */
  private static final int DEPTH = 64;

  private WalReadAhead() {}

  private record Rec(byte[] buf, int len, int segment, long offset) {}

  private record End(WalReader.Result result, Throwable error) {}

  // Wrapped so a prepared value can never be mistaken for the end marker.
  private record Item(Object prepared) {}

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

  /** As {@link #read(Path, WalReader.RecordConsumer, int)} with the work split by {@code stage}. */
  public static <T> WalReader.Result read(Path dir, Stage<T> stage, int after) {
    ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEPTH);
    Cancel cancel = new Cancel();
    Thread reader = Thread.ofPlatform().name("wal-read-ahead").daemon().start(() -> {
      Object end;
      try {
        WalReader.Result r = WalReader.read(dir, (buf, len, segment, offset) ->
            hand(queue, cancel, new Item(stage.prepare(buf, len, segment, offset))), after);
        end = new End(r, null);
      } catch (Throwable e) {
        end = new End(null, e);
      }
      try {
        hand(queue, cancel, end);
      } catch (CancellationException e) {
        // The consumer gave up: nobody waits for the end.
      }
    });
    boolean done = false;
    try {
      while (true) {
        Object o = queue.take();
        if (o instanceof Item item) {
          @SuppressWarnings("unchecked")
          T t = (T) item.prepared;
          stage.consume(t);
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
        cancel.cancelled = true;
      }
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class Cancel {
    volatile boolean cancelled;
  }

  // Blocks while the queue is full, giving up when the consumer has failed.
  private static void hand(ArrayBlockingQueue<Object> queue, Cancel cancel, Object o) {
    try {
      while (!queue.offer(o, 50, TimeUnit.MILLISECONDS)) {
        if (cancel.cancelled) {
          throw new CancellationException("WAL replay stopped by its consumer");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("WAL read-ahead interrupted");
    }
  }
}
