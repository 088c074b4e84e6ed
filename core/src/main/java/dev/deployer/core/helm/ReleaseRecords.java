package dev.deployer.core.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Helm 3's release record format, as its Secret storage driver writes it: the {@code release} key
 * of a Secret named {@code sh.helm.release.v1.NAME.vN} (type {@code helm.sh/release.v1}) holds
 * base64(gzip(JSON)), and Kubernetes base64-encodes that again in the Secret's data.
 */
public final class ReleaseRecords {
  public static final String SECRET_TYPE = "helm.sh/release.v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

  private ReleaseRecords() {}

  /** {@code sh.helm.release.v1.NAME.vN}. */
  public static String secretName(String release, int version) {
    return "sh.helm.release.v1." + release + ".v" + version;
  }

  /**
   * Decodes a Secret's {@code release} value as the Kubernetes API returns it (base64 of Helm's
   * base64 text).
   */
  public static ObjectNode decode(String secretDataValue) {
    byte[] helmText = Base64.getDecoder().decode(secretDataValue);
    byte[] payload =
        Base64.getDecoder().decode(new String(helmText, StandardCharsets.US_ASCII).trim());
    try {
      if (payload.length > 1 && payload[0] == GZIP_MAGIC[0] && payload[1] == GZIP_MAGIC[1]) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
          payload = in.readAllBytes();
        }
      }
      return (ObjectNode) JSON.readTree(payload);
    } catch (IOException e) {
      throw new UncheckedIOException("not a Helm release record: " + e.getMessage(), e);
    }
  }

  /** The Secret {@code release} value for a release record, as the Kubernetes API takes it. */
  public static String encode(ObjectNode release) {
    try {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
        out.write(JSON.writeValueAsBytes(release));
      }
      String helmText = Base64.getEncoder().encodeToString(zipped.toByteArray());
      return Base64.getEncoder().encodeToString(helmText.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
