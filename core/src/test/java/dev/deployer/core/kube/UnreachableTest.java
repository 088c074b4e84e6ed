package dev.deployer.core.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.helm.HelmOperationException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnreachableTest {
  @Test
  void javaNetworkFailuresAreNamedInWordsWithoutClassNames() {
    var fabric8Like =
        new RuntimeException(
            "Operation: [get] for kind: [Lease] failed.",
            new ConnectException("Connection refused"));
    assertThat(Unreachable.cause(fabric8Like)).contains("cannot connect: Connection refused");
    assertThat(Unreachable.cause(new RuntimeException(new UnknownHostException("api.example"))))
        .contains("unknown host api.example");
    assertThat(Unreachable.cause(new RuntimeException("the chart has no templates"))).isEmpty();
  }

  @Test
  void theEngineIsBelievedByKindNeverByItsWords() {
    String dialError =
        "kubernetes cluster unreachable: Get \"https://127.0.0.1:6443/version\": dial tcp"
            + " 127.0.0.1:6443: connect: connection refused";
    assertThat(
            Unreachable.cause(
                new HelmOperationException(
                    dialError, Optional.empty(), HelmOperationException.Reason.UNREACHABLE)))
        .contains(dialError);
    assertThat(
            Unreachable.cause(
                new HelmOperationException(
                    dialError, Optional.empty(), HelmOperationException.Reason.FAILED)))
        .isEmpty();
  }
}
