package dev.deployer.app;

import dev.deployer.core.plan.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values checked as picocli reads them, so that a bad value is a usage error (exit 2, naming
 * the option) before anything runs, never a stack trace after hooks ran.
 */
final class OptionTypes {
  private OptionTypes() {}

  /** A Go-style duration ({@code 30s}, {@code 5m}, {@code 1h30m}). */
  static final class GoDurationValue implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return GoDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A Go-style duration longer than zero. */
  static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = new GoDurationValue().convert(value);
      if (d.isZero() || d.isNegative()) {
        throw new TypeConversionException("must be longer than 0, not " + value);
      }
      return d;
    }
  }

  /** A count of 0 or more. */
  static final class NonNegative implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("\"" + value + "\" is not a whole number");
      }
      if (n < 0) {
        throw new TypeConversionException("must be 0 or more, not " + n);
      }
      return n;
    }
  }

  /** A count of 1 or more. */
  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n = new NonNegative().convert(value);
      if (n < 1) {
        throw new TypeConversionException("must be 1 or more, not " + n);
      }
      return n;
    }
  }
}
