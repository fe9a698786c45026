package dev.vigil.collector.discovery.kubernetes;

import dev.vigil.collector.config.KubernetesSdConfig;
import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.config.KubernetesSdConfig.Selector;
import dev.vigil.collector.discovery.TargetGroup;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/** fabric8's mock API server in CRUD mode on loopback, a client, and a recording listener. */
final class MockCluster implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);
  // Held so the levels stick: the mock server logs every request, netty complains at shutdown.
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
  private static final Logger NETTY_LOG = Logger.getLogger("io.netty");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
    NETTY_LOG.setLevel(Level.OFF);
  }

  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;
  private final Object lock = new Object();
  private final List<List<TargetGroup>> snapshots = new ArrayList<>();
  private final List<KubernetesDiscovery> discoveries = new ArrayList<>();
  private final List<AutoCloseable> others = new ArrayList<>();

  MockCluster() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  static KubernetesSdConfig config(Role role, List<String> namespaces, List<Selector> selectors) {
    return new KubernetesSdConfig(role, "", "", false, namespaces, selectors, false, false, null);
  }

  /** Starts a discovery recording into this cluster and waits for its first snapshot. */
  KubernetesDiscovery discover(KubernetesSdConfig config) throws Exception {
    return discover(config, client);
  }

  /** As {@link #discover(KubernetesSdConfig)} through another client. */
  KubernetesDiscovery discover(KubernetesSdConfig config, io.fabric8.kubernetes.client.KubernetesClient via)
      throws Exception {
    KubernetesDiscovery d = new KubernetesDiscovery(config, via, groups -> {
      synchronized (lock) {
        snapshots.add(groups);
        lock.notifyAll();
      }
    });
    discoveries.add(d);
    d.start().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return d;
  }

  /** Waits for a snapshot satisfying {@code p} and returns it. */
  List<TargetGroup> await(Predicate<List<TargetGroup>> p) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (lock) {
      while (true) {
        if (!snapshots.isEmpty() && p.test(snapshots.getLast())) {
          return snapshots.getLast();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching snapshot; last: " + (snapshots.isEmpty() ? "none" : snapshots.getLast()));
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Closes {@code c} with the cluster, after the server (see {@link #close()}). */
  <T extends AutoCloseable> T closeLater(T c) {
    others.add(c);
    return c;
  }

  int snapshotCount() {
    synchronized (lock) {
      return snapshots.size();
    }
  }

  /** Waits for a snapshot with exactly these sources. */
  List<TargetGroup> awaitSources(String... sources) throws InterruptedException {
    List<String> want = List.of(sources);
    return await(gs -> gs.stream().map(TargetGroup::source).toList().equals(want));
  }

  @Override
  public void close() {
    // Server first: the mock's watch listener blocks its event loop when a client closes a watch
    // while it is still sending, which can stall destroy() for its full timeout.
    server.destroy();
    discoveries.forEach(KubernetesDiscovery::close);
    for (AutoCloseable c : others) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    client.close();
  }
}
