package dev.deployer.core.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for test servers, and for tests of a server that is not there. */
final class LoopbackPorts {
  private LoopbackPorts() {}

  /**
   * A loopback port that was free a moment ago: nothing listens on it now, so a connection to it is
   * refused until a test starts a server there.
   */
  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
