package dev.deployer.app;

import dev.deployer.core.helm.HelmEngine;
import dev.deployer.core.helm.NativeHelmEngine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deployer version}: the version filtered in at build time, and the embedded Helm SDK's. */
@Command(
    name = "version",
    aliases = "ver",
    mixinStandardHelpOptions = true,
    description = "Print deployer's version and the version of the Helm SDK it embeds.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("deployer " + version());
    // The library's own build info, recorded when it was built: loading it only to ask costs a
    // tenth of a second of start-up.
    HelmEngine.EngineVersion engine =
        NativeHelmEngine.builtVersion().orElseGet(() -> NativeHelmEngine.shared().version());
    spec.commandLine()
        .getOut()
        .println("helm " + engine.helm() + " (SDK, embedded; built with " + engine.go() + ")");
    return ExitCodes.SUCCESS;
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in =
        VersionCommand.class.getResourceAsStream("/deployer-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  /** Answers {@code deployer --version}. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"deployer " + version()};
    }
  }
}
