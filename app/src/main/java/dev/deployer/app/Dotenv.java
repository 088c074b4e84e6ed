package dev.deployer.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .env} file of the working directory, loaded as helmwave loads it (with godotenv): its
 * variables join the environment, and a variable already set keeps its value. Lines are {@code
 * KEY=value}, optionally after {@code export}; {@code #} starts a comment; a value in single quotes
 * is literal, one in double quotes takes {@code \n}-style escapes and may span lines; unquoted and
 * double-quoted values expand {@code $VAR} and {@code ${VAR}}.
 */
final class Dotenv {
  private Dotenv() {}

  static final String FILE = ".env";

  /** The problem of a {@code .env} file that cannot be read; the command stops with exit 2. */
  static final class DotenvException extends RuntimeException {
    DotenvException(String message) {
      super(message);
    }
  }

  /** {@code environment} with the variables of {@code dir/.env} it does not set yet. */
  static Map<String, String> load(Path dir, Map<String, String> environment) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return environment;
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DotenvException(file + ": cannot read it: " + e.getMessage());
    }
    Map<String, String> out = new TreeMap<>(environment);
    parse(file, text, environment).forEach(out::putIfAbsent);
    return Map.copyOf(out);
  }

  private static final Pattern KEY =
      Pattern.compile("[ \\t]*(?:export[ \\t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \\t]*[=:][ \\t]*");
  private static final Pattern VARIABLE =
      Pattern.compile("(\\\\)?\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))");

  /** The variables {@code text} sets, in its order; expansions see these, then the environment. */
  static Map<String, String> parse(Path file, String text, Map<String, String> environment) {
    Map<String, String> vars = new LinkedHashMap<>();
    int i = 0;
    int line = 1;
    while (i < text.length()) {
      int end = text.indexOf('\n', i);
      if (end < 0) {
        end = text.length();
      }
      String rest = text.substring(i, end);
      if (rest.isBlank() || rest.strip().startsWith("#")) {
        i = end + 1;
        line++;
        continue;
      }
      Matcher key = KEY.matcher(text).region(i, end);
      if (!key.lookingAt()) {
        throw new DotenvException(file + ":" + line + ": not a KEY=value line: " + rest.strip());
      }
      String name = key.group(1);
      int v = key.end();
      String value;
      char quote = v < text.length() ? text.charAt(v) : 0;
      if (quote == '\'' || quote == '"') {
        int close = v + 1;
        while (close < text.length()
            && (text.charAt(close) != quote || quote == '"' && escaped(text, close))) {
          close++;
        }
        if (close >= text.length()) {
          throw new DotenvException(file + ":" + line + ": " + name + "'s quote is not closed");
        }
        String raw = text.substring(v + 1, close);
        value = quote == '\'' ? raw : expand(unescape(raw), environment, vars);
        line += (int) raw.chars().filter(c -> c == '\n').count();
        end = text.indexOf('\n', close);
        if (end < 0) {
          end = text.length();
        }
      } else {
        String raw = text.substring(v, end);
        int comment = raw.indexOf(" #");
        if (comment >= 0) {
          raw = raw.substring(0, comment);
        }
        value = expand(raw.strip(), environment, vars);
      }
      vars.put(name, value);
      i = end + 1;
      line++;
    }
    return vars;
  }

  private static boolean escaped(String text, int at) {
    int backslashes = 0;
    for (int j = at - 1; j >= 0 && text.charAt(j) == '\\'; j--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  private static String unescape(String raw) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < raw.length(); j++) {
      char c = raw.charAt(j);
      if (c == '\\' && j + 1 < raw.length()) {
        char n = raw.charAt(++j);
        switch (n) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case '$' -> sb.append("\\$"); // kept escaped for expand, which drops the backslash
          default -> sb.append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String expand(
      String value, Map<String, String> environment, Map<String, String> vars) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) != null) {
        replacement = m.group().substring(1);
      } else {
        String name = m.group(2) != null ? m.group(2) : m.group(3);
        replacement = vars.containsKey(name) ? vars.get(name) : environment.getOrDefault(name, "");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
