package dev.deployer.app;

import com.github.freva.asciitable.AsciiTable;
import java.util.stream.Collectors;

/** Plain tables as kubectl prints them: a header line, columns aligned, no borders. */
final class Tables {
  private Tables() {}

  /** Prints {@code value} as indented JSON, for {@code -o json}. */
  static void printJson(java.io.PrintWriter out, Object value) {
    try {
      out.println(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a report is plain data", e);
    }
    out.flush();
  }

  static String render(String[] headers, Object[][] rows) {
    return AsciiTable.getTable(AsciiTable.NO_BORDERS, headers, null, rows)
            .lines()
            // The library pads every cell on both sides; the first column needs no left padding.
            .map(line -> (line.startsWith(" ") ? line.substring(1) : line).stripTrailing())
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}
