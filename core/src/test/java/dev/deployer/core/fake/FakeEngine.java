package dev.deployer.core.fake;

import dev.deployer.core.deploy.RevisionPolicy;
import dev.deployer.core.helm.EngineEvent;
import dev.deployer.core.helm.HelmEngine;
import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.ReleaseStatus;
import dev.deployer.core.helm.RenderRequest;
import dev.deployer.core.helm.RollbackRequest;
import dev.deployer.core.helm.UninstallRequest;
import dev.deployer.core.helm.UpgradePlan;
import dev.deployer.core.helm.UpgradeRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Helm engine in memory, for tests of deploy policy that must not wait for a cluster: each
 * release's revisions with Helm's statuses, and failures scripted per release.
 *
 * <p>What it models, as Helm does: an install or upgrade records a new revision {@code deployed}
 * and marks the one deployed before {@code superseded}; a failed upgrade records its revision
 * {@code failed} and leaves the one before {@code deployed}; a rollback records a new revision with
 * the target's chart, values and manifest; an uninstall removes the records. Releases are named
 * {@code name@namespace}, as the plan's unique names; the kubeconfig is ignored.
 *
 * <p>What it leaves out: charts are local directories read for {@code Chart.yaml}'s name and
 * versions only; "rendering" writes one ConfigMap named after the release, holding the values
 * files' text; values are compared as text, not merged; history is never pruned; operations are
 * never cancelled and never wait; {@code atomic} and the calls no policy test needs (dependencies,
 * packaging, lint, version) throw {@link UnsupportedOperationException}. All methods are
 * synchronized: the scheduler calls them from several threads.
 */
public final class FakeEngine implements HelmEngine {
  /** A revision and the values text it was recorded with. */
  private record Stored(ReleaseRevision revision, String values) {}

  /** What the next upgrade or rollback of a release does instead of succeeding. */
  private sealed interface Script {}

  private record FailUpgrade(String message) implements Script {}

  private record TimeOut(String kind, String name, String status) implements Script {}

  private record StayPending() implements Script {}

  private record FailRollback(String message) implements Script {}

  private final Map<String, List<Stored>> releases = new HashMap<>();
  private final Map<String, Script> upgradeScripts = new HashMap<>();
  private final Map<String, Script> rollbackScripts = new HashMap<>();
  private final List<String> calls = new ArrayList<>();

  // --- scripting -------------------------------------------------------------------------------

  /** Every later upgrade of {@code release} fails with Helm's {@code message}, revision failed. */
  public synchronized FakeEngine failUpgrade(String release, String message) {
    upgradeScripts.put(release, new FailUpgrade(message));
    return this;
  }

  /**
   * Every later upgrade of {@code release} runs out of time while Helm waits for a resource: the
   * engine reports the wait ({@code kind namespace/name: status}), then fails with {@code context
   * deadline exceeded}, revision failed.
   */
  public synchronized FakeEngine timeOut(String release, String kind, String name, String status) {
    upgradeScripts.put(release, new TimeOut(kind, name, status));
    return this;
  }

  /**
   * Every later upgrade of {@code release} is cut short as by a killed run: its revision stays
   * {@code pending-install} or {@code pending-upgrade}, and the call fails.
   */
  public synchronized FakeEngine stayPending(String release) {
    upgradeScripts.put(release, new StayPending());
    return this;
  }

  /** Every later rollback of {@code release} fails with Helm's {@code message}. */
  public synchronized FakeEngine failRollback(String release, String message) {
    rollbackScripts.put(release, new FailRollback(message));
    return this;
  }

  /** Upgrades and rollbacks of {@code release} succeed again. */
  public synchronized FakeEngine heal(String release) {
    upgradeScripts.remove(release);
    rollbackScripts.remove(release);
    return this;
  }

  /** Sets the status of a recorded revision, as another client (or a dead run) would have. */
  public synchronized FakeEngine setStatus(String release, int revision, ReleaseStatus status) {
    List<Stored> history = releases.getOrDefault(release, List.of());
    for (int i = 0; i < history.size(); i++) {
      Stored s = history.get(i);
      if (s.revision().revision() == revision) {
        history.set(
            i, new Stored(with(s.revision(), status, s.revision().description()), s.values()));
        return this;
      }
    }
    throw new IllegalArgumentException(release + " has no revision " + revision);
  }

  // --- what tests read -------------------------------------------------------------------------

  /** Each revision of the release as {@code 1 superseded}, oldest first; empty when none. */
  public synchronized List<String> statuses(String release) {
    return releases.getOrDefault(release, List.of()).stream()
        .map(s -> s.revision().revision() + " " + s.revision().status())
        .toList();
  }

  /** The values text the release's newest revision was recorded with. */
  public synchronized Optional<String> values(String release) {
    List<Stored> history = releases.getOrDefault(release, List.of());
    return history.isEmpty()
        ? Optional.empty()
        : Optional.of(history.get(history.size() - 1).values());
  }

  /**
   * The changes asked of the engine, in order: {@code upgrade a@app}, {@code rollback a@app to 1}.
   */
  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  void record(String call) {
    synchronized (calls) {
      calls.add(call);
    }
  }

  // --- HelmEngine ------------------------------------------------------------------------------

  @Override
  public String render(RenderRequest request) {
    Chart chart = Chart.read(request.chart());
    return manifest(chart, request.releaseName(), valuesText(request.valuesFiles()));
  }

  @Override
  public synchronized ReleaseRevision upgrade(UpgradeRequest request, Operation operation) {
    if (request.options().deployment().atomic()) {
      throw new UnsupportedOperationException("FakeEngine does not model atomic upgrades");
    }
    String release = key(request.release());
    record("upgrade " + release);
    List<Stored> history = releases.computeIfAbsent(release, k -> new ArrayList<>());
    boolean installs = history.isEmpty();
    ReleaseRevision next = planned(request, history);
    String values = valuesText(request.valuesFiles());
    Script script = upgradeScripts.get(release);
    if (script instanceof StayPending) {
      history.add(
          new Stored(
              with(
                  next,
                  installs ? ReleaseStatus.PENDING_INSTALL : ReleaseStatus.PENDING_UPGRADE,
                  ""),
              values));
      throw new HelmOperationException("the run was killed while Helm upgraded " + release);
    }
    if (script instanceof FailUpgrade f) {
      return fail(history, next, values, f.message(), HelmOperationException.Reason.FAILED);
    }
    if (script instanceof TimeOut t) {
      operation
          .events()
          .accept(
              new EngineEvent(
                  EngineEvent.Type.WAITING,
                  "info",
                  "waiting",
                  Map.of(
                      "kind", t.kind(),
                      "namespace", request.release().namespace(),
                      "name", t.name(),
                      "actualStatus", t.status())));
      return fail(
          history,
          next,
          values,
          "context deadline exceeded",
          HelmOperationException.Reason.TIMEOUT);
    }
    supersedeDeployed(history);
    ReleaseRevision done =
        with(next, ReleaseStatus.DEPLOYED, installs ? "Install complete" : "Upgrade complete");
    history.add(new Stored(done, values));
    return done;
  }

  private static ReleaseRevision fail(
      List<Stored> history,
      ReleaseRevision next,
      String values,
      String message,
      HelmOperationException.Reason reason) {
    ReleaseRevision failed = with(next, ReleaseStatus.FAILED, message);
    history.add(new Stored(failed, values));
    throw new HelmOperationException(message, Optional.of(failed), reason);
  }

  @Override
  public synchronized UpgradePlan planUpgrade(UpgradeRequest request, Operation operation) {
    List<Stored> history = releases.getOrDefault(key(request.release()), List.of());
    Optional<UpgradePlan.Recorded> latest =
        history.isEmpty()
            ? Optional.empty()
            : Optional.of(recorded(history.get(history.size() - 1)));
    Optional<UpgradePlan.Recorded> deployed =
        history.stream()
            .filter(s -> s.revision().status() == ReleaseStatus.DEPLOYED)
            .reduce((older, newer) -> newer)
            .map(FakeEngine::recorded);
    return new UpgradePlan(
        planned(request, history), valuesText(request.valuesFiles()), latest, deployed, true, "");
  }

  @Override
  public synchronized ReleaseRevision rollback(RollbackRequest request, Operation operation) {
    String release = key(request.release());
    record("rollback " + release + " to " + request.revision());
    List<Stored> history = releases.getOrDefault(release, List.of());
    if (history.isEmpty()) {
      throw new HelmOperationException("release: not found");
    }
    if (rollbackScripts.get(release) instanceof FailRollback f) {
      throw new HelmOperationException(f.message());
    }
    int latest = history.get(history.size() - 1).revision().revision();
    int wanted = request.revision() == 0 ? latest - 1 : request.revision();
    Stored target =
        history.stream()
            .filter(s -> s.revision().revision() == wanted)
            .findFirst()
            .orElseThrow(() -> new HelmOperationException("release: revision not found"));
    supersedeDeployed(history);
    ReleaseRevision t = target.revision();
    ReleaseRevision done =
        new ReleaseRevision(
            t.name(),
            t.namespace(),
            latest + 1,
            ReleaseStatus.DEPLOYED,
            "Rollback to " + wanted,
            t.chartName(),
            t.chartVersion(),
            t.appVersion(),
            Optional.empty(),
            Optional.empty(),
            t.manifest(),
            t.hooks(),
            t.labels());
    history.add(new Stored(done, target.values()));
    return done;
  }

  @Override
  public synchronized boolean uninstall(UninstallRequest request, Operation operation) {
    String release = key(request.release());
    record("uninstall " + release + (request.disableHooks() ? " without hooks" : ""));
    List<Stored> history = releases.getOrDefault(release, List.of());
    if (history.isEmpty()) {
      return false;
    }
    if (request.keepHistory()) {
      Stored last = history.get(history.size() - 1);
      history.set(
          history.size() - 1,
          new Stored(
              with(last.revision(), ReleaseStatus.UNINSTALLED, "Uninstallation complete"),
              last.values()));
    } else {
      releases.remove(release);
    }
    return true;
  }

  @Override
  public synchronized ReleaseRevision markFailed(ReleaseRef ref, int revision, String description) {
    String release = key(ref);
    record("markFailed " + release + " " + revision);
    List<Stored> history = releases.getOrDefault(release, List.of());
    for (int i = 0; i < history.size(); i++) {
      Stored s = history.get(i);
      if (s.revision().revision() == revision) {
        if (RevisionPolicy.isPending(s.revision())) {
          history.set(
              i, new Stored(with(s.revision(), ReleaseStatus.FAILED, description), s.values()));
        }
        return history.get(i).revision();
      }
    }
    throw new HelmOperationException("release: revision not found");
  }

  @Override
  public synchronized List<ReleaseRevision> history(ReleaseRef ref) {
    return releases.getOrDefault(key(ref), List.of()).stream().map(Stored::revision).toList();
  }

  @Override
  public void buildDependencies(Path chart, boolean update) {
    throw unsupported("buildDependencies (charts with dependencies)");
  }

  @Override
  public Path packageChart(Path chart, Path destination) {
    throw unsupported("packageChart");
  }

  @Override
  public List<LintFinding> lint(RenderRequest request) {
    throw unsupported("lint");
  }

  @Override
  public EngineVersion version() {
    throw unsupported("version");
  }

  // --- the model -------------------------------------------------------------------------------

  private static UnsupportedOperationException unsupported(String call) {
    return new UnsupportedOperationException(
        "FakeEngine does not implement " + call + ": no policy test needs it");
  }

  private static String key(ReleaseRef ref) {
    return ref.name() + "@" + ref.namespace();
  }

  private static void supersedeDeployed(List<Stored> history) {
    for (int i = 0; i < history.size(); i++) {
      Stored s = history.get(i);
      if (s.revision().status() == ReleaseStatus.DEPLOYED) {
        history.set(
            i,
            new Stored(
                with(s.revision(), ReleaseStatus.SUPERSEDED, s.revision().description()),
                s.values()));
      }
    }
  }

  private static UpgradePlan.Recorded recorded(Stored s) {
    return new UpgradePlan.Recorded(s.revision(), s.values());
  }

  /** The revision an upgrade would write now, its status not yet decided. */
  private static ReleaseRevision planned(UpgradeRequest request, List<Stored> history) {
    Chart chart = Chart.read(request.chart());
    int next = history.isEmpty() ? 1 : history.get(history.size() - 1).revision().revision() + 1;
    return new ReleaseRevision(
        request.release().name(),
        request.release().namespace(),
        next,
        ReleaseStatus.PENDING_UPGRADE,
        "",
        chart.name(),
        chart.version(),
        chart.appVersion(),
        Optional.empty(),
        Optional.empty(),
        manifest(chart, request.release().name(), valuesText(request.valuesFiles())),
        List.of(),
        request.options().labels());
  }

  private static ReleaseRevision with(ReleaseRevision r, ReleaseStatus status, String description) {
    return new ReleaseRevision(
        r.name(),
        r.namespace(),
        r.revision(),
        status,
        description,
        r.chartName(),
        r.chartVersion(),
        r.appVersion(),
        r.firstDeployed(),
        r.lastDeployed(),
        r.manifest(),
        r.hooks(),
        r.labels());
  }

  /** The one resource a fake render makes: a ConfigMap holding the values' text, quoted. */
  private static String manifest(Chart chart, String release, String values) {
    return "---\n# Source: "
        + chart.name()
        + "/templates/fake.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + release
        + "\ndata:\n  values: '"
        + values.replace("'", "''").replace("\n", " ")
        + "'\n";
  }

  private static String valuesText(List<Path> files) {
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      try {
        sb.append(Files.readString(f).strip()).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sb.toString();
  }

  /** The fields of a local chart's {@code Chart.yaml} that a revision records. */
  private record Chart(String name, String version, String appVersion) {
    static Chart read(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new UnsupportedOperationException(
            "FakeEngine reads local chart directories only, not " + dir);
      }
      Map<String, String> fields = new HashMap<>();
      try {
        for (String line : Files.readAllLines(dir.resolve("Chart.yaml"))) {
          int colon = line.indexOf(':');
          if (colon > 0 && !line.startsWith(" ")) {
            fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Chart(
          fields.getOrDefault("name", ""),
          fields.getOrDefault("version", ""),
          fields.getOrDefault("appVersion", ""));
    }
  }
}
