package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class HangupSignalTest {
  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no SIGHUP on Windows")
  void sighupToThisProcessRunsTheAction() throws Exception {
    CountDownLatch reloaded = new CountDownLatch(2);
    HangupSignal.onHangup(reloaded::countDown);
    for (int i = 0; i < 2; i++) {
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor()).isZero();
      Thread.sleep(100);
    }
    assertThat(reloaded.await(10, TimeUnit.SECONDS)).as("both SIGHUPs handled").isTrue();
  }
}
