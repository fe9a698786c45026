package dev.vigil.collector.manager;

import static dev.vigil.collector.manager.StoredSamples.values;
import static dev.vigil.collector.manager.StoredSamples.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.memory.InMemoryStorage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kubernetes discovery through the manager, against fabric8's mock API server, scraping local exporters. */
class ScrapeManagerKubernetesTest {
  // Held so the levels stick: the mock server logs every request, netty complains at shutdown.
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
  private static final Logger NETTY_LOG = Logger.getLogger("io.netty");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
    NETTY_LOG.setLevel(Level.OFF);
  }

  @TempDir Path dir;
  private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
      new HashMap<>(), new KubernetesCrudDispatcher(), false);

  @AfterEach
  void stop() {
    server.destroy();
  }

  @Test
  void nodesBecomeTargetsAndGoStaleWhenDeletedWithOneSharedClient() throws Exception {
    server.init(InetAddress.getLoopbackAddress(), 0);
    AtomicInteger created = new AtomicInteger();
    ManagerOptions options = ManagerOptions.defaults(dir).withKubernetesClients(sd -> {
      created.incrementAndGet();
      return server.createClient();
    });
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter a = new Exporter("m 1\n"); Exporter b = new Exporter("m 2\n");
        KubernetesClient admin = server.createClient(); ScrapeManager m = new ScrapeManager(storage, options)) {
      admin.nodes().resource(node("node-a", a)).create();
      String job = """
            - job_name: %s
              scrape_interval: 100ms
              scrape_timeout: 100ms
              kubernetes_sd_configs: [{role: %s}]
              relabel_configs:
                - source_labels: [__meta_kubernetes_node_name]
                  target_label: node
          """;
      m.apply(ConfigLoader.load("scrape_configs:\n" + job.formatted("kubelet", "node") + job.formatted("pods", "pod")));
      assertThat(created).hasValue(1);
      assertThat(m.kubernetesClientsOpen()).isEqualTo(1);
      waitFor("node-a scraped", () -> values(storage, "m", "job", "kubelet", "node", "node-a").contains(1.0));
      assertThat(values(storage, "m", "instance", "node-a")).isNotEmpty(); // the node role names the instance

      admin.nodes().resource(node("node-b", b)).create();
      waitFor("node-b scraped", () -> values(storage, "m", "node", "node-b").contains(2.0));
      admin.nodes().withName("node-b").delete();
      waitFor("node-b stale", () -> StaleNaN.is(values(storage, "m", "node", "node-b").getLast()));
      assertThat(m.targets().active()).extracting(t -> t.labels().get("node")).containsExactly("node-a");

      // Dropping one job keeps the client the other still uses.
      m.apply(ConfigLoader.load("scrape_configs:\n" + job.formatted("kubelet", "node")));
      assertThat(m.kubernetesClientsOpen()).isEqualTo(1);
      m.apply(ConfigLoader.load("scrape_configs: []\n"));
      assertThat(m.kubernetesClientsOpen()).isZero();
      assertThat(StaleNaN.is(values(storage, "m", "node", "node-a").getLast())).isTrue();
    }
  }

  private static Node node(String name, Exporter e) {
    int port = Integer.parseInt(e.address().substring(e.address().indexOf(':') + 1));
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(port).endKubeletEndpoint()
        .endDaemonEndpoints()
        .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
        .endStatus().build();
  }
}
