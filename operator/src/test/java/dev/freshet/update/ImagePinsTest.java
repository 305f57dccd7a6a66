package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins read and written through the registry module's one reference parser. */
class ImagePinsTest {
  private static final String A = "sha256:" + "a".repeat(64);

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "nginx, latest",
        "nginx:1.27, 1.27",
        "localhost:5000/team/web, latest",
        "localhost:5000/team/web:dev, dev",
        "localhost:5000/team/web:dev@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, dev",
        "nginx@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, NULL"
      })
  void theTagIsReadFromTheReference(String image, String tag) {
    assertThat(ImagePins.tag(image)).isEqualTo(Optional.ofNullable(tag));
  }

  @Test
  void aPinKeepsTheNameAsWritten() {
    assertThat(ImagePins.pin("nginx:1.27", "1.27", A)).isEqualTo("nginx:1.27@" + A);
    assertThat(ImagePins.pin("localhost:5000/team/web:dev@" + A, "1.2", A))
        .isEqualTo("localhost:5000/team/web:1.2@" + A);
    assertThat(ImagePins.name("localhost:5000/team/web")).isEqualTo("localhost:5000/team/web");
  }

  @Test
  void onlyATaggedAndPinnedReferenceOfTheSameRepositoryIsAPin() {
    assertThat(ImagePins.pinOf("localhost:5000/web:dev@" + A, "localhost:5000/web:dev"))
        .contains(new Pin("dev", A));
    assertThat(ImagePins.pinOf("localhost:5000/web:dev", "localhost:5000/web:dev")).isEmpty();
    assertThat(ImagePins.pinOf("localhost:5000/other:dev@" + A, "localhost:5000/web:dev"))
        .isEmpty();
    assertThat(ImagePins.pinOf("docker.io/library/nginx:1@" + A, "nginx:1"))
        .contains(new Pin("1", A));
    assertThat(ImagePins.pinOf("Not A Reference", "nginx:1")).isEmpty();
  }
}
