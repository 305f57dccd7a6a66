package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageTagsTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "nginx, latest",
        "nginx:1.27, 1.27",
        "localhost:5000/team/web, latest",
        "localhost:5000/team/web:dev, dev",
        "localhost:5000/team/web:dev@sha256:abc, dev",
        "nginx@sha256:abc, NULL"
      })
  void tagIsReadFromTheReference(String image, String tag) {
    assertThat(ImageTags.tagOf(image)).isEqualTo(tag);
  }
}
