package dev.vigil.app;

/**
 * Runs an action on SIGHUP, the signal Prometheus (and every daemon's init script) uses for
 * "reload your configuration".
 *
 * <p>Why {@code sun.misc.Signal}: the JDK has no supported API for catching a signal other than
 * the shutdown hooks of SIGTERM/SIGINT. {@code sun.misc.Signal} lives in the {@code
 * jdk.unsupported} module, which the JDK keeps exported precisely for such uses (JEP 260), so
 * it needs no command-line flags. It is confined to this one class; should it ever disappear,
 * {@code POST /-/reload} does the same job.
 */
final class HangupSignal {
  private static final System.Logger LOG = System.getLogger(HangupSignal.class.getName());

  private HangupSignal() {}

  /**
   * Calls {@code action} on a JVM signal thread each time the process gets SIGHUP; logs and does
   * nothing where the platform has no SIGHUP (Windows).
   */
  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
        LOG.log(System.Logger.Level.INFO, "SIGHUP received, reloading the configuration");
        action.run();
      });
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "SIGHUP cannot be handled here ({0}); use POST /-/reload", e.getMessage());
    }
  }
}
