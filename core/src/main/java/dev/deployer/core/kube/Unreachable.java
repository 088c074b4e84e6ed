package dev.deployer.core.kube;

import dev.deployer.core.error.DeployerException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Tells a failure to reach the API server from other failures, so that the report says "API server
 * unreachable" with the cause instead of the message of whichever call met it first: Java's network
 * exceptions, and any {@link DeployerException} of kind {@code UNREACHABLE} (the Helm engine's,
 * whose kind the engine gives).
 */
public final class Unreachable {
  private Unreachable() {}

  /**
   * The network cause, when {@code error} (or one of its causes) is a failure to reach a server.
   */
  public static Optional<String> cause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      // Named in words: a message never shows a Java class.
      if (t instanceof UnknownHostException) {
        return Optional.of("unknown host " + t.getMessage());
      }
      if (t instanceof NoRouteToHostException) {
        return Optional.of("no route to host: " + t.getMessage());
      }
      if (t instanceof SocketTimeoutException) {
        return Optional.of("timed out: " + t.getMessage());
      }
      if (t instanceof ConnectException) {
        return Optional.of("cannot connect: " + t.getMessage());
      }
      if (t instanceof DeployerException d && d.kind() == DeployerException.Kind.UNREACHABLE) {
        return Optional.of(String.valueOf(d.getMessage()));
      }
    }
    return Optional.empty();
  }

  /**
   * Asks the API server behind {@code client} for its version: empty when it answers, else why it
   * cannot be reached (the network cause when there is one, else the error's message).
   */
  public static Optional<String> check(KubernetesClient client) {
    try {
      client.getKubernetesVersion();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(cause(e).orElseGet(() -> String.valueOf(e.getMessage())));
    }
  }
}
