package dev.deployer.core.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CancellationTest {

  @Test
  @Timeout(5)
  void theFirstReasonCountsAndListenersHearItOnce() {
    Cancellation cancellation = new Cancellation();
    List<String> heard = new ArrayList<>();
    cancellation.onCancel(() -> heard.add("first"));

    cancellation.cancel("SIGINT");
    cancellation.cancel("SIGTERM");

    assertThat(cancellation.isCancelled()).isTrue();
    assertThat(cancellation.reason()).contains("SIGINT");
    assertThat(heard).containsExactly("first");
  }

  @Test
  @Timeout(5)
  void aListenerAddedAfterCancellingRunsAtOnce() {
    Cancellation cancellation = new Cancellation();
    cancellation.cancel("SIGINT");
    List<String> heard = new ArrayList<>();

    cancellation.onCancel(() -> heard.add("late"));

    assertThat(heard).containsExactly("late");
  }

  @Test
  @Timeout(5)
  void aClosedRegistrationIsNotRun() {
    Cancellation cancellation = new Cancellation();
    List<String> heard = new ArrayList<>();
    cancellation.onCancel(() -> heard.add("closed")).close();
    cancellation.onCancel(() -> heard.add("kept"));

    cancellation.cancel("SIGINT");

    assertThat(heard).containsExactly("kept");
    assertThat(new Cancellation().reason()).isEmpty();
  }
}
