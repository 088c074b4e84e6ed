package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ReleaseRecordsTest {
  @Test
  void decodesWhatHelmWritesAndWritesWhatItReads() throws Exception {
    String json =
        "{\"name\":\"web\",\"version\":3,\"info\":{\"status\":\"deployed\"},\"manifest\":\"---\\nkind: ConfigMap\\n\"}";
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    String helmText = Base64.getEncoder().encodeToString(zipped.toByteArray());
    String apiValue =
        Base64.getEncoder().encodeToString(helmText.getBytes(StandardCharsets.US_ASCII));

    ObjectNode release = ReleaseRecords.decode(apiValue);
    assertThat(release.path("info").path("status").asText()).isEqualTo("deployed");
    assertThat(release.path("version").asInt()).isEqualTo(3);
    assertThat(ReleaseRecords.decode(ReleaseRecords.encode(release)))
        .isEqualTo(new ObjectMapper().readTree(json));
    assertThat(ReleaseRecords.secretName("web", 3)).isEqualTo("sh.helm.release.v1.web.v3");
  }

  @Test
  void readsRecordsWrittenWithoutCompression() {
    String helmText =
        Base64.getEncoder().encodeToString("{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8));
    String apiValue =
        Base64.getEncoder().encodeToString(helmText.getBytes(StandardCharsets.US_ASCII));
    assertThat(ReleaseRecords.decode(apiValue).path("name").asText()).isEqualTo("a");
  }
}
