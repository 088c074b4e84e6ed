package dev.deployer.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's configuration, in code rather than a {@code logback.xml}: parsing XML at start-up cost
 * a CLI run about a fifth of a second. deployer reports through its own console; logs are for
 * debugging, on standard error, at {@code DEPLOYER_LOG_LEVEL} (default {@code WARN}), or the level
 * {@code --log-level}, {@code -q} or {@code -v} ask for; with {@code --log-format json} each record
 * is a {@link JsonLines} line ({@code "event":"log"}).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayout text = new PatternLayout();
    text.setContext(context);
    text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
    text.start();
    JsonOrText layout = new JsonOrText(text);
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    String level = System.getenv("DEPLOYER_LOG_LEVEL");
    root.setLevel(Level.toLevel(level == null || level.isBlank() ? "WARN" : level, Level.WARN));
    root.addAppender(stderr);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets the root logger's level and returns the one it had. */
  static Level setLevel(Level level) {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    root.setLevel(level);
    return before;
  }

  /**
   * A record as a {@link JsonLines} line while the command line asks for JSON, else as {@code
   * text}'s pattern: logback is configured before the command line is read.
   */
  static final class JsonOrText extends LayoutBase<ILoggingEvent> {
    private final PatternLayout text;

    JsonOrText(PatternLayout text) {
      this.text = text;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
      if (!JsonLines.processWide()) {
        return text.doLayout(event);
      }
      var line = JsonLines.line(event.getInstant(), level(event.getLevel()), "log");
      line.put("logger", event.getLoggerName());
      line.put("thread", event.getThreadName());
      line.put("message", event.getFormattedMessage());
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        line.put("stack_trace", ThrowableProxyUtil.asString(thrown));
      }
      return line + System.lineSeparator();
    }

    static String level(Level level) {
      if (level.isGreaterOrEqual(Level.ERROR)) {
        return "error";
      }
      if (level.isGreaterOrEqual(Level.WARN)) {
        return "warn";
      }
      return level.isGreaterOrEqual(Level.INFO) ? "info" : "debug";
    }
  }
}
