package dev.deployer.core.helm;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.RepoServerOptions;
import com.marcnuri.helm.jni.Result;
import java.lang.reflect.Field;

/**
 * Helm's own test servers, from helm-java's native library: a chart repository serving packaged
 * charts with a generated index.yaml, and an OCI registry (distribution, in memory, htpasswd auth).
 *
 * <p>helm-java keeps its loaded library in a package-private holder. Loading the library a second
 * time would start a second Go runtime in this process, so the holder's instance is borrowed.
 */
public final class HelmTestServers {

  private HelmTestServers() {}

  public static HelmLib lib() {
    try {
      Class<?> holder = Class.forName("com.marcnuri.helm.Helm$HelmLibHolder");
      Field instance = holder.getDeclaredField("INSTANCE");
      instance.setAccessible(true);
      return (HelmLib) instance.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("helm-java changed its library holder", e);
    }
  }

  /**
   * Starts a chart repository serving copies of the files matching {@code glob}; with a username
   * and password it answers 401 to requests without them.
   *
   * @return the repository URL, {@code http://127.0.0.1:PORT}
   */
  public static String startRepository(String glob, String username, String password) {
    return out(lib().RepoServerStart(new RepoServerOptions(glob, username, password)));
  }

  /**
   * Starts an OCI registry that requires the username and password. helm-java cannot stop it; it
   * lives until the JVM exits.
   *
   * @return the registry's {@code localhost:PORT}
   */
  public static String startRegistry(String username, String password) {
    return out(lib().RepoOciServerStart(new RepoServerOptions(null, username, password)));
  }

  public static void stop(String url) {
    lib().RepoServerStop(url);
  }

  private static String out(Result result) {
    if (result.err != null && !result.err.isBlank()) {
      throw new IllegalStateException(result.err);
    }
    return result.out;
  }
}
