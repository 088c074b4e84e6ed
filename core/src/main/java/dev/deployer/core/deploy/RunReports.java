package dev.deployer.core.deploy;

import dev.deployer.core.outcome.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The report of a scheduled run: each release's outcome, revisions, reason and drift. */
final class RunReports {
  private RunReports() {}

  static RunReport report(
      String command,
      ScheduleResult result,
      boolean cancelled,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, Undo> undone,
      List<MonitorReport> monitors,
      Map<String, String> drift) {
    List<ReleaseReport> lines = new ArrayList<>();
    boolean ok =
        result.succeeded()
            && !cancelled
            && monitors.stream().noneMatch(m -> m.failed() || m.error());
    for (ReleaseResult r : result.releases()) {
      Outcome outcome = r.outcome();
      Optional<String> reason = r.reason();
      Undo u = undone.get(r.release());
      if (u != null) {
        outcome = u.outcome();
        reason = Optional.of(reason.map(x -> x + "; ").orElse("") + u.note());
        ok &= !u.failed();
      }
      lines.add(
          new ReleaseReport(
              r.release(),
              outcome,
              Optional.ofNullable(before.get(r.release())),
              // An unchanged release stays at the revision it had.
              Optional.ofNullable(after.get(r.release()))
                  .or(
                      () ->
                          r.outcome() == Outcome.UNCHANGED && u == null
                              ? Optional.ofNullable(before.get(r.release()))
                              : Optional.empty()),
              r.duration(),
              reason,
              Optional.ofNullable(drift.get(r.release())),
              u != null));
    }
    return new RunReport(command, lines, ok, cancelled, lockedOut(result), monitors);
  }

  private static List<String> lockedOut(ScheduleResult result) {
    List<String> out = new ArrayList<>();
    for (ReleaseResult r : result.releases()) {
      if (r.error().filter(LockHeldException.class::isInstance).isPresent()) {
        out.add(r.release() + ": " + r.error().get().getMessage());
      }
    }
    return out;
  }
}
