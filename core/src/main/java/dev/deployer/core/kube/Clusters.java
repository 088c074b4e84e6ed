package dev.deployer.core.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The clusters of the user's kubeconfig, by kube context: a fabric8 client per context (made once,
 * closed with this object) and the kubeconfig text Helm gets for that context.
 *
 * <p>The kubeconfig files are those of {@code KUBECONFIG} (merged as kubectl merges them: the first
 * file naming a context, cluster or user wins) or else {@code ~/.kube/config}. Helm through
 * helm-java takes no context name, so {@link #kubeconfigContents} hands it a kubeconfig that holds
 * only that context, as its current context.
 */
public final class Clusters implements AutoCloseable {

  static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  static final int REQUEST_TIMEOUT_MILLIS = 30_000;

  private final List<Path> files;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
  private Kubeconfig kubeconfig;
  private boolean closed;

  /** The kubeconfig files to read, in {@code KUBECONFIG} order; missing files are skipped. */
  public Clusters(List<Path> kubeconfigFiles) {
    this.files = List.copyOf(kubeconfigFiles);
  }

  /**
   * The kubeconfig files an environment names: every file of {@code KUBECONFIG} when it is set,
   * else {@code $HOME/.kube/config}.
   */
  public static Clusters fromEnvironment(Map<String, String> environment) {
    String list = environment.get("KUBECONFIG");
    if (list != null && !list.isBlank()) {
      return new Clusters(
          Arrays.stream(list.split(File.pathSeparator))
              .filter(s -> !s.isBlank())
              .map(Path::of)
              .toList());
    }
    String home = environment.get("HOME");
    return new Clusters(home == null ? List.of() : List.of(Path.of(home, ".kube", "config")));
  }

  /** The kubeconfig files this reads (whether they exist or not). */
  public List<Path> kubeconfigFiles() {
    return files;
  }

  /** Every context of the kubeconfig, in file order. */
  public List<String> contextNames() {
    return List.copyOf(kubeconfig().contexts.keySet());
  }

  /**
   * The context a release runs in: the one given, or the kubeconfig's current context.
   *
   * @throws KubeConfigException when there is no kubeconfig, it has no such context, or none is
   *     given and it names no current context
   */
  public String contextName(Optional<String> context) {
    Kubeconfig config = kubeconfig();
    String name =
        context
            .filter(c -> !c.isBlank())
            .or(() -> config.currentContext)
            .orElseThrow(
                () ->
                    new KubeConfigException(
                        "no kube context given and the kubeconfig ("
                            + config.describeFiles()
                            + ") sets no current-context; known contexts: "
                            + config.describeContexts()));
    if (!config.contexts.containsKey(name)) {
      throw new KubeConfigException(
          "kube context '"
              + name
              + "' is not in the kubeconfig ("
              + config.describeFiles()
              + "); known contexts: "
              + config.describeContexts());
    }
    return name;
  }

  /** The namespace a context sets, if any. */
  public Optional<String> contextNamespace(Optional<String> context) {
    Map<String, Object> entry = kubeconfig().contexts.get(contextName(context));
    return Optional.ofNullable(map(entry.get("context")).get("namespace"))
        .map(String::valueOf)
        .filter(s -> !s.isBlank());
  }

  /**
   * A kubeconfig holding only this context, its cluster and its user, with {@code current-context}
   * set to it and relative file paths made absolute: for helm-java's {@code
   * withKubeConfigContents}.
   */
  public String kubeconfigContents(Optional<String> context) {
    Kubeconfig config = kubeconfig();
    String name = contextName(context);
    Map<String, Object> contextEntry = config.contexts.get(name);
    Map<String, Object> body = map(contextEntry.get("context"));
    String clusterName = String.valueOf(body.get("cluster"));
    Map<String, Object> cluster = config.clusters.get(clusterName);
    if (cluster == null) {
      throw new KubeConfigException(
          "kube context '" + name + "' names cluster '" + clusterName + "', which is not defined");
    }
    Object userName = body.get("user");
    Map<String, Object> user = userName == null ? null : config.users.get(String.valueOf(userName));
    if (userName != null && user == null) {
      throw new KubeConfigException(
          "kube context '" + name + "' names user '" + userName + "', which is not defined");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", "v1");
    out.put("kind", "Config");
    out.put("clusters", List.of(cluster));
    out.put("contexts", List.of(contextEntry));
    out.put("users", user == null ? List.of() : List.of(user));
    out.put("current-context", name);
    DumpSettings settings =
        DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).build();
    return new Dump(settings).dumpToString(out);
  }

  /**
   * The fabric8 client of a context, made on first use and kept until {@link #close()}. Requests
   * are not retried (a failed call is reported, not repeated for 20 s) and time out.
   */
  public KubernetesClient client(Optional<String> context) {
    String name = contextName(context);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("clusters are closed");
      }
    }
    return clients.computeIfAbsent(name, this::newClient);
  }

  private KubernetesClient newClient(String context) {
    Config config;
    try {
      config = Config.fromKubeconfig(kubeconfigContents(Optional.of(context)));
    } catch (RuntimeException e) {
      throw new KubeConfigException(
          "cannot use kube context '" + context + "': " + e.getMessage(), e);
    }
    config.setRequestRetryBackoffLimit(0);
    config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
    config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Closes every client made so far. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
  }

  private synchronized Kubeconfig kubeconfig() {
    if (kubeconfig == null) {
      kubeconfig = Kubeconfig.load(files);
    }
    return kubeconfig;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The merged named entries of the kubeconfig files. */
  private static final class Kubeconfig {
    private final List<Path> files;
    private final Map<String, Map<String, Object>> clusters = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> contexts = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> users = new LinkedHashMap<>();
    private Optional<String> currentContext = Optional.empty();

    private Kubeconfig(List<Path> files) {
      this.files = files;
    }

    static Kubeconfig load(List<Path> candidates) {
      List<Path> existing = candidates.stream().filter(Files::isRegularFile).toList();
      if (existing.isEmpty()) {
        throw new KubeConfigException(
            candidates.isEmpty()
                ? "no kubeconfig: KUBECONFIG is not set and there is no home directory"
                : "no kubeconfig: "
                    + (candidates.size() == 1 ? "" : "none of ")
                    + candidates.stream().map(Path::toString).toList()
                    + (candidates.size() == 1 ? " does not exist" : " exists"));
      }
      Kubeconfig config = new Kubeconfig(existing);
      for (Path file : existing) {
        config.merge(file, read(file));
      }
      return config;
    }

    private static Map<String, Object> read(Path file) {
      try {
        Object parsed =
            new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        if (parsed == null) {
          return Map.of();
        }
        if (!(parsed instanceof Map<?, ?>)) {
          throw new KubeConfigException("kubeconfig " + file + " is not a YAML mapping");
        }
        return map(parsed);
      } catch (IOException e) {
        throw new KubeConfigException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
      } catch (YamlEngineException e) {
        throw new KubeConfigException("kubeconfig " + file + " is not valid YAML: " + e, e);
      }
    }

    private void merge(Path file, Map<String, Object> content) {
      Path directory = file.toAbsolutePath().getParent();
      addEntries(clusters, content.get("clusters"), "cluster", directory);
      addEntries(contexts, content.get("contexts"), "context", directory);
      addEntries(users, content.get("users"), "user", directory);
      Object current = content.get("current-context");
      if (currentContext.isEmpty() && current != null && !String.valueOf(current).isBlank()) {
        currentContext = Optional.of(String.valueOf(current));
      }
    }

    private static void addEntries(
        Map<String, Map<String, Object>> target, Object entries, String field, Path directory) {
      if (!(entries instanceof List<?> list)) {
        return;
      }
      for (Object entry : list) {
        Map<String, Object> named = map(entry);
        Object name = named.get("name");
        if (name != null && !target.containsKey(String.valueOf(name))) {
          target.put(String.valueOf(name), withAbsolutePaths(named, field, directory));
        }
      }
    }

    /**
     * A copy of an entry whose file references are absolute: kubectl reads them relative to the
     * kubeconfig file, while Helm would read the text we hand it relative to its working directory.
     */
    private static Map<String, Object> withAbsolutePaths(
        Map<String, Object> entry, String field, Path directory) {
      Map<String, Object> copy = new LinkedHashMap<>(entry);
      Map<String, Object> body = new LinkedHashMap<>(map(entry.get(field)));
      for (String key : List.of("certificate-authority", "client-certificate", "client-key")) {
        absolute(body, key, directory, false);
      }
      absolute(body, "tokenFile", directory, false);
      if (body.get("exec") instanceof Map<?, ?> exec) {
        Map<String, Object> execCopy = new LinkedHashMap<>(map(exec));
        // kubectl resolves the command only when it is a path, not a name looked up on PATH.
        absolute(execCopy, "command", directory, true);
        body.put("exec", execCopy);
      }
      if (entry.containsKey(field)) {
        copy.put(field, body);
      }
      return copy;
    }

    private static void absolute(
        Map<String, Object> body, String key, Path directory, boolean onlyWithSeparator) {
      Object value = body.get(key);
      if (value == null || String.valueOf(value).isBlank()) {
        return;
      }
      String text = String.valueOf(value);
      if (onlyWithSeparator && !text.contains("/")) {
        return;
      }
      Path path = Path.of(text);
      if (!path.isAbsolute() && directory != null) {
        body.put(key, directory.resolve(path).normalize().toString());
      }
    }

    String describeFiles() {
      return String.join(", ", files.stream().map(Path::toString).toList());
    }

    String describeContexts() {
      List<String> names = new ArrayList<>(contexts.keySet());
      return names.isEmpty() ? "none" : String.join(", ", names);
    }
  }
}
