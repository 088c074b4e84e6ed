package dev.deployer.core.hooks;

import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Release;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs lifecycle commands: without a shell, in the plan's folder, with {@code
 * DEPLOYER_LIFECYCLE_TYPE} (the phase) and {@code DEPLOYER_RELEASE} (the release's unique name,
 * empty for the plan's own hooks) in the environment, and helmwave's {@code
 * HELMWAVE_LIFECYCLE_TYPE} ({@code pre-build}, ...) and {@code HELMWAVE_LIFECYCLE_RELEASE_UNIQNAME}
 * (set for a release's hooks only).
 */
public final class HookRunner {
  private static final int TAIL_LINES = 20;

  private final Path workDir;
  private final Map<String, String> environment;

  public HookRunner(Path workDir, Map<String, String> environment) {
    this.workDir = workDir;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Runs the hooks of {@code phase} one after another.
   *
   * @throws HookFailedException when a hook fails without {@code allow_failure}
   */
  public void run(
      Lifecycle lifecycle,
      Lifecycle.Phase phase,
      Optional<Release> release,
      EventListener listener) {
    String releaseName = release.map(Release::uniqueName).orElse("");
    for (Lifecycle.Hook hook : lifecycle.hooks(phase)) {
      List<String> command = new ArrayList<>();
      command.add(hook.cmd());
      command.addAll(hook.args());
      String line = String.join(" ", command);
      listener.on(new Event.HookStarted(phase.yamlName(), releaseName, line));
      String failure = runOne(command, phase, releaseName, hook.show(), listener);
      if (failure == null) {
        continue;
      }
      String where = (releaseName.isEmpty() ? "" : releaseName + " ") + phase.yamlName();
      String message = where + " hook `" + line + "` (" + hook.location() + ") " + failure;
      if (hook.allowFailure()) {
        listener.on(
            new Event.Warning(
                new Problem(
                    hook.location(),
                    "lifecycle." + phase.yamlName(),
                    failure + "; allowed to fail")));
      } else {
        throw new HookFailedException(message);
      }
    }
  }

  /** Null when the command succeeded, else why it failed with the last lines it printed. */
  private String runOne(
      List<String> command,
      Lifecycle.Phase phase,
      String release,
      boolean show,
      EventListener listener) {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(environment);
    pb.environment().put("DEPLOYER_LIFECYCLE_TYPE", phase.yamlName());
    pb.environment().put("DEPLOYER_RELEASE", release);
    // helmwave's names, so the scripts of a helmwave.yml's hooks read what they read there.
    pb.environment().put("HELMWAVE_LIFECYCLE_TYPE", phase.yamlName().replace('_', '-'));
    if (!release.isEmpty()) {
      pb.environment().put("HELMWAVE_LIFECYCLE_RELEASE_UNIQNAME", release);
    } else {
      pb.environment().remove("HELMWAVE_LIFECYCLE_RELEASE_UNIQNAME");
    }
    Deque<String> tail = new ArrayDeque<>();
    try {
      Process process = pb.start();
      process.getOutputStream().close();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (show) {
            listener.on(new Event.HookOutput(release, line));
          }
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
      int exit = process.waitFor();
      if (exit == 0) {
        return null;
      }
      return "exited with code "
          + exit
          + (tail.isEmpty() || show ? "" : ":\n  " + String.join("\n  ", tail));
    } catch (IOException e) {
      return "could not start: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "was interrupted";
    }
  }
}
