/**
 * Kubernetes service discovery ({@code kubernetes_sd_configs}) on fabric8 informers. Each role
 * turns API objects into {@link dev.vigil.collector.discovery.TargetGroup}s carrying exactly
 * Prometheus's {@code __meta_kubernetes_*} labels and {@code __address__} (Prometheus's
 * {@code discovery/kubernetes}); {@link dev.vigil.collector.discovery.kubernetes.KubernetesDiscovery}
 * delivers full snapshots to a {@link dev.vigil.collector.discovery.kubernetes.TargetGroupListener}.
 * Labels with an empty value are left out (Prometheus treats them as absent).
 */
package dev.vigil.collector.discovery.kubernetes;
