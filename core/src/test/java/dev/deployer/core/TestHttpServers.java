package dev.deployer.core;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Small JDK HTTP servers on a free loopback port, for http monitors in tests. */
public final class TestHttpServers {
  private TestHttpServers() {}

  /** A started server answering every request with {@code status} and no body. */
  public static HttpServer answering(int status) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server;
  }
}
