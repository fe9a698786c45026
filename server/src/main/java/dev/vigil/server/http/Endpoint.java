package dev.vigil.server.http;

/** Answers one route. Runs on a server thread and may block (read bodies, run queries). */
@FunctionalInterface
public interface Endpoint {
  HttpReply handle(HttpCall call) throws Exception;
}
