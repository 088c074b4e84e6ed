package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.plan.Monitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code sentry} probe against {@link MockWebServer} answering like Sentry's "list a project's
 * error events" endpoint: a JSON array of events (newest first, each with {@code eventID}, {@code
 * message}, {@code title}, {@code tags: [{key, value}]}, {@code dateCreated}) and a {@code Link}
 * header whose {@code rel="next"} entry says {@code results="true"} while there are more pages.
 */
@Timeout(30)
class SentryEventsProbeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Instant DEPLOYED = Instant.parse("2026-01-01T10:00:00Z");
  private static final Map<String, String> ENV = Map.of("SENTRY_TOKEN", "sntrys_s3cret");
  private static final String SINCE = "since 2026-01-01T10:00:00Z";

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private Monitor.SentryProbe settings(
      Map<String, String> tags, Optional<String> messageRegexp, long maxCount) {
    return new Monitor.SentryProbe(
        server.url("/").toString(),
        Optional.of("${env:SENTRY_TOKEN}"),
        "acme",
        "api",
        tags,
        messageRegexp,
        maxCount);
  }

  /** A probe of every event, with no tag or message filter, that passes on up to {@code max}. */
  ProbeResult probeAllowing(int max) throws Exception {
    return probe(settings(Map.of(), Optional.empty(), max));
  }

  private ProbeResult probe(Monitor.SentryProbe settings) throws Exception {
    return new SentryEventsProbe(settings, ENV, TIMEOUT, DEPLOYED).probe();
  }

  /** One event as the list endpoint serializes it. */
  private static String event(String id, String created, String message, String environment) {
    return """
        {"id": "%1$s", "event.type": "error", "groupID": "4711", "eventID": "%1$s",
         "projectID": "5", "message": "%2$s", "title": "%2$s", "location": null,
         "culprit": "app.views", "user": null, "platform": "python",
         "tags": [{"key": "environment", "value": "%3$s"}, {"key": "level", "value": "error"}],
         "dateCreated": "%4$s", "crashFile": null}"""
        .formatted(id, message, environment, created);
  }

  private static String page(String... events) {
    return "[" + String.join(",", events) + "]";
  }

  /** Sentry's Link header: a previous and a next link, each saying whether it has results. */
  private static String link(String nextCursor, boolean more) {
    String base = "https://sentry.example.com/api/0/projects/acme/api/events/?&cursor=";
    return "<"
        + base
        + "0:0:1>; rel=\"previous\"; results=\"false\"; cursor=\"0:0:1\", <"
        + base
        + nextCursor
        + ">; rel=\"next\"; results=\""
        + more
        + "\"; cursor=\""
        + nextCursor
        + "\"";
  }

  private static MockResponse answer(String body, String link) {
    return new MockResponse()
        .setHeader("Content-Type", "application/json")
        .setHeader("Link", link)
        .setBody(body);
  }

  @Test
  void fewerEventsThanMaxCountPassAndTheRequestIsSentrysEventsApi() throws Exception {
    server.enqueue(
        answer(
            page(
                event("e2", "2026-01-01T10:07:00.000000Z", "KeyError: 'id'", "prod"),
                event("e1", "2026-01-01T10:05:00.123456Z", "Timeout talking to db", "prod")),
            link("0:100:0", false)));

    ProbeResult result = probeAllowing(5);

    assertThat(result)
        .isEqualTo(ProbeResult.success("2 events in acme/api " + SINCE + " (max_count 5)"));
    RecordedRequest request = server.takeRequest();
    HttpUrl url = request.getRequestUrl();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(url.encodedPath()).isEqualTo("/api/0/projects/acme/api/events/");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sntrys_s3cret");
    assertThat(url.queryParameter("start")).isEqualTo("2026-01-01T10:00:00");
    assertThat(url.queryParameter("end")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
    assertThat(url.queryParameter("per_page")).isEqualTo("100");
    assertThat(url.queryParameter("cursor")).isNull();
    // The endpoint's `query` searches messages only, so tags are never sent as one.
    assertThat(url.queryParameter("query")).isNull();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void moreEventsThanMaxCountFail() throws Exception {
    server.enqueue(
        answer(
            page(
                event("e3", "2026-01-01T10:09:00Z", "boom", "prod"),
                event("e2", "2026-01-01T10:08:00Z", "boom", "prod"),
                event("e1", "2026-01-01T10:07:00Z", "boom", "prod")),
            link("0:100:0", false)));

    assertThat(probeAllowing(2))
        .isEqualTo(
            ProbeResult.failure("3 events in acme/api " + SINCE + ", more than max_count 2"));
  }

  @Test
  void followsTheNextCursorToTheSameServerUntilResultsIsFalse() throws Exception {
    server.enqueue(
        answer(page(event("e3", "2026-01-01T10:09:00Z", "boom", "prod")), link("0:100:0", true)));
    server.enqueue(
        answer(
            page(
                event("e2", "2026-01-01T10:08:00Z", "boom", "prod"),
                event("e1", "2026-01-01T10:07:00Z", "boom", "prod")),
            link("0:200:0", false)));

    ProbeResult result = probeAllowing(3);

    assertThat(result)
        .isEqualTo(ProbeResult.success("3 events in acme/api " + SINCE + " (max_count 3)"));
    assertThat(server.takeRequest().getRequestUrl().queryParameter("cursor")).isNull();
    RecordedRequest second = server.takeRequest();
    assertThat(second.getRequestUrl().queryParameter("cursor")).isEqualTo("0:100:0");
    assertThat(second.getRequestUrl().encodedPath()).isEqualTo("/api/0/projects/acme/api/events/");
    assertThat(second.getHeader("Authorization")).isEqualTo("Bearer sntrys_s3cret");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void stopsAtTheFirstEventOlderThanTheDeploy() throws Exception {
    server.enqueue(
        answer(
            page(
                event("new", "2026-01-01T10:01:00Z", "boom", "prod"),
                event("old", "2026-01-01T09:59:59Z", "boom", "prod"),
                event("older", "2025-12-31T08:00:00Z", "boom", "prod")),
            link("0:100:0", true)));

    assertThat(probeAllowing(1))
        .isEqualTo(ProbeResult.success("1 event in acme/api " + SINCE + " (max_count 1)"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void tagsAndMessageRegexpSelectTheEventsCounted() throws Exception {
    String events =
        page(
            event("a", "2026-01-01T10:04:00Z", "Timeout talking to db", "prod"),
            event("b", "2026-01-01T10:03:00Z", "Timeout talking to db", "staging"),
            event("c", "2026-01-01T10:02:00Z", "KeyError: 'id'", "prod"),
            event("d", "2026-01-01T10:01:00Z", "Timeout reading cache", "prod"));
    for (int i = 0; i < 3; i++) {
      server.enqueue(answer(events, link("0:100:0", false)));
    }

    ProbeResult byTag = probe(settings(Map.of("environment", "prod"), Optional.empty(), 10));
    ProbeResult byTagAndMessage =
        probe(settings(Map.of("environment", "prod"), Optional.of("^Timeout"), 1));
    ProbeResult byMessage = probe(settings(Map.of(), Optional.of("KeyError"), 0));

    assertThat(byTag)
        .isEqualTo(
            ProbeResult.success(
                "3 events in acme/api " + SINCE + " tagged environment=prod (max_count 10)"));
    assertThat(byTagAndMessage)
        .isEqualTo(
            ProbeResult.failure(
                "2 events in acme/api "
                    + SINCE
                    + " tagged environment=prod with a message matching ^Timeout,"
                    + " more than max_count 1"));
    assertThat(byMessage)
        .isEqualTo(
            ProbeResult.failure(
                "1 event in acme/api "
                    + SINCE
                    + " with a message matching KeyError, more than max_count 0"));
  }

  @Test
  void exceedingMaxCountStopsPagingAndSaysAtLeast() throws Exception {
    server.enqueue(
        answer(
            page(
                event("e2", "2026-01-01T10:08:00Z", "boom", "prod"),
                event("e1", "2026-01-01T10:07:00Z", "boom", "prod")),
            link("0:100:0", true)));

    assertThat(probeAllowing(1))
        .isEqualTo(
            ProbeResult.failure(
                "at least 2 events in acme/api " + SINCE + ", more than max_count 1"));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void readsABoundedNumberOfPages() throws Exception {
    AtomicInteger pages = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            int n = pages.incrementAndGet();
            return answer(
                page(event("e" + n, "2026-01-01T11:00:00Z", "noise", "staging")),
                link("0:" + (n * 100) + ":0", true));
          }
        });

    ProbeResult result = probe(settings(Map.of("environment", "prod"), Optional.empty(), 0));

    assertThat(result)
        .isEqualTo(
            ProbeResult.error(
                "cannot tell whether max_count 0 holds: 0 events in acme/api "
                    + SINCE
                    + " tagged environment=prod in the first "
                    + SentryEventsProbe.MAX_PAGES
                    + " pages, and Sentry has more"));
    assertThat(pages.get()).isEqualTo(SentryEventsProbe.MAX_PAGES);
  }

  @Test
  void aRepeatedCursorStopsPaging() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(page(), link("0:100:0", true));
          }
        });

    ProbeResult result = probeAllowing(0);

    assertThat(result)
        .isEqualTo(ProbeResult.error("Sentry's pagination repeats the cursor 0:100:0; counted 0"));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aRefusedTokenIsAnErrorThatDoesNotShowIt() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(401)
            .setBody("{\"detail\": \"Invalid token: sntrys_s3cret\"}"));

    ProbeResult result = probeAllowing(0);

    assertThat(result)
        .isEqualTo(
            ProbeResult.error(
                "Sentry refused the API token (HTTP 401) reading events of acme/api"));
    assertThat(result.detail()).doesNotContain("s3cret");
  }

  @Test
  void withoutAnApiKeyNoAuthorizationIsSentAnd401SaysToSetOne() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"detail\": \"x\"}"));
    Monitor.SentryProbe noKey =
        new Monitor.SentryProbe(
            server.url("/").toString(),
            Optional.empty(),
            "acme",
            "api",
            Map.of(),
            Optional.empty(),
            0);

    ProbeResult result = new SentryEventsProbe(noKey, Map.of(), TIMEOUT, DEPLOYED).probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.error(
                "Sentry wants an API token (HTTP 401) to read events of acme/api:"
                    + " set sentry.api_key"));
    assertThat(server.takeRequest().getHeader("Authorization")).isNull();
  }

  @Test
  void forbiddenMissingAndBrokenAnswersAreErrors() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(403)
            .setBody("{\"detail\": \"You do not have permission to perform this action.\"}"));
    server.enqueue(
        new MockResponse()
            .setResponseCode(404)
            .setBody("{\"detail\": \"The requested resource does not exist\"}"));
    server.enqueue(new MockResponse().setResponseCode(500).setBody("<h1>Server Error</h1>"));
    server.enqueue(new MockResponse().setBody("{\"not\": \"a list\"}"));
    List<ProbeResult> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(probeAllowing(0));
    }

    assertThat(results)
        .containsExactly(
            ProbeResult.error(
                "the API token may not read events of acme/api (HTTP 403; it needs the"
                    + " project:read scope): You do not have permission to perform this action."),
            ProbeResult.error(
                "Sentry at " + server.url("/") + " has no project acme/api (HTTP 404)"),
            ProbeResult.error("Sentry answered HTTP 500 reading events of acme/api"),
            ProbeResult.error(
                "Sentry answered HTTP 200 with something that is not a list of events:"
                    + " {\"not\": \"a list\"}"));
  }

  @Test
  void anUnreachableServerIsAFailedProbe() throws Exception {
    String url = server.url("/").toString();
    server.shutdown();
    Monitor.SentryProbe settings =
        new Monitor.SentryProbe(
            url, Optional.of("${env:SENTRY_TOKEN}"), "acme", "api", Map.of(), Optional.empty(), 0);

    ProbeResult result = new SentryEventsProbe(settings, ENV, TIMEOUT, DEPLOYED).probe();

    assertThat(result.success()).isFalse();
    assertThat(result.detail()).startsWith("cannot count Sentry events: cannot connect to " + url);
  }

  @Test
  void anUnsetTokenVariableIsAProbeExceptionNamingIt() {
    assertThatThrownBy(
            () ->
                new SentryEventsProbe(
                    settings(Map.of(), Optional.empty(), 0), Map.of(), TIMEOUT, DEPLOYED))
        .isInstanceOf(ProbeException.class)
        .hasMessage("sentry.api_key: the environment variable SENTRY_TOKEN is not set");
  }
}
