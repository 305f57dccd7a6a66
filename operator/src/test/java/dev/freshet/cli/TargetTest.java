package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "web, APP, web",
    "app/web, APP, web",
    "apps.freshet.dev/web, APP, web",
    "deploy/web, DEPLOYMENT, web",
    "deployment/web, DEPLOYMENT, web",
    "Deployments/web, DEPLOYMENT, web",
    "sts/db-0, STATEFUL_SET, db-0",
    "statefulset/db, STATEFUL_SET, db",
    "ds/agent, DAEMON_SET, agent",
    "cronjob/nightly, CRON_JOB, nightly",
    "cj/nightly, CRON_JOB, nightly",
  })
  void readsTheNamesKubectlReads(String text, Target.Kind kind, String name) {
    assertThat(Target.parse(text)).isEqualTo(new Target(kind, name));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          svc/web     | "svc" is not a kind Freshet updates
          pod/web-1   | "pod" is not a kind Freshet updates
          deploy/Web  | "Web" is not an object name
          deploy/     | "" is not an object name
          ''          | "" is not an object name
          """)
  void refusesWhatItCannotAct(String text, String why) {
    assertThatThrownBy(() -> Target.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @org.junit.jupiter.api.Test
  void printsTheShortWord() {
    assertThat(Target.parse("deployment/web")).hasToString("deploy/web");
  }
}
