package dev.vigil.server;

/**
 * A {@code --listen} value: {@code HOST:PORT}, {@code :PORT} (all interfaces) or
 * {@code [IPv6]:PORT}, as Go servers (and Mimir's flags) spell listen addresses.
 */
public record ListenAddress(String host, int port) {
  public ListenAddress {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** @throws IllegalArgumentException with a message naming the bad value */
  public static ListenAddress parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("listen address must be HOST:PORT or :PORT, got '" + s
          + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("IPv6 hosts need brackets, e.g. [::1]:9009; got '" + s
          + "'");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("listen address has no valid port: '" + s + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("listen port out of range in '" + s + "'");
    }
    return new ListenAddress(host, port);
  }
}
