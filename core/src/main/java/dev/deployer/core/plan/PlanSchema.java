package dev.deployer.core.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The JSON Schema of the plan file, for editors (yaml-language-server and the like). */
public final class PlanSchema {
  private PlanSchema() {}

  public static String json() {
    try (InputStream in = PlanSchema.class.getResourceAsStream("deployer.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("deployer.schema.json is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
