package dev.deployer.core.helm;

import static dev.deployer.core.helm.EngineProtocol.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.jna.Pointer;
import dev.deployer.core.helm.EngineProtocol.Answer;
import dev.deployer.core.helm.EngineProtocol.DependencyBuildCall;
import dev.deployer.core.helm.EngineProtocol.DependencyBuildResult;
import dev.deployer.core.helm.EngineProtocol.Event;
import dev.deployer.core.helm.EngineProtocol.Failure;
import dev.deployer.core.helm.EngineProtocol.HistoryCall;
import dev.deployer.core.helm.EngineProtocol.HistoryResult;
import dev.deployer.core.helm.EngineProtocol.LintCall;
import dev.deployer.core.helm.EngineProtocol.LintResult;
import dev.deployer.core.helm.EngineProtocol.MarkFailedCall;
import dev.deployer.core.helm.EngineProtocol.MarkFailedResult;
import dev.deployer.core.helm.EngineProtocol.PackageCall;
import dev.deployer.core.helm.EngineProtocol.PackageResult;
import dev.deployer.core.helm.EngineProtocol.PlanUpgradeResult;
import dev.deployer.core.helm.EngineProtocol.PostRenderer;
import dev.deployer.core.helm.EngineProtocol.RenderCall;
import dev.deployer.core.helm.EngineProtocol.RenderResult;
import dev.deployer.core.helm.EngineProtocol.Request;
import dev.deployer.core.helm.EngineProtocol.Revision;
import dev.deployer.core.helm.EngineProtocol.RollbackCall;
import dev.deployer.core.helm.EngineProtocol.RollbackResult;
import dev.deployer.core.helm.EngineProtocol.UninstallCall;
import dev.deployer.core.helm.EngineProtocol.UninstallResult;
import dev.deployer.core.helm.EngineProtocol.UpgradeCall;
import dev.deployer.core.helm.EngineProtocol.UpgradeResult;
import dev.deployer.core.helm.EngineProtocol.VersionCall;
import dev.deployer.core.helm.EngineProtocol.VersionResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * deployer's Helm engine: Helm v4's SDK in a Go shared library ({@code core/src/main/go}), driven
 * through one C function that takes a JSON request and returns a JSON result, with a callback for
 * the events of a running call.
 *
 * <p>One instance per process is enough, and safe from many threads: each call gets its own Helm
 * action configuration and its own Go context, which {@link CancelSignal} cancels. The library
 * installs no signal handler; SIGINT and SIGTERM stay deployer's.
 */
@SuppressWarnings("try") // a cancel registration is held for the call, not used in it
public final class NativeHelmEngine implements HelmEngine {
  private static volatile NativeHelmEngine shared;

  private final java.util.concurrent.CompletableFuture<EngineLibrary.Native_> loading;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Consumer<EngineEvent>> listeners = new ConcurrentHashMap<>();
  // Held in a field: JNA keeps only a weak reference to a callback, and the engine calls it later.
  private final EngineLibrary.EventCallback callback = this::onEvent;

  /**
   * Starts loading the library on a thread of its own, so that a command reads its plan while the
   * Go runtime starts; the first call waits for it.
   */
  private NativeHelmEngine(java.util.function.Supplier<EngineLibrary.Native_> loader) {
    this.loading = new java.util.concurrent.CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                EngineLibrary.Native_ library = loader.get();
                // The first call waits for the Go runtime's start-up: better here than in a render.
                String problem = checkProtocol(library);
                if (problem != null) {
                  throw new EngineUnavailableException(problem);
                }
                loading.complete(library);
              } catch (RuntimeException | Error e) {
                loading.completeExceptionally(e);
              }
            },
            "deployer-engine-load");
    thread.setDaemon(true);
    thread.start();
  }

  /** The process's engine; its library loads in the background from the per-user cache. */
  public static NativeHelmEngine shared() {
    NativeHelmEngine engine = shared;
    if (engine == null) {
      synchronized (NativeHelmEngine.class) {
        engine = shared;
        if (engine == null) {
          engine = new NativeHelmEngine(() -> EngineLibrary.load(System.getenv()));
          shared = engine;
        }
      }
    }
    return engine;
  }

  private EngineLibrary.Native_ library() {
    try {
      return loading.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new EngineUnavailableException(
          "the Helm engine library did not load: " + e.getCause(), e);
    }
  }

  @Override
  public String render(RenderRequest request) {
    if (!Files.exists(request.chart())) {
      throw new RenderException(
          request.releaseName(), request.chart(), "chart not found: " + request.chart(), null);
    }
    RenderCall req =
        new RenderCall(
            "render",
            absolute(request.chart()),
            absolute(request.valuesFiles()),
            postRenderer(request.postRenderer(), request.chart()),
            request.releaseName(),
            request.namespace(),
            request.kubeVersion());
    try {
      return Objects.requireNonNullElse(call(req, RenderResult.class).manifest(), "");
    } catch (HelmOperationException e) {
      throw new RenderException(request.releaseName(), request.chart(), e.getMessage(), null);
    }
  }

  @Override
  public ReleaseRevision upgrade(UpgradeRequest request, Operation operation) {
    return operation(upgradeCall("upgrade", request), UpgradeResult.class, operation)
        .release()
        .toRevision();
  }

  @Override
  public UpgradePlan planUpgrade(UpgradeRequest request, Operation operation) {
    PlanUpgradeResult result =
        operation(upgradeCall("plan_upgrade", request), PlanUpgradeResult.class, operation);
    return new UpgradePlan(
        result.planned().toRevision(),
        result.planned().canonicalConfig(),
        recorded(result.latest()),
        recorded(result.deployed()),
        result.exact(),
        Objects.requireNonNullElse(result.note(), ""));
  }

  private static Optional<UpgradePlan.Recorded> recorded(Revision r) {
    return Optional.ofNullable(r)
        .map(v -> new UpgradePlan.Recorded(v.toRevision(), v.canonicalConfig()));
  }

  static UpgradeCall upgradeCall(String op, UpgradeRequest request) {
    ReleaseRef ref = request.release();
    UpgradeRequest.UpgradeOptions o = request.options();
    dev.deployer.core.plan.Release.Deployment d = o.deployment();
    return new UpgradeCall(
        op,
        ref.kubeconfig(),
        ref.namespace(),
        absolute(request.chart()),
        absolute(request.valuesFiles()),
        postRenderer(d.postRenderer(), request.chart()),
        ref.name(),
        o.waitStrategy().helmName(),
        d.waitForJobs(),
        millis(d.timeout()),
        d.atomic(),
        d.force(),
        d.cleanupOnFail(),
        d.disableHooks(),
        d.skipCrds(),
        d.maxHistory(),
        d.enableDns(),
        o.description(),
        o.labels(),
        d.resetValues(),
        d.reuseValues(),
        d.disableOpenApiValidation(),
        false,
        o.serverSide());
  }

  @Override
  public ReleaseRevision rollback(RollbackRequest request, Operation operation) {
    ReleaseRef ref = request.release();
    dev.deployer.core.plan.Release.Deployment d = request.deployment();
    RollbackCall req =
        new RollbackCall(
            "rollback",
            ref.kubeconfig(),
            ref.namespace(),
            ref.name(),
            request.revision(),
            d.helmWait().helmName(),
            d.waitForJobs(),
            millis(d.timeout()),
            d.force(),
            d.cleanupOnFail(),
            d.disableHooks(),
            d.maxHistory(),
            "");
    return operation(req, RollbackResult.class, operation).release().toRevision();
  }

  @Override
  public boolean uninstall(UninstallRequest request, Operation operation) {
    ReleaseRef ref = request.release();
    UninstallCall req =
        new UninstallCall(
            "uninstall",
            ref.kubeconfig(),
            ref.namespace(),
            ref.name(),
            request.waitStrategy().helmName(),
            millis(request.timeout()),
            request.keepHistory(),
            request.disableHooks(),
            request.deletionPropagation().orElse(""),
            request.description(),
            true);
    return operation(req, UninstallResult.class, operation).found();
  }

  @Override
  public ReleaseRevision markFailed(ReleaseRef ref, int revision, String description) {
    MarkFailedCall req =
        new MarkFailedCall(
            "mark_failed", ref.kubeconfig(), ref.namespace(), ref.name(), revision, description);
    return operation(req, MarkFailedResult.class, Operation.NONE).release().toRevision();
  }

  @Override
  public List<ReleaseRevision> history(ReleaseRef ref) {
    HistoryCall req = new HistoryCall("history", ref.kubeconfig(), ref.namespace(), ref.name());
    List<Revision> revisions = operation(req, HistoryResult.class, Operation.NONE).revisions();
    return revisions == null ? List.of() : revisions.stream().map(Revision::toRevision).toList();
  }

  @Override
  public void buildDependencies(Path chart, boolean update) {
    operation(
        new DependencyBuildCall("dependency_build", absolute(chart), update),
        DependencyBuildResult.class,
        Operation.NONE);
  }

  @Override
  public Path packageChart(Path chart, Path destination) {
    PackageCall req = new PackageCall("package", absolute(chart), absolute(destination));
    return Path.of(operation(req, PackageResult.class, Operation.NONE).path());
  }

  @Override
  public List<LintFinding> lint(RenderRequest request) {
    LintCall req =
        new LintCall(
            "lint",
            absolute(request.chart()),
            absolute(request.valuesFiles()),
            null,
            request.namespace(),
            request.kubeVersion());
    List<LintFinding> messages = operation(req, LintResult.class, Operation.NONE).messages();
    return messages == null ? List.of() : List.copyOf(messages);
  }

  /**
   * The versions the engine library in deployer's jar was built from (Helm's SDK, Go, client-go),
   * read from the library's build info when it was built: what {@link #version()} answers, without
   * loading the library. Empty when the jar does not carry them.
   */
  public static java.util.Optional<EngineVersion> builtVersion() {
    try (java.io.InputStream in =
        NativeHelmEngine.class.getResourceAsStream("native/engine-version.properties")) {
      if (in == null) {
        return java.util.Optional.empty();
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      String helm = p.getProperty("helm", "");
      String go = p.getProperty("go", "");
      return helm.isEmpty() || go.isEmpty()
          ? java.util.Optional.empty()
          : java.util.Optional.of(new EngineVersion(helm, go, p.getProperty("kube_client", "")));
    } catch (java.io.IOException e) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public EngineVersion version() {
    VersionResult v = call(new VersionCall(), VersionResult.class);
    return new EngineVersion(v.helm(), v.go(), Objects.requireNonNullElse(v.kubeClient(), ""));
  }

  /** Why this deployer cannot use the library, or null when it speaks the same protocol. */
  private static String checkProtocol(EngineLibrary.Native_ library) {
    Pointer result = library.deployer_engine_call(encode(new VersionCall()), null, 0);
    try {
      Answer answer =
          JSON.readValue(result.getString(0, StandardCharsets.UTF_8.name()), Answer.class);
      int protocol =
          answer.result() == null
              ? 0
              : JSON.treeToValue(answer.result(), VersionResult.class).protocol();
      return protocol == EngineProtocol.VERSION
          ? null
          : "the Helm engine library speaks protocol "
              + protocol
              + ", this deployer "
              + EngineProtocol.VERSION;
    } catch (JsonProcessingException e) {
      return "the Helm engine library answered with invalid JSON";
    } finally {
      library.deployer_engine_free(result);
    }
  }

  private static String absolute(Path path) {
    return path.toAbsolutePath().toString();
  }

  private static List<String> absolute(List<Path> paths) {
    return paths.stream().map(NativeHelmEngine::absolute).toList();
  }

  /** A post-renderer runs in the chart's directory (an archive's folder). */
  private static PostRenderer postRenderer(List<String> command, Path chart) {
    if (command.isEmpty()) {
      return null;
    }
    Path dir =
        Files.isDirectory(chart) ? chart.toAbsolutePath() : chart.toAbsolutePath().getParent();
    return new PostRenderer(command.get(0), command.subList(1, command.size()), dir.toString());
  }

  private static long millis(Duration d) {
    try {
      return Math.max(1, d.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Helm 4 joins several errors with newlines; a failure reason reads as one line. */
  private static String oneLine(String message) {
    return String.join("; ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  /** A call whose failure is a Helm operation's, with its message on one line. */
  private <T> T operation(Request req, Class<T> resultType, Operation operation) {
    try {
      return call(req, resultType, operation);
    } catch (HelmOperationException e) {
      throw new HelmOperationException(oneLine(e.getMessage()), e.release(), e.reason());
    }
  }

  private <T> T call(Request req, Class<T> resultType) {
    return call(req, resultType, Operation.NONE);
  }

  private <T> T call(Request req, Class<T> resultType, Operation operation) {
    Answer answer = decode(call(req, operation));
    Failure error = answer.error();
    if (error != null) {
      throw new HelmOperationException(
          error.message(),
          Optional.ofNullable(error.release()).map(Revision::toRevision),
          error.kind());
    }
    try {
      return JSON.treeToValue(answer.result(), resultType);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the Helm engine answered " + req.op() + " unreadably", e);
    }
  }

  private String call(Request req, Operation operation) {
    long id = ids.incrementAndGet();
    listeners.put(id, operation.events());
    String answer;
    EngineLibrary.Native_ library = library();
    // Registered before the call starts, so no cancel is lost: one that comes first stops the call
    // from starting, and one in the moment before the engine knows the id is kept by the engine.
    java.util.concurrent.atomic.AtomicBoolean cancelled =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (CancelSignal.Handle cancel =
        operation
            .cancel()
            .onCancel(
                () -> {
                  cancelled.set(true);
                  library.deployer_engine_cancel(id);
                })) {
      if (cancelled.get()) {
        throw new HelmOperationException(
            "cancelled before Helm started: context canceled",
            Optional.empty(),
            HelmOperationException.Reason.CANCELLED);
      }
      Pointer result = library.deployer_engine_call(encode(req), callback, id);
      try {
        answer = result.getString(0, StandardCharsets.UTF_8.name());
      } finally {
        library.deployer_engine_free(result);
      }
    } finally {
      listeners.remove(id);
    }
    return answer;
  }

  private static String encode(Request req) {
    try {
      return JSON.writeValueAsString(req);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Answer decode(String answer) {
    try {
      return JSON.readValue(answer, Answer.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the Helm engine answered with invalid JSON", e);
    }
  }

  private void onEvent(long id, Pointer event) {
    Consumer<EngineEvent> listener = listeners.get(id);
    if (listener == null) {
      return;
    }
    try {
      listener.accept(
          JSON.readValue(event.getString(0, StandardCharsets.UTF_8.name()), Event.class).toEvent());
    } catch (JsonProcessingException | RuntimeException e) {
      // An observer's failure must never reach into the engine's thread.
    }
  }
}
