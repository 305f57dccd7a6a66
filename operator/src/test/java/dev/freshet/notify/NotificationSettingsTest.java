package dev.freshet.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The notifications Secret: each target stands alone, and whatever is wrong is named, never
 * ignored.
 */
class NotificationSettingsTest {

  @Test
  void threeTargetsWithFiltersAndAClusterName() {
    var settings =
        NotificationSettings.parse(
            Map.of(
                "slack.url", "https://hooks.slack.com/services/T0/B0/x",
                "teams.url", "https://prod-00.westeurope.logic.azure.com/workflows/abc",
                "teams.events", "rolled-back,registry-failing",
                "generic.url", "https://ops.example/hooks/freshet",
                "generic.secret", "s3cret",
                "events", "found, started, succeeded",
                "cluster", "prod-eu"));

    assertThat(settings.problems()).isEmpty();
    assertThat(settings.cluster()).isEqualTo("prod-eu");
    assertThat(settings.targets())
        .extracting(Target::name)
        .containsExactly("slack", "teams", "generic");
    assertThat(settings.targets().get(0).kinds())
        .containsExactlyInAnyOrder(
            NotificationKind.FOUND, NotificationKind.STARTED, NotificationKind.SUCCEEDED);
    assertThat(settings.targets().get(1).kinds())
        .containsExactlyInAnyOrder(NotificationKind.ROLLED_BACK, NotificationKind.REGISTRY_FAILING);
    assertThat(settings.targets().get(1).format()).isInstanceOf(TeamsFormat.class);
    assertThat(settings.targets().get(2).signing()).isPresent();
  }

  @Test
  void withoutFiltersATargetHearsEveryKind() {
    var settings = NotificationSettings.parse(Map.of("slack.url", "https://hooks.example/x"));
    assertThat(settings.targets().get(0).kinds()).isEqualTo(EnumSet.allOf(NotificationKind.class));
  }

  @Test
  void mistakesAreNamedAndDisableOnlyWhatTheyConfigure() {
    var settings =
        NotificationSettings.parse(
            Map.of(
                "slack.url", "hooks.slack.com/services/x",
                "teams.url", "https://teams.example/hook",
                "teams.events", "started, deployed",
                "generic.url", "https://ops.example/hook",
                "webhook.url", "https://typo.example"));

    assertThat(settings.targets()).extracting(Target::name).containsExactly("teams");
    assertThat(settings.targets().get(0).kinds()).containsExactly(NotificationKind.STARTED);
    assertThat(settings.problems())
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).startsWith("key webhook.url is not one Freshet reads"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("slack.url must be an http or https URL with a host")
                    // A webhook URL is a secret: a problem is logged and recorded as an Event.
                    .doesNotContain("services/x"))
        .anySatisfy(
            p -> assertThat(p).contains("teams.events names \"deployed\", which is no kind"))
        .anySatisfy(p -> assertThat(p).startsWith("generic.url is set but generic.secret is not"));
  }

  @Test
  void everyEventReasonThatIsNewsMapsToOneKind() {
    assertThat(NotificationKind.of(dev.freshet.observe.EventReason.UpdateFound))
        .contains(NotificationKind.FOUND);
    assertThat(NotificationKind.of(dev.freshet.observe.EventReason.Waiting))
        .contains(NotificationKind.WAITING);
    assertThat(NotificationKind.of(dev.freshet.observe.EventReason.RollingOut))
        .contains(NotificationKind.STARTED);
    assertThat(NotificationKind.of(dev.freshet.observe.EventReason.RolledOut))
        .contains(NotificationKind.SUCCEEDED);
    assertThat(NotificationKind.of(dev.freshet.observe.EventReason.RolledBack))
        .contains(NotificationKind.ROLLED_BACK);
    for (var reason : dev.freshet.observe.EventReason.values()) {
      if (reason.name().startsWith("Registry")) {
        assertThat(NotificationKind.of(reason)).contains(NotificationKind.REGISTRY_FAILING);
      }
    }
    assertThat(NotificationKind.of(dev.freshet.observe.EventReason.Created)).isEmpty();
    assertThat(NotificationKind.of(dev.freshet.observe.EventReason.NotificationsInvalid)).isEmpty();
  }

  @Test
  void aUrlThatIsNoUrlIsNotRepeatedInItsProblem() {
    var settings =
        NotificationSettings.parse(
            Map.of("slack.url", "https://hooks.slack.com/services/T0/B0/se cret"));

    assertThat(settings.targets()).isEmpty();
    assertThat(settings.problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p).startsWith("slack.url is not a URL: ").doesNotContain("se cret"));
  }

  @Test
  void aTargetPrintsNoMoreOfItsUrlThanTheHost() {
    var target =
        NotificationSettings.parse(
                Map.of("slack.url", "https://hooks.slack.com/services/T0/B0/XYZ"))
            .targets()
            .get(0);

    assertThat(target.toString()).isEqualTo("Target[slack https://hooks.slack.com/…]");
  }
}
