package dev.deployer.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlanSchemaTest {
  static final JsonNode SCHEMA = parse(PlanSchema.json());

  static JsonNode parse(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<String> properties(String pointer) {
    Set<String> names = new TreeSet<>();
    SCHEMA.at(pointer).fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void describesExactlyTheKeysTheReaderKnows() {
    assertThat(properties("/properties")).isEqualTo(new TreeSet<>(PlanReader.TOP_LEVEL_KEYS));
    assertThat(properties("/definitions/release/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.RELEASE_KEYS));
    assertThat(properties("/definitions/chart/anyOf/1/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.CHART_KEYS));
    assertThat(properties("/definitions/values/anyOf/1/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.VALUES_KEYS));
    assertThat(properties("/definitions/dependency/anyOf/1/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.DEPENDENCY_KEYS));
    assertThat(properties("/definitions/monitorRef/anyOf/1/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.MONITOR_REF_KEYS));
    assertThat(properties("/definitions/repository/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.REPOSITORY_KEYS));
    assertThat(properties("/definitions/registry/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.REGISTRY_KEYS));
    assertThat(properties("/definitions/hook/anyOf/1/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.HOOK_KEYS));
    assertThat(properties("/definitions/monitor/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.MONITOR_KEYS));
    assertThat(properties("/definitions/monitor/properties/prometheus/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.PROMETHEUS_KEYS));
    assertThat(properties("/definitions/monitor/properties/http/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.HTTP_KEYS));
    assertThat(properties("/definitions/monitor/properties/elasticsearch/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.ELASTICSEARCH_KEYS));
    assertThat(properties("/definitions/monitor/properties/sentry/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.SENTRY_KEYS));
    assertThat(properties("/definitions/monitor/properties/kubernetes/properties"))
        .isEqualTo(new TreeSet<>(PlanReader.KUBERNETES_KEYS));
  }

  static Stream<Path> examplePlans() throws IOException {
    Path examples = Path.of("..", "examples");
    List<Path> plans = new ArrayList<>();
    try (Stream<Path> files = Files.walk(examples)) {
      files
          .filter(p -> p.getFileName().toString().matches("(deployer|helmwave)\\.ya?ml"))
          .sorted()
          .forEach(plans::add);
    }
    plans.add(Path.of("src/test/resources/helmwave/helmwave.yml"));
    assertThat(plans).hasSizeGreaterThan(1);
    return plans.stream();
  }

  @ParameterizedTest
  @MethodSource("examplePlans")
  void examplesValidateAgainstTheSchema(Path plan) throws IOException {
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(SCHEMA);
    Object yaml =
        new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
            .loadFromString(Files.readString(plan));
    // Editors resolve YAML merge keys before checking; so does this test.
    JsonNode document = new ObjectMapper().valueToTree(mergeKeys(yaml));
    Set<ValidationMessage> errors = schema.validate(document);
    assertThat(errors).isEmpty();
  }

  @SuppressWarnings("unchecked")
  static Object mergeKeys(Object node) {
    if (node instanceof java.util.Map<?, ?> map) {
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      Object merge = map.get("<<");
      map.forEach(
          (k, v) -> {
            if (!"<<".equals(k)) {
              out.put(String.valueOf(k), mergeKeys(v));
            }
          });
      List<Object> sources =
          merge instanceof List<?> l
              ? (List<Object>) l
              : merge == null ? List.of() : List.of(merge);
      for (Object source : sources) {
        ((java.util.Map<String, Object>) mergeKeys(source)).forEach(out::putIfAbsent);
      }
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(PlanSchemaTest::mergeKeys).toList();
    }
    return node;
  }

  @Test
  void theSchemaRejectsWhatTheReaderRejects() {
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(SCHEMA);
    JsonNode bad =
        parse(
            "{\"releases\":[{\"name\":\"a\",\"chart\":\"./c\",\"depend_on\":[\"b\"]}],\"monitors\":[{\"name\":\"m\",\"type\":\"http\",\"interval\":\"5x\"}]}");
    assertThat(schema.validate(bad))
        .extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("depend_on"))
        .anyMatch(m -> m.contains("interval"));
  }
}
