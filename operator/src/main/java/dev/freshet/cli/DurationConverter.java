package dev.freshet.cli;

import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations the way kubectl users write them: 30s, 10m, 1h, 1h30m. */
class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    if (!value.matches("(\\d+(ms|s|m|h))+")) {
      throw new TypeConversionException("'" + value + "' is not a duration such as 30s, 10m or 1h");
    }
    var total = Duration.ZERO;
    var matcher = PART.matcher(value);
    while (matcher.find()) {
      long amount = Long.parseLong(matcher.group(1));
      total =
          total.plus(
              switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
    }
    return total;
  }
}
