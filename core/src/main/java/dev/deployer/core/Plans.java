package dev.deployer.core;

import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.PlanChecks;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.PlanReader;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plandir.PlanDirectory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a plan file and checks it whole: the entry point of every command that reads a plan. */
public final class Plans {
  /** The plan file names looked for, in order, when none is given. */
  public static final String[] DEFAULT_FILES = {
    "deployer.yml", "deployer.yaml", "helmwave.yml", "helmwave.yaml"
  };

  private Plans() {}

  /**
   * Reads, checks and resolves the plan at {@code file}.
   *
   * @throws PlanException with every problem found, when there is any
   */
  public static LoadedPlan load(Path file, EventListener listener) {
    Problems problems = new Problems();
    Plan plan = PlanReader.read(file, problems);
    PlanChecks.check(plan, problems);
    ReleaseGraph graph = ReleaseGraph.of(plan, problems);
    problems.warnings().forEach(w -> listener.on(new Event.Warning(w)));
    problems.throwIfErrors();
    return new LoadedPlan(plan, graph);
  }

  /**
   * The plan a plan directory describes (its planfile), for commands that only read: its digests
   * are not checked, as a plan directory that changed since its build still names its releases.
   *
   * @throws PlanException when {@code dir} is not a plan directory or its planfile is broken
   */
  public static LoadedPlan loadPlanDirectory(Path dir) {
    Plan plan = PlanDirectory.open(dir).plan();
    Problems problems = new Problems();
    ReleaseGraph graph = ReleaseGraph.of(plan, problems);
    problems.throwIfErrors();
    return new LoadedPlan(plan, graph);
  }

  /** The plan file in {@code dir}: the first of {@link #DEFAULT_FILES} that exists. */
  public static Path find(Path dir) {
    for (String name : DEFAULT_FILES) {
      Path candidate = dir.resolve(name);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    return dir.resolve(DEFAULT_FILES[0]);
  }

  /** A plan whose problems have all been checked, with its resolved release graph. */
  public record LoadedPlan(Plan plan, ReleaseGraph graph) {}
}
