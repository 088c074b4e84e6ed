package dev.deployer.core.deploy;

import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Release;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a run's result and on the journal of its tasks. */
final class ScheduleAssertions {
  private ScheduleAssertions() {}

  static RunAssert assertThatRun(ScheduleResult actual) {
    return new RunAssert(actual);
  }

  static JournalAssert assertThatJournal(ScriptedTask actual) {
    return new JournalAssert(actual);
  }

  static final class RunAssert extends AbstractAssert<RunAssert, ScheduleResult> {
    RunAssert(ScheduleResult actual) {
      super(actual, RunAssert.class);
    }

    RunAssert hasOutcome(String release, Outcome outcome) {
      isNotNull();
      Outcome was = actual.result(release).outcome();
      if (was != outcome) {
        failWithMessage(
            "expected %s to be %s but it was %s (%s)",
            release, outcome.word(), was.word(), actual.result(release).summary());
      }
      return this;
    }

    /** The outcome and reason, as in {@code skipped: dependency api@shop failed}. */
    RunAssert hasSummary(String release, String summary) {
      isNotNull();
      String was = actual.result(release).summary();
      if (!was.equals(summary)) {
        failWithMessage("expected %s to be <%s> but it was <%s>", release, summary, was);
      }
      return this;
    }

    RunAssert deployed(String... releases) {
      for (String r : releases) {
        hasOutcome(r, Outcome.DEPLOYED);
      }
      return this;
    }

    RunAssert startedInOrder(String... releases) {
      isNotNull();
      if (!actual.startOrder().equals(List.of(releases))) {
        failWithMessage(
            "expected releases to start in order %s but they started in order %s",
            List.of(releases), actual.startOrder());
      }
      return this;
    }

    RunAssert succeeded() {
      isNotNull();
      if (!actual.succeeded()) {
        failWithMessage("expected the run to succeed but it did not: %s", actual.releases());
      }
      return this;
    }

    RunAssert failed() {
      isNotNull();
      if (actual.succeeded()) {
        failWithMessage("expected the run to fail but it succeeded: %s", actual.releases());
      }
      return this;
    }
  }

  static final class JournalAssert extends AbstractAssert<JournalAssert, ScriptedTask> {
    JournalAssert(ScriptedTask actual) {
      super(actual, JournalAssert.class);
    }

    /** {@code later}'s task started only once {@code earlier}'s task had ended. */
    JournalAssert startedAfterFinishOf(String later, String earlier) {
      List<String> journal = actual.journal();
      int start = position(journal, "start " + later);
      int end = position(journal, "end " + earlier);
      if (start < end) {
        failWithMessage(
            "expected %s to start after %s finished, but the tasks ran %s",
            later, earlier, journal);
      }
      return this;
    }

    /** {@code release}'s task started while {@code other}'s task was still running. */
    JournalAssert startedBeforeFinishOf(String release, String other) {
      List<String> journal = actual.journal();
      int start = position(journal, "start " + release);
      int end = position(journal, "end " + other);
      if (start > end) {
        failWithMessage(
            "expected %s to start before %s finished, but the tasks ran %s",
            release, other, journal);
      }
      return this;
    }

    /** Every task started after the tasks of all its release's dependencies had ended. */
    JournalAssert startedAfterTheirDependencies(ReleaseGraph graph) {
      for (Release r : graph.releases()) {
        if (!actual.journal().contains("start " + r.uniqueName())) {
          continue;
        }
        for (Release d : graph.dependenciesOf(r)) {
          startedAfterFinishOf(r.uniqueName(), d.uniqueName());
        }
      }
      return this;
    }

    JournalAssert neverStarted(String... releases) {
      List<String> journal = actual.journal();
      for (String r : releases) {
        if (journal.contains("start " + r)) {
          failWithMessage("expected %s never to start, but the tasks ran %s", r, journal);
        }
      }
      return this;
    }

    JournalAssert ranAtMostAtOnce(int limit) {
      if (actual.mostRunningAtOnce() > limit) {
        failWithMessage(
            "expected at most %s tasks at once but %s ran at once",
            limit, actual.mostRunningAtOnce());
      }
      return this;
    }

    private int position(List<String> journal, String line) {
      int at = journal.indexOf(line);
      if (at < 0) {
        failWithMessage("expected the journal to have <%s> but the tasks ran %s", line, journal);
      }
      return at;
    }
  }
}
