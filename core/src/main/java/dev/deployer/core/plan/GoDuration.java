package dev.deployer.core.plan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Go and Helm write them ({@code 90s}, {@code 1m30s}, {@code 1.5h}, {@code
 * 250ms}), so that helmwave plans keep their meaning.
 */
public final class GoDuration {
  private static final Pattern WHOLE = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with a message fit for a user when the text is not one
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration; write it as 30s, 5m, 1h30m or 500ms");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(s);
    while (m.find()) {
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      // Go's durations are 64-bit nanoseconds; Helm would refuse it, a silent wrap would be worse.
      throw new IllegalArgumentException(
          "\"" + text + "\" is longer than the longest duration Helm takes (2562047h)");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }

  /** Formats a duration the way Go does, for plan files and reports: {@code 1m30s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (minutes > 0) {
      sb.append(minutes).append('m');
    }
    if (seconds > 0 || (millis > 0 && sb.length() > 0)) {
      sb.append(seconds);
      if (millis > 0) {
        sb.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
      }
      sb.append('s');
    } else if (millis > 0) {
      sb.append(millis).append("ms");
    }
    return sb.toString();
  }
}
