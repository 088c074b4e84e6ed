package dev.deployer.core.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.plan.Monitor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Counts the events of a Sentry project created since the probe was made ({@code GET
 * /api/0/projects/{org}/{project}/events/}, newest first, following the {@code Link} header's
 * {@code rel="next"} cursor for at most {@value #MAX_PAGES} pages) and fails when more than {@code
 * max_count} match. {@code tags} and {@code message_regexp} are applied to each event here: that
 * endpoint's own {@code query} parameter only searches messages, so it is not used.
 */
public final class SentryEventsProbe implements Probe {
  /** Pages of (up to) 100 events read per probe before giving up. */
  public static final int MAX_PAGES = 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter SENTRY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final Pattern LINK_ATTRIBUTE = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final Monitor.SentryProbe settings;
  private final Optional<String> authorization;
  private final HttpUrl eventsUrl;
  private final Optional<Pattern> messageRegexp;
  private final Instant since;
  private final Duration timeout;
  private final OkHttpClient client;

  /**
   * @param environment where {@code ${env:NAME}} in {@code api_key} is looked up
   * @param timeout bounds each page's call (connecting by at most 5s)
   * @param since only events created at or after this instant count (the monitor's start)
   * @throws ProbeException for a bad URL or regex, or an unset variable
   */
  public SentryEventsProbe(
      Monitor.SentryProbe settings,
      Map<String, String> environment,
      Duration timeout,
      Instant since) {
    this.settings = settings;
    this.timeout = timeout;
    this.since = since.truncatedTo(ChronoUnit.SECONDS);
    EnvReferences env = new EnvReferences(environment);
    this.authorization =
        env.resolve(settings.apiKey(), "sentry.api_key").map(key -> "Bearer " + key);
    this.eventsUrl =
        ProbeHttp.url(settings.url(), "sentry.url", env)
            .newBuilder()
            .addPathSegments("api/0/projects")
            .addPathSegment(settings.organization())
            .addPathSegment(settings.project())
            .addPathSegment("events")
            .addPathSegment("")
            .build();
    try {
      this.messageRegexp = settings.messageRegexp().map(Pattern::compile);
    } catch (PatternSyntaxException e) {
      throw new ProbeException(
          "sentry.message_regexp: not a valid regular expression: " + e.getDescription(), e);
    }
    this.client =
        ProbeHttp.client(
            new ProbeHttp.Options(timeout, Optional.empty(), false, true), "sentry.ca_file");
  }

  @Override
  public ProbeResult probe() throws InterruptedException {
    String what = what();
    long count = 0;
    Optional<String> cursor = Optional.empty();
    Set<String> cursorsSeen = new HashSet<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      HttpUrl url = pageUrl(cursor);
      Request.Builder request = new Request.Builder().url(url).get();
      authorization.ifPresent(a -> request.header("Authorization", a));
      ProbeHttp.Answer answer;
      try {
        answer = ProbeHttp.call(client, request.build());
      } catch (IOException e) {
        return ProbeResult.error(
            "cannot count Sentry events: " + ProbeHttp.describe(e, eventsUrl, timeout));
      }
      Optional<String> refused = refusal(answer);
      if (refused.isPresent()) {
        return ProbeResult.error(refused.get());
      }
      JsonNode events;
      try {
        events = JSON.readTree(answer.body());
      } catch (JsonProcessingException e) {
        events = null;
      }
      if (events == null || !events.isArray()) {
        return ProbeResult.error(
            "Sentry answered HTTP "
                + answer.code()
                + " with something that is not a list of events: "
                + PrometheusQueryProbe.excerpt(answer.body()));
      }
      boolean olderReached = false;
      for (JsonNode event : events) {
        Optional<Instant> created = created(event);
        if (created.isPresent() && created.get().isBefore(since)) {
          olderReached = true; // newest first: the rest are older still
          break;
        }
        if (matches(event)) {
          count++;
        }
      }
      cursor = nextCursor(answer);
      boolean more = !olderReached && cursor.isPresent();
      if (count > settings.maxCount()) {
        return ProbeResult.failure(
            (more ? "at least " : "")
                + events(count)
                + what
                + ", more than max_count "
                + settings.maxCount());
      }
      if (!more) {
        return ProbeResult.success(
            events(count) + what + " (max_count " + settings.maxCount() + ")");
      }
      if (!cursorsSeen.add(cursor.get())) {
        return ProbeResult.error(
            "Sentry's pagination repeats the cursor " + cursor.get() + "; counted " + count);
      }
    }
    return ProbeResult.error(
        "cannot tell whether max_count "
            + settings.maxCount()
            + " holds: "
            + events(count)
            + what
            + " in the first "
            + MAX_PAGES
            + " pages, and Sentry has more");
  }

  private static String events(long count) {
    return count + (count == 1 ? " event" : " events");
  }

  /** " in acme/api since ... tagged ... with a message matching ...". */
  private String what() {
    StringBuilder out =
        new StringBuilder(" in ")
            .append(settings.organization())
            .append('/')
            .append(settings.project())
            .append(" since ")
            .append(since);
    if (!settings.tags().isEmpty()) {
      out.append(" tagged ");
      settings.tags().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(t -> out.append(t.getKey()).append('=').append(t.getValue()).append(' '));
      out.setLength(out.length() - 1);
    }
    messageRegexp.ifPresent(p -> out.append(" with a message matching ").append(p.pattern()));
    return out.toString();
  }

  private HttpUrl pageUrl(Optional<String> cursor) {
    // Newer Sentry servers filter by start/end themselves; older ones ignore them, and
    // dateCreated is checked here either way. The end leaves room for clock skew.
    HttpUrl.Builder url =
        eventsUrl
            .newBuilder()
            .addQueryParameter(
                "start", SENTRY_TIME.format(LocalDateTime.ofInstant(since, ZoneOffset.UTC)))
            .addQueryParameter(
                "end",
                SENTRY_TIME.format(
                    LocalDateTime.ofInstant(
                        Instant.now().plus(Duration.ofMinutes(5)), ZoneOffset.UTC)))
            .addQueryParameter("per_page", "100");
    cursor.ifPresent(c -> url.addQueryParameter("cursor", c));
    return url.build();
  }

  private Optional<String> refusal(ProbeHttp.Answer answer) {
    String project = settings.organization() + "/" + settings.project();
    return switch (answer.code()) {
      case 200 -> Optional.empty();
      case 401 ->
          Optional.of(
              authorization.isPresent()
                  ? "Sentry refused the API token (HTTP 401) reading events of " + project
                  : "Sentry wants an API token (HTTP 401) to read events of "
                      + project
                      + ": set sentry.api_key");
      case 403 ->
          Optional.of(
              "the API token may not read events of "
                  + project
                  + " (HTTP 403; it needs the project:read scope)"
                  + detail(answer));
      case 404 ->
          Optional.of(
              "Sentry at "
                  + ProbeHttp.shown(eventsUrl.newBuilder().encodedPath("/").query(null).build())
                  + " has no project "
                  + project
                  + " (HTTP 404)");
      default ->
          Optional.of(
              "Sentry answered HTTP "
                  + answer.code()
                  + " reading events of "
                  + project
                  + detail(answer));
    };
  }

  /** Sentry's {@code {"detail": "..."}} error text, when there is one. */
  private static String detail(ProbeHttp.Answer answer) {
    try {
      String text = JSON.readTree(answer.body()).path("detail").asText("");
      return text.isEmpty() ? "" : ": " + text;
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  private static Optional<Instant> created(JsonNode event) {
    String text = event.path("dateCreated").asText("");
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty(); // counted: an event of unknown age is not proof of health
    }
  }

  private boolean matches(JsonNode event) {
    for (Map.Entry<String, String> tag : settings.tags().entrySet()) {
      if (!hasTag(event, tag.getKey(), tag.getValue())) {
        return false;
      }
    }
    if (messageRegexp.isPresent()) {
      // Exception events often have an empty message and the exception in the title.
      Pattern p = messageRegexp.get();
      return p.matcher(event.path("message").asText("")).find()
          || p.matcher(event.path("title").asText("")).find();
    }
    return true;
  }

  private static boolean hasTag(JsonNode event, String key, String value) {
    for (JsonNode tag : event.path("tags")) {
      if (key.equals(tag.path("key").asText()) && value.equals(tag.path("value").asText())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The cursor of the {@code rel="next"} link when Sentry says it has {@code results="true"};
   * Sentry always sends a next link, with {@code results="false"} on the last page. Only the cursor
   * is taken, so the API token never goes to a host the link might name.
   */
  static Optional<String> nextCursor(ProbeHttp.Answer answer) {
    for (String header : answer.headers().values("Link")) {
      for (String link : header.split(",\\s*(?=<)")) {
        Map<String, String> attributes = new java.util.HashMap<>();
        Matcher m = LINK_ATTRIBUTE.matcher(link);
        while (m.find()) {
          attributes.put(m.group(1), m.group(2));
        }
        if ("next".equals(attributes.get("rel"))
            && "true".equals(attributes.get("results"))
            && attributes.containsKey("cursor")) {
          return Optional.of(attributes.get("cursor"));
        }
      }
    }
    return Optional.empty();
  }
}
