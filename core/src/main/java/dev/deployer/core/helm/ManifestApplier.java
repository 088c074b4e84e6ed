package dev.deployer.core.helm;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a release's stored manifest to the cluster the way Helm's kube client updates a release:
 * objects in manifest order, created when missing and replaced when present, with Helm's ownership
 * metadata; then objects of the current manifest that the target no longer has are deleted (in
 * reverse order, background propagation), except those annotated {@code helm.sh/resource-policy:
 * keep}.
 *
 * <p>Unlike Helm, which sends a three-way strategic merge patch, an existing object is replaced:
 * its labels and annotations are merged three ways (live, current manifest, target manifest), its
 * other fields are the target's, so fields a controller set on the live object (an autoscaler's
 * {@code replicas}, a webhook's injected sidecar) are reset to the manifest's. A Service keeps its
 * allocated cluster IPs and node ports, as the API server does on a replace.
 *
 * <p>An object the current manifest does not have but the cluster does is taken over only when it
 * carries this release's ownership annotations, as Helm requires. Not safe for concurrent use: make
 * one per operation.
 */
final class ManifestApplier {

  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
  static final String RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
  static final String RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy";

  private static final Logger LOG = LoggerFactory.getLogger(ManifestApplier.class);
  // Helm's releaseutil.SplitManifests separator: a line starting with three dashes.
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---.*$");

  private final KubernetesClient client;
  // Discovery answers for one operation; a new applier asks again (CRDs come and go).
  private final Map<String, APIResourceList> discovery = new HashMap<>();

  ManifestApplier(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Makes the cluster hold the target manifest's objects, owned by the release, and deletes what
   * only the current manifest has.
   *
   * @throws IllegalStateException when an object belongs to another release, or the API server
   *     refuses a change; objects applied before the failure stay applied, as with Helm
   */
  void apply(String release, String namespace, String currentManifest, String targetManifest) {
    List<ManifestObject> current = objects(currentManifest, namespace);
    List<ManifestObject> target = objects(targetManifest, namespace);
    Map<String, ManifestObject> currentByKey = new LinkedHashMap<>();
    current.forEach(o -> currentByKey.put(o.key(), o));
    Set<String> targetKeys = new LinkedHashSet<>();
    for (ManifestObject object : target) {
      targetKeys.add(object.key());
      applyOne(release, namespace, object, currentByKey.get(object.key()));
    }
    List<ManifestObject> gone = new ArrayList<>();
    for (ManifestObject object : current) {
      if (!targetKeys.contains(object.key())) {
        gone.add(0, object);
      }
    }
    for (ManifestObject object : gone) {
      delete(object);
    }
  }

  /** Deletes a manifest's objects (uninstall), in reverse order, keeping those marked to keep. */
  void deleteAll(String namespace, String manifest) {
    List<ManifestObject> objects = new ArrayList<>(objects(manifest, namespace));
    Collections.reverse(objects);
    objects.forEach(this::delete);
  }

  private void applyOne(
      String release, String namespace, ManifestObject object, ManifestObject original) {
    Resource<GenericKubernetesResource> resource = object.resource(client);
    GenericKubernetesResource live = resource.get();
    GenericKubernetesResource desired = object.content();
    ObjectMeta meta = desired.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(orEmpty(meta.getLabels()));
    labels.put(MANAGED_BY_LABEL, "Helm");
    Map<String, String> annotations = new LinkedHashMap<>(orEmpty(meta.getAnnotations()));
    annotations.put(RELEASE_NAME_ANNOTATION, release);
    annotations.put(RELEASE_NAMESPACE_ANNOTATION, namespace);
    if (live == null) {
      meta.setLabels(labels);
      meta.setAnnotations(annotations);
      LOG.debug("creating {}", object.key());
      resource.create();
      return;
    }
    ObjectMeta liveMeta = live.getMetadata();
    if (original == null) {
      requireOwnedBy(release, namespace, object, liveMeta);
    }
    ObjectMeta originalMeta =
        original == null ? new ObjectMeta() : original.content().getMetadata();
    liveMeta.setLabels(merged(liveMeta.getLabels(), originalMeta.getLabels(), labels, Map.of()));
    liveMeta.setAnnotations(
        merged(
            liveMeta.getAnnotations(),
            originalMeta.getAnnotations(),
            annotations,
            Map.of("kubectl.kubernetes.io/last-applied-configuration", "")));
    liveMeta.setManagedFields(null);
    desired.setMetadata(liveMeta);
    if (live.getAdditionalProperties().containsKey("status")
        && !desired.getAdditionalProperties().containsKey("status")) {
      desired.setAdditionalProperty("status", live.getAdditionalProperties().get("status"));
    }
    if (object.kind().equals("Service") && object.group().isEmpty()) {
      keepAllocatedServiceFields(live, desired);
    }
    LOG.debug("replacing {}", object.key());
    object.resource(client, desired).update();
  }

  // As Helm: an object the current revision does not have is taken over only when it already
  // carries this release's ownership annotations.
  private static void requireOwnedBy(
      String release, String namespace, ManifestObject object, ObjectMeta live) {
    Map<String, String> annotations = orEmpty(live.getAnnotations());
    String owner = annotations.get(RELEASE_NAME_ANNOTATION);
    String ownerNamespace = annotations.get(RELEASE_NAMESPACE_ANNOTATION);
    if (owner == null) {
      throw new IllegalStateException(
          object.describe()
              + " exists and belongs to no Helm release; delete it, or annotate it "
              + RELEASE_NAME_ANNOTATION
              + "="
              + release
              + " and "
              + RELEASE_NAMESPACE_ANNOTATION
              + "="
              + namespace);
    }
    if (!owner.equals(release) || !namespace.equals(ownerNamespace)) {
      throw new IllegalStateException(
          object.describe()
              + " exists and belongs to release "
              + ownerNamespace
              + "/"
              + owner
              + ", not to "
              + namespace
              + "/"
              + release);
    }
  }

  /**
   * Live labels or annotations, without those the current manifest set and the target drops, with
   * the target's; {@code ignored} keys are never removed.
   */
  private static Map<String, String> merged(
      Map<String, String> live,
      Map<String, String> original,
      Map<String, String> target,
      Map<String, String> ignored) {
    Map<String, String> result = new LinkedHashMap<>(orEmpty(live));
    for (String key : orEmpty(original).keySet()) {
      if (!target.containsKey(key) && !ignored.containsKey(key)) {
        result.remove(key);
      }
    }
    result.putAll(target);
    return result;
  }

  @SuppressWarnings("unchecked")
  private static void keepAllocatedServiceFields(
      GenericKubernetesResource live, GenericKubernetesResource desired) {
    Object liveSpec = live.getAdditionalProperties().get("spec");
    Object desiredSpec = desired.getAdditionalProperties().get("spec");
    if (!(liveSpec instanceof Map<?, ?> from) || !(desiredSpec instanceof Map<?, ?> raw)) {
      return;
    }
    Map<String, Object> to = (Map<String, Object>) raw;
    for (String field : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
      if (!to.containsKey(field) && from.containsKey(field)) {
        to.put(field, from.get(field));
      }
    }
    if (from.get("ports") instanceof List<?> livePorts
        && to.get("ports") instanceof List<?> desiredPorts) {
      for (Object port : desiredPorts) {
        if (port instanceof Map<?, ?> desiredPort && !desiredPort.containsKey("nodePort")) {
          for (Object candidate : livePorts) {
            if (candidate instanceof Map<?, ?> livePort
                && Objects.equals(livePort.get("port"), desiredPort.get("port"))
                && livePort.get("nodePort") != null) {
              ((Map<String, Object>) desiredPort).put("nodePort", livePort.get("nodePort"));
            }
          }
        }
      }
    }
  }

  private void delete(ManifestObject object) {
    Resource<GenericKubernetesResource> resource = object.resource(client);
    GenericKubernetesResource live = resource.get();
    if (live == null) {
      return;
    }
    String policy = orEmpty(live.getMetadata().getAnnotations()).get(RESOURCE_POLICY_ANNOTATION);
    if ("keep".equals(policy)) {
      LOG.debug("keeping {}: annotated {}=keep", object.key(), RESOURCE_POLICY_ANNOTATION);
      return;
    }
    LOG.debug("deleting {}", object.key());
    resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }

  private List<ManifestObject> objects(String manifest, String namespace) {
    List<ManifestObject> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(manifest)) {
      if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      GenericKubernetesResource content =
          client.getKubernetesSerialization().unmarshal(document, GenericKubernetesResource.class);
      if (content == null || content.getKind() == null || content.getMetadata() == null) {
        continue;
      }
      APIResource type = apiResource(content.getApiVersion(), content.getKind());
      if (type.getNamespaced()) {
        if (content.getMetadata().getNamespace() == null
            || content.getMetadata().getNamespace().isEmpty()) {
          content.getMetadata().setNamespace(namespace);
        }
      } else {
        content.getMetadata().setNamespace(null);
      }
      objects.add(new ManifestObject(content, type));
    }
    return objects;
  }

  private APIResource apiResource(String apiVersion, String kind) {
    APIResourceList resources = discovery.computeIfAbsent(apiVersion, client::getApiResources);
    if (resources != null) {
      for (APIResource candidate : resources.getResources()) {
        if (candidate.getKind().equals(kind) && !candidate.getName().contains("/")) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "the cluster does not serve kind " + kind + " of API " + apiVersion);
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  /** An object of a manifest, with how to reach it. */
  private record ManifestObject(GenericKubernetesResource content, APIResource type) {

    String group() {
      String apiVersion = content.getApiVersion();
      int slash = apiVersion.indexOf('/');
      return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    String kind() {
      return content.getKind();
    }

    // Helm identifies an object by group, kind, namespace and name: not by API version.
    String key() {
      String ns = content.getMetadata().getNamespace();
      return group()
          + "/"
          + kind()
          + "/"
          + (ns == null ? "" : ns)
          + "/"
          + content.getMetadata().getName();
    }

    String describe() {
      String ns = content.getMetadata().getNamespace();
      return kind() + " " + (ns == null ? "" : ns + "/") + content.getMetadata().getName();
    }

    Resource<GenericKubernetesResource> resource(KubernetesClient client) {
      return resource(client, content);
    }

    Resource<GenericKubernetesResource> resource(
        KubernetesClient client, GenericKubernetesResource item) {
      String apiVersion = content.getApiVersion();
      int slash = apiVersion.indexOf('/');
      ResourceDefinitionContext context =
          new ResourceDefinitionContext.Builder()
              .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
              .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
              .withKind(kind())
              .withPlural(type.getName())
              .withNamespaced(type.getNamespaced())
              .build();
      var operation = client.genericKubernetesResources(context);
      String ns = content.getMetadata().getNamespace();
      return ns == null ? operation.resource(item) : operation.inNamespace(ns).resource(item);
    }
  }
}
