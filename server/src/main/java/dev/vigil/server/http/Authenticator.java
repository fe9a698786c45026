package dev.vigil.server.http;

/**
 * Decides whether a request may be served, before its endpoint sees it. May return a different
 * call (for example with the tenant header filled in from the credentials).
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * @return the call to serve
   * @throws Refused with the answer to send instead (401, 403)
   */
  HttpCall authenticate(HttpCall call) throws Refused;

  /** Lets every request through unchanged. */
  Authenticator NONE = call -> call;

  /** A refusal with its reply. */
  final class Refused extends Exception {
    private final transient HttpReply reply;

    public Refused(HttpReply reply) {
      super(reply.status() + "", null, false, false);
      this.reply = reply;
    }

    public HttpReply reply() {
      return reply;
    }
  }
}
