package dev.deployer.core;

import dev.deployer.core.event.Event;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes plans and charts into a test's folder and loads them as a command would. */
public final class PlanFiles {
  private final Path dir;
  private final List<Problem> warnings = new ArrayList<>();

  public PlanFiles(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path write(String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal local chart, so that plans referring to it are valid. */
  public Path chart(String name) {
    write(
        name + "/Chart.yaml",
        "apiVersion: v2\nname: " + name.replaceAll(".*/", "") + "\nversion: 0.1.0\n");
    return dir.resolve(name);
  }

  public Plans.LoadedPlan load(String planText) {
    return load(write("deployer.yml", planText));
  }

  public Plans.LoadedPlan load(Path planFile) {
    return Plans.load(planFile, e -> warnings.add(((Event.Warning) e).problem()));
  }

  /** The problems {@code load} reports, as the lines a user sees. */
  public List<String> problems(String planText) {
    try {
      load(planText);
    } catch (PlanException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("the plan loaded without problems");
  }

  public List<String> warnings() {
    return warnings.stream().map(Problem::toString).toList();
  }
}
