package dev.freshet.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.update.MaintenanceWindow;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD's cron rule and the operator's cron-utils reading agree: a schedule the API server admits
 * is one the operator can read, and one the operator refuses never gets in. A range that runs
 * backward ({@code 10-5}, {@code fri-mon}) has the pattern's shape, and comparing its ends in CEL
 * costs more than the API server allows a CRD: the operator reads it as wrapping past the field's
 * end (WrappingRangesTest), so it is admitted and means something.
 */
class CronSchemaTest {
  private static final Pattern CRON = Pattern.compile(WindowSpec.CRON);

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "0 22 * * 1-5",
        "*/15 9-17 * * *",
        "0,30 * * * *",
        "0 0 1 jan *",
        "0 0 * * sun",
        "0 0 * * MON-FRI",
        "59 23 31 12 7",
        "0 0 31 2 *",
        "5-10/2 * * * *",
        "10-5 22 * * *",
        "0 22-2 * * fri-mon",
        "0 0 30-2 nov-feb *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * 32 * *",
        "* * * 13 *",
        "* * * 0 *",
        "* * * * 8",
        "0 22 * *",
        "0 22 * * * *",
        "@daily",
        "0 22 ? * 1",
        "0 22 L * *",
        "0 22 * * 1#2",
        "a b c d e",
        "",
      })
  void theSchemaAdmitsExactlyWhatCronUtilsReads(String schedule) {
    assertThat(CRON.matcher(schedule).matches())
        .as("admitted by the CRD")
        .isEqualTo(readable(schedule));
  }

  private static boolean readable(String schedule) {
    try {
      MaintenanceWindow.parse(schedule, "1h", "UTC");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
