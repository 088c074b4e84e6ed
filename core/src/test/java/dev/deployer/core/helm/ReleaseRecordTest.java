package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseRecordTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsWhatHelmStores() throws Exception {
    ObjectNode stored =
        (ObjectNode)
            JSON.readTree(
                """
                {"name":"web","info":{"first_deployed":"2026-11-21T23:10:01.123456789+01:00",
                 "last_deployed":"2026-11-22T00:03:47.5Z","deleted":"",
                 "description":"Upgrade complete","status":"pending-upgrade"},
                 "chart":{"metadata":{"name":"web","version":"1.2.0","appVersion":"2.0"}},
                 "manifest":"---\\nkind: ConfigMap\\n","version":7,"namespace":"shop"}
                """);

    ReleaseRecord record =
        ReleaseRecord.of(
            stored,
            "ignored",
            Map.of("owner", "helm", "status", "x", "modifiedAt", "1", "team", "payments"));

    assertThat(record.name()).isEqualTo("web");
    assertThat(record.namespace()).isEqualTo("shop");
    assertThat(record.version()).isEqualTo(7);
    assertThat(record.status()).isEqualTo("pending-upgrade");
    assertThat(record.isPending()).isTrue();
    assertThat(record.description()).isEqualTo("Upgrade complete");
    assertThat(record.chartName()).isEqualTo("web");
    assertThat(record.chartVersion()).isEqualTo("1.2.0");
    assertThat(record.appVersion()).isEqualTo("2.0");
    assertThat(record.firstDeployed()).hasValue(Instant.parse("2026-11-21T22:10:01.123456789Z"));
    assertThat(record.lastDeployed()).hasValue(Instant.parse("2026-11-22T00:03:47.5Z"));
    assertThat(record.manifest()).isEqualTo("---\nkind: ConfigMap\n");
    assertThat(record.labels()).containsOnly(Map.entry("team", "payments"));
    assertThat(record.release()).isEqualTo(stored).isNotSameAs(stored);
  }

  @Test
  void aSparseRecordHasEmptyFields() throws Exception {
    ObjectNode stored =
        (ObjectNode) JSON.readTree("{\"name\":\"a\",\"version\":1,\"info\":{\"deleted\":\"\"}}");

    ReleaseRecord record = ReleaseRecord.of(stored, "default", Map.of());

    assertThat(record.namespace()).isEqualTo("default");
    assertThat(record.status()).isEqualTo("unknown");
    assertThat(record.isPending()).isFalse();
    assertThat(record.chartName()).isEmpty();
    assertThat(record.firstDeployed()).isEmpty();
    assertThat(record.lastDeployed()).isEmpty();
    assertThat(record.manifest()).isEmpty();
  }
}
