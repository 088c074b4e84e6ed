package dev.deployer.core.plan;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials a monitor's settings hold as literal text rather than as {@code ${env:NAME}}
 * references: a password, token or API key, a password in a URL ({@code https://user:pass@host}),
 * the value of a header that carries credentials ({@code Authorization}, {@code Cookie}, {@code
 * X-Api-Key} ...), a URL query parameter such as {@code ?token=...}. {@code validate} warns about
 * them and {@code build} refuses to write them into a planfile.
 */
public final class MonitorSecrets {
  /** A reference the probe resolves when it runs: {@code ${env:NAME}} or {@code ${env:NAME:-x}}. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?}");

  /** Names of headers and query parameters whose values are credentials. */
  private static final Pattern SENSITIVE_NAME =
      Pattern.compile(
          "(?i).*(authorization|auth|cookie|token|secret|password|passwd|pwd|api[-_]?key|"
              + "access[-_]?key|signature|session).*");

  /** {@code scheme://userinfo@rest}. */
  private static final Pattern USERINFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@(.*)$");

  /** What replaces a literal credential wherever one could be written. */
  public static final String REDACTED = "<redacted: write ${env:NAME} to keep it out of the plan>";

  private MonitorSecrets() {}

  /** A non-empty value without any {@code ${env:...}} reference. */
  public static boolean isLiteral(String value) {
    return !value.isBlank() && !REFERENCE.matcher(value).find();
  }

  /** Whether a header (or query parameter) of this name carries credentials. */
  public static boolean isSensitiveName(String name) {
    return SENSITIVE_NAME.matcher(name).matches();
  }

  /** The password a URL holds literally in its user information, if any. */
  public static boolean hasLiteralPassword(String url) {
    return password(url).filter(MonitorSecrets::isLiteral).isPresent();
  }

  /** The names of the URL's query parameters that hold a literal credential. */
  public static Optional<String> literalQueryCredential(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return Optional.empty();
    }
    String query = url.substring(q + 1);
    int hash = query.indexOf('#');
    if (hash >= 0) {
      query = query.substring(0, hash);
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = pair.substring(0, eq);
      if (isSensitiveName(name) && isLiteral(pair.substring(eq + 1))) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /**
   * The URL with a literal password and literal credentials in its query replaced by {@link
   * #REDACTED}; references and the user name are kept.
   */
  public static String redactUrl(String url) {
    String out = url;
    Matcher m = USERINFO.matcher(out);
    if (m.matches() && hasLiteralPassword(out)) {
      String info = m.group(2);
      String user = info.substring(0, separator(info));
      out = m.group(1) + user + ":" + encodedRedacted() + "@" + m.group(3);
    }
    int q = out.indexOf('?');
    if (q >= 0 && literalQueryCredential(out).isPresent()) {
      StringBuilder query = new StringBuilder();
      for (String pair : out.substring(q + 1).split("&", -1)) {
        int eq = pair.indexOf('=');
        if (eq > 0 && isSensitiveName(pair.substring(0, eq)) && isLiteral(pair.substring(eq + 1))) {
          pair = pair.substring(0, eq + 1) + encodedRedacted();
        }
        query.append(query.length() == 0 ? "" : "&").append(pair);
      }
      out = out.substring(0, q + 1) + query;
    }
    return out;
  }

  /** Headers with every literal credential replaced by {@link #REDACTED}. */
  public static Map<String, String> redactHeaders(Map<String, String> headers) {
    Map<String, String> out = new TreeMap<>();
    headers.forEach(
        (name, value) ->
            out.put(name, isSensitiveName(name) && isLiteral(value) ? REDACTED : value));
    return out;
  }

  /** A redaction marker a URL can carry (no spaces, braces or slashes). */
  private static String encodedRedacted() {
    return "REDACTED";
  }

  private static Optional<String> password(String url) {
    Matcher m = USERINFO.matcher(url);
    if (!m.matches()) {
      return Optional.empty();
    }
    String info = m.group(2);
    int colon = separator(info);
    return colon >= info.length() ? Optional.empty() : Optional.of(info.substring(colon + 1));
  }

  /** The index of the colon between user and password outside {@code ${...}}; else the length. */
  private static int separator(String userinfo) {
    int colon = passwordColon(userinfo);
    return colon < 0 ? userinfo.length() : colon;
  }

  /**
   * The colon between user name and password in a URL's userinfo, outside {@code ${...}} (a
   * reference's name may hold one); -1 when there is none. The probes split userinfo with it too.
   */
  public static int passwordColon(String userinfo) {
    int depth = 0;
    for (int i = 0; i < userinfo.length(); i++) {
      char c = userinfo.charAt(i);
      if (c == '{' && i > 0 && userinfo.charAt(i - 1) == '$') {
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
      } else if (c == ':' && depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** The advice every finding ends with. */
  static String advice(String what) {
    return "holds "
        + what
        + " as literal text; write ${env:NAME} instead and set NAME in the environment of"
        + " `deployer up` (it is read when the monitor starts, never written anywhere)";
  }
}
