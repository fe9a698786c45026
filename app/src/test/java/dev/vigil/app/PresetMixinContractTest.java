package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.preset.KubernetesPreset;
import dev.vigil.mixin.MixinStarter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jobs `vigil mixin init` selects are jobs the Kubernetes preset scrapes. */
class PresetMixinContractTest {
  @Test
  void everyMixinSelectorNamesAPresetJob() {
    List<String> presetJobs = KubernetesPreset.config(KubernetesPreset.Options.defaults("c")).scrapeConfigs().stream()
        .map(ScrapeConfig::jobName).toList();
    assertThat(MixinStarter.defaults().jobs().values()).isNotEmpty().allSatisfy(job -> assertThat(presetJobs).contains(job));
    // The kubernetes-mixin's own defaults for the scheduler and controller manager are the
    // chart's job names already.
    assertThat(presetJobs).contains("kube-scheduler", "kube-controller-manager");
  }
}
