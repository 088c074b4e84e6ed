package dev.deployer.core.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PROTOCOL = 1;
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
    ObjectNode req = chartRequest("render", request.chart(), request.valuesFiles());
    req.put("release_name", request.releaseName());
    req.put("namespace", request.namespace());
    req.put("kube_version", request.kubeVersion());
    postRenderer(req, request.postRenderer(), request.chart());
    try {
      return call(req, Operation.NONE).path("manifest").asText("");
    } catch (EngineCallException e) {
      throw new RenderException(request.releaseName(), request.chart(), e.getMessage(), null);
    }
  }

  @Override
  public ReleaseRevision upgrade(UpgradeRequest request, Operation operation) {
    return revision(operation(upgradeCall("upgrade", request), operation).path("release"));
  }

  @Override
  public UpgradePlan planUpgrade(UpgradeRequest request, Operation operation) {
    JsonNode result = operation(upgradeCall("plan_upgrade", request), operation);
    JsonNode planned = result.path("planned");
    JsonNode deployed = result.path("deployed");
    return new UpgradePlan(
        revision(planned),
        canonical(planned.path("config")),
        recorded(result.path("latest")),
        recorded(deployed),
        result.path("exact").asBoolean(false),
        result.path("note").asText(""));
  }

  private static Optional<UpgradePlan.Recorded> recorded(JsonNode r) {
    return r.isObject()
        ? Optional.of(new UpgradePlan.Recorded(revision(r), canonical(r.path("config"))))
        : Optional.empty();
  }

  /** Values as JSON with sorted keys (as the engine writes them), {@code {}} for none. */
  private static String canonical(JsonNode values) {
    return values.isObject() ? values.toString() : "{}";
  }

  private ObjectNode upgradeCall(String op, UpgradeRequest request) {
    ObjectNode req = chartRequest(op, request.chart(), request.valuesFiles());
    release(req, request.release());
    UpgradeRequest.UpgradeOptions o = request.options();
    req.put("wait", o.waitStrategy().helmName());
    req.put("wait_for_jobs", o.waitForJobs());
    req.put("timeout_ms", millis(o.timeout()));
    req.put("rollback_on_failure", o.atomic());
    req.put("cleanup_on_fail", o.cleanupOnFail());
    req.put("force", o.force());
    req.put("reset_values", o.resetValues());
    req.put("reuse_values", o.reuseValues());
    req.put("skip_crds", o.skipCrds());
    req.put("disable_hooks", o.disableHooks());
    req.put("disable_openapi_validation", o.disableOpenApiValidation());
    req.put("enable_dns", o.enableDns());
    req.put("create_namespace", o.createNamespace());
    req.put("max_history", o.maxHistory());
    req.put("description", o.description());
    req.put("server_side", o.serverSide());
    ObjectNode labels = req.putObject("labels");
    o.labels().forEach(labels::put);
    postRenderer(req, o.postRenderer(), request.chart());
    return req;
  }

  @Override
  public ReleaseRevision rollback(RollbackRequest request, Operation operation) {
    ObjectNode req = JSON.createObjectNode().put("op", "rollback");
    release(req, request.release());
    req.put("revision", request.revision());
    req.put("wait", request.waitStrategy().helmName());
    req.put("wait_for_jobs", request.waitForJobs());
    req.put("timeout_ms", millis(request.timeout()));
    req.put("cleanup_on_fail", request.cleanupOnFail());
    req.put("force", request.force());
    req.put("disable_hooks", request.disableHooks());
    req.put("max_history", request.maxHistory());
    req.put("description", request.description());
    return revision(operation(req, operation).path("release"));
  }

  @Override
  public boolean uninstall(UninstallRequest request, Operation operation) {
    ObjectNode req = JSON.createObjectNode().put("op", "uninstall");
    release(req, request.release());
    req.put("wait", request.waitStrategy().helmName());
    req.put("timeout_ms", millis(request.timeout()));
    req.put("keep_history", request.keepHistory());
    req.put("disable_hooks", request.disableHooks());
    request.deletionPropagation().ifPresent(p -> req.put("deletion_propagation", p));
    req.put("description", request.description());
    req.put("ignore_not_found", true);
    return operation(req, operation).path("found").asBoolean();
  }

  @Override
  public ReleaseRevision markFailed(ReleaseRef ref, int revision, String description) {
    ObjectNode req = JSON.createObjectNode().put("op", "mark_failed");
    release(req, ref);
    req.put("revision", revision);
    req.put("description", description);
    return revision(operation(req, Operation.NONE).path("release"));
  }

  @Override
  public List<ReleaseRevision> history(ReleaseRef ref) {
    ObjectNode req = JSON.createObjectNode().put("op", "history");
    release(req, ref);
    List<ReleaseRevision> out = new ArrayList<>();
    for (JsonNode r : operation(req, Operation.NONE).path("revisions")) {
      out.add(revision(r));
    }
    return List.copyOf(out);
  }

  @Override
  public void buildDependencies(Path chart, boolean update) {
    ObjectNode req = JSON.createObjectNode().put("op", "dependency_build");
    req.put("chart", chart.toAbsolutePath().toString());
    req.put("update", update);
    operation(req, Operation.NONE);
  }

  @Override
  public Path packageChart(Path chart, Path destination) {
    ObjectNode req = JSON.createObjectNode().put("op", "package");
    req.put("chart", chart.toAbsolutePath().toString());
    req.put("destination", destination.toAbsolutePath().toString());
    return Path.of(operation(req, Operation.NONE).path("path").asText());
  }

  @Override
  public List<LintFinding> lint(RenderRequest request) {
    ObjectNode req = chartRequest("lint", request.chart(), request.valuesFiles());
    req.put("namespace", request.namespace());
    req.put("kube_version", request.kubeVersion());
    List<LintFinding> out = new ArrayList<>();
    JsonNode result = operation(req, Operation.NONE);
    for (JsonNode m : result.path("messages")) {
      out.add(
          new LintFinding(
              m.path("severity").asText(), m.path("path").asText(), m.path("message").asText()));
    }
    return List.copyOf(out);
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
    JsonNode v = call(JSON.createObjectNode().put("op", "version"), Operation.NONE);
    return new EngineVersion(
        v.path("helm").asText(""), v.path("go").asText(""), v.path("kube_client").asText(""));
  }

  /** Why this deployer cannot use the library, or null when it speaks the same protocol. */
  private static String checkProtocol(EngineLibrary.Native_ library) {
    Pointer result = library.deployer_engine_call("{\"op\":\"version\"}", null, 0);
    try {
      int protocol =
          JSON.readTree(result.getString(0, StandardCharsets.UTF_8.name()))
              .path("result")
              .path("protocol")
              .asInt();
      return protocol == PROTOCOL
          ? null
          : "the Helm engine library speaks protocol " + protocol + ", this deployer " + PROTOCOL;
    } catch (JsonProcessingException e) {
      return "the Helm engine library answered with invalid JSON";
    } finally {
      library.deployer_engine_free(result);
    }
  }

  private static ObjectNode chartRequest(String op, Path chart, List<Path> valuesFiles) {
    ObjectNode req = JSON.createObjectNode().put("op", op);
    req.put("chart", chart.toAbsolutePath().toString());
    ArrayNode values = req.putArray("values_files");
    valuesFiles.forEach(v -> values.add(v.toAbsolutePath().toString()));
    return req;
  }

  private static void release(ObjectNode req, ReleaseRef ref) {
    req.put("kubeconfig", ref.kubeconfig());
    req.put("namespace", ref.namespace());
    req.put("release_name", ref.name());
  }

  private static void postRenderer(ObjectNode req, List<String> command, Path chart) {
    if (command.isEmpty()) {
      return;
    }
    ObjectNode pr = req.putObject("post_renderer");
    pr.put("command", command.get(0));
    ArrayNode args = pr.putArray("args");
    command.subList(1, command.size()).forEach(args::add);
    Path dir =
        Files.isDirectory(chart) ? chart.toAbsolutePath() : chart.toAbsolutePath().getParent();
    pr.put("dir", dir.toString());
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

  /** A call whose failure is a Helm operation's. */
  private JsonNode operation(ObjectNode req, Operation operation) {
    try {
      return call(req, operation);
    } catch (EngineCallException e) {
      throw new HelmOperationException(
          oneLine(e.getMessage()),
          e.release.map(NativeHelmEngine::revision),
          e.kind.equals("cancelled"));
    }
  }

  private JsonNode call(ObjectNode req, Operation operation) {
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
        throw new EngineCallException(
            "cancelled", "cancelled before Helm started: context canceled", Optional.empty());
      }
      Pointer result = library.deployer_engine_call(req.toString(), callback, id);
      try {
        answer = result.getString(0, StandardCharsets.UTF_8.name());
      } finally {
        library.deployer_engine_free(result);
      }
    } finally {
      listeners.remove(id);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the Helm engine answered with invalid JSON", e);
    }
    JsonNode error = tree.path("error");
    if (!error.isMissingNode() && !error.isNull()) {
      throw new EngineCallException(
          error.path("kind").asText("failed"),
          error.path("message").asText(""),
          Optional.ofNullable(error.get("release")));
    }
    return tree.path("result");
  }

  private void onEvent(long id, Pointer event) {
    Consumer<EngineEvent> listener = listeners.get(id);
    if (listener == null) {
      return;
    }
    try {
      JsonNode e = JSON.readTree(event.getString(0, StandardCharsets.UTF_8.name()));
      Map<String, String> fields = new TreeMap<>();
      e.path("fields").properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
      listener.accept(
          new EngineEvent(
              e.path("type").asText("log"),
              e.path("level").asText("info"),
              e.path("message").asText(""),
              fields));
    } catch (JsonProcessingException | RuntimeException e) {
      // An observer's failure must never reach into the engine's thread.
    }
  }

  static ReleaseRevision revision(JsonNode r) {
    List<ReleaseRevision.Hook> hooks = new ArrayList<>();
    for (JsonNode h : r.path("hooks")) {
      List<String> events = new ArrayList<>();
      h.path("events").forEach(e -> events.add(e.asText()));
      hooks.add(
          new ReleaseRevision.Hook(
              h.path("name").asText(),
              h.path("kind").asText(),
              h.path("path").asText(),
              h.path("manifest").asText(),
              events));
    }
    Map<String, String> labels = new TreeMap<>();
    r.path("labels").properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
    return new ReleaseRevision(
        r.path("name").asText(),
        r.path("namespace").asText(),
        r.path("revision").asInt(),
        r.path("status").asText("unknown"),
        r.path("description").asText(""),
        r.path("chart_name").asText(""),
        r.path("chart_version").asText(""),
        r.path("app_version").asText(""),
        time(r.path("first_deployed")),
        time(r.path("last_deployed")),
        r.path("manifest").asText(""),
        hooks,
        labels);
  }

  private static Optional<Instant> time(JsonNode value) {
    String text = value.asText("");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The engine's answer was an error. */
  private static final class EngineCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final transient Optional<JsonNode> release;

    EngineCallException(String kind, String message, Optional<JsonNode> release) {
      super(message);
      this.kind = kind;
      this.release = release;
    }
  }
}
