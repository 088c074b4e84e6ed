package dev.deployer.app;

import java.util.Set;

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

  /**
   * Prints {@code value} as a YAML document, for {@code -o yaml}: the structure of {@code -o json}.
   */
  static void printYaml(java.io.PrintWriter out, Object value) {
    try {
      out.print(
          new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
              .disable(
                  com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature
                      .WRITE_DOC_START_MARKER)
              .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a report is plain data", e);
    }
    out.flush();
  }

  /**
   * A table as kubectl prints one: a header line, columns two spaces apart, text left-aligned and
   * numeric columns (counts, durations) right-aligned, no cell ever wrapped; a cell shows its first
   * line only.
   */
  static String render(String[] headers, Object[][] rows) {
    return fit(headers, rows, Integer.MAX_VALUE, Set.of()).text();
  }

  /**
   * A table as {@link #render} prints it, made to fit in {@code maxWidth} columns: the columns in
   * {@code cuttable} (free text, such as reasons) give up width, the widest first, down to their
   * header's width or {@value #NARROWEST} characters; a cell too long for its column is cut at a
   * word and ends in {@code …}.
   *
   * @return the table, and which cells do not show their whole text (cut, or of several lines)
   */
  static Fitted fit(String[] headers, Object[][] rows, int maxWidth, Set<Integer> cuttable) {
    int columns = headers.length;
    String[][] cells = new String[rows.length][columns];
    boolean[][] partial = new boolean[rows.length][columns];
    int[] width = new int[columns];
    for (int c = 0; c < columns; c++) {
      width[c] = headers[c].length();
    }
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < columns; c++) {
        Object value = c < rows[r].length ? rows[r][c] : null;
        String text = value == null ? "" : String.valueOf(value);
        int newline = text.indexOf('\n');
        cells[r][c] = newline < 0 ? text : text.substring(0, newline);
        partial[r][c] = newline >= 0;
        width[c] = Math.max(width[c], cells[r][c].length());
      }
    }
    int total = (columns - 1) * 2;
    for (int w : width) {
      total += w;
    }
    while (total > maxWidth) {
      int widest = -1;
      for (int c : cuttable) {
        if (width[c] > Math.max(NARROWEST, headers[c].length())
            && (widest < 0 || width[c] > width[widest])) {
          widest = c;
        }
      }
      if (widest < 0) {
        break; // nothing left to give: the line stays longer than asked
      }
      width[widest]--;
      total--;
    }
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < columns; c++) {
        if (cells[r][c].length() > width[c]) {
          cells[r][c] = cut(cells[r][c], width[c]);
          partial[r][c] = true;
        }
      }
    }
    boolean[] right = new boolean[columns];
    for (int c = 0; c < columns; c++) {
      boolean any = false;
      boolean all = true;
      for (String[] row : cells) {
        String cell = row[c];
        if (cell.isEmpty() || cell.equals("-")) {
          continue;
        }
        any = true;
        all &= NUMBER.matcher(cell).matches();
      }
      right[c] = any && all;
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, width, right);
    for (String[] row : cells) {
      line(out, row, width, right);
    }
    return new Fitted(out.toString(), partial);
  }

  /** The least a cut column keeps, so that a narrow terminal still shows how each text starts. */
  static final int NARROWEST = 8;

  /**
   * A rendered table and, per row and column, whether the cell shows less than its text.
   *
   * @param text the table, a line per row after the header
   */
  record Fitted(String text, boolean[][] partial) {
    boolean partial(int row, int column) {
      return partial[row][column];
    }
  }

  /** {@code text} in {@code width} characters: cut at a word when one ends late enough, then … */
  static String cut(String text, int width) {
    String head = text.substring(0, width - 1);
    int space = head.lastIndexOf(' ');
    if (space >= width / 2) {
      head = head.substring(0, space);
    }
    return head.replaceAll("[\\s,;:.]+$", "") + "…";
  }

  /**
   * A count, or a duration as deployer prints them ({@code 850ms}, {@code 1.2s}, {@code 1m12s}).
   */
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("\\d+(\\.\\d+)?(ms|s|m\\d*s?|h\\d*m?\\d*s?)?");

  private static void line(StringBuilder out, String[] cells, int[] width, boolean[] right) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c];
      String pad = " ".repeat(width[c] - cell.length());
      line.append(right[c] ? pad + cell : cell + pad);
      if (c < cells.length - 1) {
        line.append("  ");
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
