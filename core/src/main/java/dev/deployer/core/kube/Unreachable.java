package dev.deployer.core.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Tells a failure to reach the API server from other failures, so that the report says "API server
 * unreachable" with the cause instead of the message of whichever call met it first. Both Java's
 * network exceptions and the Go engine's messages (carried as text) are recognised.
 */
public final class Unreachable {
  private static final List<String> GO_MESSAGES =
      List.of(
          "connect: connection refused",
          "no such host",
          "i/o timeout",
          "connection reset by peer",
          "network is unreachable",
          "no route to host",
          "http2: client connection lost",
          "unexpected EOF");

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
      Optional<String> text = cause(t.getMessage());
      if (text.isPresent()) {
        return text;
      }
    }
    return Optional.empty();
  }

  /** The network cause named in an error message, such as the engine's. */
  public static Optional<String> cause(String message) {
    if (message == null) {
      return Optional.empty();
    }
    for (String m : GO_MESSAGES) {
      int at = message.indexOf(m);
      if (at >= 0) {
        // From the last "dial tcp" or "Get" before it: the address and what went wrong.
        int dial = message.lastIndexOf("dial tcp", at);
        return Optional.of(message.substring(dial >= 0 ? dial : Math.max(0, at - 40)).strip());
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
