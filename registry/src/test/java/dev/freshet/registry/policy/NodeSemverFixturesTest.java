package dev.freshet.registry.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.semver4j.Semver;

/**
 * Ranges read as node-semver reads them, case by case from its published fixtures: npm/node-semver
 * v7.8.5, test/fixtures/range-include.js (126 cases) and test/fixtures/range-exclude.js (98 cases),
 * in their order. The third column is node-semver's {@code includePrerelease} option. Cases
 * node-semver runs with {@code loose} are here when the range is strict and the version valid (a
 * leading {@code v}): loose changes nothing for them.
 *
 * <p>Deliberately different, both from {@code loose} mode only: five ranges Freshet refuses instead
 * of reading loosely ({@link #looseRangesAreRefused}), and versions such as {@code 1.0.0beta} that
 * are not versions to Freshet at all ({@link
 * #whatNodeSemverCannotReadAsAVersionIsNeverACandidate}).
 */
class NodeSemverFixturesTest {

  @ParameterizedTest(name = "{0} includes {1} (includePrerelease={2})")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          # range (range-include.js)      ; version     ; includePrerelease
          1.0.0 - 2.0.0                   ; 1.2.3       ; false
          ^1.2.3+build                    ; 1.2.3       ; false
          ^1.2.3+build                    ; 1.3.0       ; false
          1.2.3-pre+asdf - 2.4.3-pre+asdf ; 1.2.3       ; false
          1.2.3-pre+asdf - 2.4.3-pre+asdf ; 1.2.3-pre.2 ; false
          1.2.3-pre+asdf - 2.4.3-pre+asdf ; 2.4.3-alpha ; false
          1.2.3+asdf - 2.4.3+asdf         ; 1.2.3       ; false
          1.0.0                           ; 1.0.0       ; false
          >=*                             ; 0.2.4       ; false
          ''                              ; 1.0.0       ; false
          *                               ; 1.2.3       ; false
          *                               ; v1.2.3      ; false
          >=1.0.0                         ; 1.0.0       ; false
          >=1.0.0                         ; 1.0.1       ; false
          >=1.0.0                         ; 1.1.0       ; false
          >1.0.0                          ; 1.0.1       ; false
          >1.0.0                          ; 1.1.0       ; false
          <=2.0.0                         ; 2.0.0       ; false
          <=2.0.0                         ; 1.9999.9999 ; false
          <=2.0.0                         ; 0.2.9       ; false
          <2.0.0                          ; 1.9999.9999 ; false
          <2.0.0                          ; 0.2.9       ; false
          >= 1.0.0                        ; 1.0.0       ; false
          >=  1.0.0                       ; 1.0.1       ; false
          >=   1.0.0                      ; 1.1.0       ; false
          > 1.0.0                         ; 1.0.1       ; false
          >  1.0.0                        ; 1.1.0       ; false
          <=   2.0.0                      ; 2.0.0       ; false
          <= 2.0.0                        ; 1.9999.9999 ; false
          <=  2.0.0                       ; 0.2.9       ; false
          <    2.0.0                      ; 1.9999.9999 ; false
          <\t2.0.0                        ; 0.2.9       ; false
          >=0.1.97                        ; v0.1.97     ; false
          >=0.1.97                        ; 0.1.97      ; false
          0.1.20 || 1.2.4                 ; 1.2.4       ; false
          >=0.2.3 || <0.0.1               ; 0.0.0       ; false
          >=0.2.3 || <0.0.1               ; 0.2.3       ; false
          >=0.2.3 || <0.0.1               ; 0.2.4       ; false
          ||                              ; 1.3.4       ; false
          2.x.x                           ; 2.1.3       ; false
          1.2.x                           ; 1.2.3       ; false
          1.2.x || 2.x                    ; 2.1.3       ; false
          1.2.x || 2.x                    ; 1.2.3       ; false
          x                               ; 1.2.3       ; false
          2.*.*                           ; 2.1.3       ; false
          1.2.*                           ; 1.2.3       ; false
          1.2.* || 2.*                    ; 2.1.3       ; false
          1.2.* || 2.*                    ; 1.2.3       ; false
          *                               ; 1.2.3       ; false
          2                               ; 2.1.2       ; false
          2.3                             ; 2.3.1       ; false
          ~0.0.1                          ; 0.0.1       ; false
          ~0.0.1                          ; 0.0.2       ; false
          ~x                              ; 0.0.9       ; false
          ~2                              ; 2.0.9       ; false
          ~2.4                            ; 2.4.0       ; false
          ~2.4                            ; 2.4.5       ; false
          ~>3.2.1                         ; 3.2.2       ; false
          ~1                              ; 1.2.3       ; false
          ~>1                             ; 1.2.3       ; false
          ~> 1                            ; 1.2.3       ; false
          ~1.0                            ; 1.0.2       ; false
          ~ 1.0                           ; 1.0.2       ; false
          ~ 1.0.3                         ; 1.0.12      ; false
          >=1                             ; 1.0.0       ; false
          >= 1                            ; 1.0.0       ; false
          <1.2                            ; 1.1.1       ; false
          < 1.2                           ; 1.1.1       ; false
          ~v0.5.4-pre                     ; 0.5.5       ; false
          ~v0.5.4-pre                     ; 0.5.4       ; false
          =0.7.x                          ; 0.7.2       ; false
          <=0.7.x                         ; 0.7.2       ; false
          >=0.7.x                         ; 0.7.2       ; false
          <=0.7.x                         ; 0.6.2       ; false
          ~1.2.1 >=1.2.3                  ; 1.2.3       ; false
          ~1.2.1 =1.2.3                   ; 1.2.3       ; false
          ~1.2.1 1.2.3                    ; 1.2.3       ; false
          ~1.2.1 >=1.2.3 1.2.3            ; 1.2.3       ; false
          ~1.2.1 1.2.3 >=1.2.3            ; 1.2.3       ; false
          >=1.2.1 1.2.3                   ; 1.2.3       ; false
          1.2.3 >=1.2.1                   ; 1.2.3       ; false
          >=1.2.3 >=1.2.1                 ; 1.2.3       ; false
          >=1.2.1 >=1.2.3                 ; 1.2.3       ; false
          >=1.2                           ; 1.2.8       ; false
          ^1.2.3                          ; 1.8.1       ; false
          ^0.1.2                          ; 0.1.2       ; false
          ^0.1                            ; 0.1.2       ; false
          ^0.0.1                          ; 0.0.1       ; false
          ^1.2                            ; 1.4.2       ; false
          ^1.2 ^1                         ; 1.4.2       ; false
          ^1.2.3-alpha                    ; 1.2.3-pre   ; false
          ^1.2.0-alpha                    ; 1.2.0-pre   ; false
          ^0.0.1-alpha                    ; 0.0.1-beta  ; false
          ^0.0.1-alpha                    ; 0.0.1       ; false
          ^0.1.1-alpha                    ; 0.1.1-beta  ; false
          ^x                              ; 1.2.3       ; false
          x - 1.0.0                       ; 0.9.7       ; false
          x - 1.x                         ; 0.9.7       ; false
          1.0.0 - x                       ; 1.9.7       ; false
          1.x - x                         ; 1.9.7       ; false
          <=7.x                           ; 7.9.9       ; false
          2.x                             ; 2.0.0-pre.0 ; true
          2.x                             ; 2.1.0-pre.0 ; true
          1.1.x                           ; 1.1.0-a     ; true
          1.1.x                           ; 1.1.1-a     ; true
          ~1.1                            ; 1.1.0-a     ; true
          ~1.1.x                          ; 1.1.0-a     ; true
          ~1.1                            ; 1.1.1-a     ; true
          ~2                              ; 2.0.0-pre.0 ; true
          ~2.x                            ; 2.0.0-pre.0 ; true
          *                               ; 1.0.0-rc1   ; true
          ^1.0.0-0                        ; 1.0.1-rc1   ; true
          ^1.0.0-rc2                      ; 1.0.1-rc1   ; true
          ^1.0.0                          ; 1.0.1-rc1   ; true
          ^1.0.0                          ; 1.1.0-rc1   ; true
          1 - 2                           ; 2.0.0-pre   ; true
          1 - 2                           ; 1.0.0-pre   ; true
          1.0 - 2                         ; 1.0.0-pre   ; true
          =0.7.x                          ; 0.7.0-asdf  ; true
          >=0.7.x                         ; 0.7.0-asdf  ; true
          <=0.7.x                         ; 0.7.0-asdf  ; true
          >=1.0.0 <=1.1.0                 ; 1.1.0-pre   ; true
          """)
  void includes(String range, String version, boolean includePrerelease) {
    assertThat(satisfies(range, version, includePrerelease)).isTrue();
    assertThatAPolicyAgrees(range, version, includePrerelease, true);
  }

  @ParameterizedTest(name = "{0} excludes {1} (includePrerelease={2})")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          # range (range-exclude.js)  ; version     ; includePrerelease
          1.0.0 - 2.0.0           ; 2.2.3       ; false
          1.2.3+asdf - 2.4.3+asdf ; 1.2.3-pre.2 ; false
          1.2.3+asdf - 2.4.3+asdf ; 2.4.3-alpha ; false
          ^1.2.3+build            ; 2.0.0       ; false
          ^1.2.3+build            ; 1.2.0       ; false
          ^1.2.3                  ; 1.2.3-pre   ; false
          ^1.2                    ; 1.2.0-pre   ; false
          >1.2                    ; 1.3.0-beta  ; false
          <=1.2.3                 ; 1.2.3-beta  ; false
          ^1.2.3                  ; 1.2.3-beta  ; false
          =0.7.x                  ; 0.7.0-asdf  ; false
          >=0.7.x                 ; 0.7.0-asdf  ; false
          <=0.7.x                 ; 0.7.0-asdf  ; false
          1.0.0                   ; 1.0.1       ; false
          >=1.0.0                 ; 0.0.0       ; false
          >=1.0.0                 ; 0.0.1       ; false
          >=1.0.0                 ; 0.1.0       ; false
          >1.0.0                  ; 0.0.1       ; false
          >1.0.0                  ; 0.1.0       ; false
          <=2.0.0                 ; 3.0.0       ; false
          <=2.0.0                 ; 2.9999.9999 ; false
          <=2.0.0                 ; 2.2.9       ; false
          <2.0.0                  ; 2.9999.9999 ; false
          <2.0.0                  ; 2.2.9       ; false
          >=0.1.97                ; v0.1.93     ; false
          >=0.1.97                ; 0.1.93      ; false
          0.1.20 || 1.2.4         ; 1.2.3       ; false
          >=0.2.3 || <0.0.1       ; 0.0.3       ; false
          >=0.2.3 || <0.0.1       ; 0.2.2       ; false
          2.x.x                   ; 1.1.3       ; false
          2.x.x                   ; 3.1.3       ; false
          1.2.x                   ; 1.3.3       ; false
          1.2.x || 2.x            ; 3.1.3       ; false
          1.2.x || 2.x            ; 1.1.3       ; false
          2.*.*                   ; 1.1.3       ; false
          2.*.*                   ; 3.1.3       ; false
          1.2.*                   ; 1.3.3       ; false
          1.2.* || 2.*            ; 3.1.3       ; false
          1.2.* || 2.*            ; 1.1.3       ; false
          2                       ; 1.1.2       ; false
          2.3                     ; 2.4.1       ; false
          ~0.0.1                  ; 0.1.0-alpha ; false
          ~0.0.1                  ; 0.1.0       ; false
          ~2.4                    ; 2.5.0       ; false
          ~2.4                    ; 2.3.9       ; false
          ~>3.2.1                 ; 3.3.2       ; false
          ~>3.2.1                 ; 3.2.0       ; false
          ~1                      ; 0.2.3       ; false
          ~>1                     ; 2.2.3       ; false
          ~1.0                    ; 1.1.0       ; false
          <1                      ; 1.0.0       ; false
          >=1.2                   ; 1.1.1       ; false
          ~v0.5.4-beta            ; 0.5.4-alpha ; false
          =0.7.x                  ; 0.8.2       ; false
          >=0.7.x                 ; 0.6.2       ; false
          <0.7.x                  ; 0.7.2       ; false
          <1.2.3                  ; 1.2.3-beta  ; false
          =1.2.3                  ; 1.2.3-beta  ; false
          >1.2                    ; 1.2.8       ; false
          ^0.0.1                  ; 0.0.2-alpha ; false
          ^0.0.1                  ; 0.0.2       ; false
          ^1.2.3                  ; 2.0.0-alpha ; false
          ^1.2.3                  ; 1.2.2       ; false
          ^1.2                    ; 1.1.9       ; false
          *                       ; v1.2.3-foo  ; false
          2.x                     ; 3.0.0-pre.0 ; true
          ^0.0.3                  ; 0.0.3-alpha ; true
          ^0.2.3                  ; 0.2.3-alpha ; true
          ^1.0.0                  ; 1.0.0-rc1   ; true
          ^1.0.0                  ; 2.0.0-rc1   ; true
          ^1.2.3-rc2              ; 2.0.0       ; true
          ^1.0.0                  ; 2.0.0-rc1   ; false
          1 - 2                   ; 3.0.0-pre   ; true
          1 - 2                   ; 2.0.0-pre   ; false
          1 - 2                   ; 1.0.0-pre   ; false
          1.0 - 2                 ; 1.0.0-pre   ; false
          1.1.x                   ; 1.0.0-a     ; false
          1.1.x                   ; 1.1.0-a     ; false
          1.1.x                   ; 1.2.0-a     ; false
          1.1.x                   ; 1.2.0-a     ; true
          1.1.x                   ; 1.0.0-a     ; true
          1.x                     ; 1.0.0-a     ; false
          1.x                     ; 1.1.0-a     ; false
          1.x                     ; 1.2.0-a     ; false
          1.x                     ; 0.0.0-a     ; true
          1.x                     ; 2.0.0-a     ; true
          >=1.0.0 <1.1.0          ; 1.1.0       ; false
          >=1.0.0 <1.1.0          ; 1.1.0       ; true
          >=1.0.0 <1.1.0          ; 1.1.0-pre   ; false
          >=1.0.0 <1.1.0-pre      ; 1.1.0-pre   ; false
          """)
  void excludes(String range, String version, boolean includePrerelease) {
    assertThat(satisfies(range, version, includePrerelease)).isFalse();
    assertThatAPolicyAgrees(range, version, includePrerelease, false);
  }

  /**
   * range-exclude.js: "invalid versions never satisfy, but shouldn't throw". Those node-semver
   * reads only in loose mode ({@code 1.0.0beta}) are not version tags to Freshet either.
   */
  @ParameterizedTest(name = "{0} never picks {1}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          # range ; tag (range-exclude.js)
          1   ; 1.0.0beta
          <1  ; 1.0.0beta
          < 1 ; 1.0.0beta
          1   ; 2.0.0beta
          *   ; not a version
          >=2 ; glorp
          >=2 ; false
          """)
  void whatNodeSemverCannotReadAsAVersionIsNeverACandidate(String range, String tag) {
    assertThat(VersionTag.parse(tag)).isEmpty();
    assertThat(new SemverPolicy(range).candidates("latest", List.of(tag))).isEmpty();
  }

  /**
   * Ranges node-semver reads only with {@code loose}: a pre-release without its hyphen ({@code
   * 1.2.3pre}, which as an image tag would be read differently: see VersionTag), {@code ==}, and a
   * word that is not a comparator ({@code foo}, which loose mode drops silently). A range in an App
   * is written once and followed for months, so a typo is refused rather than read as something.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "1.2.3pre+asdf - 2.4.3-pre+asdf",
        "1.2.3-pre+asdf - 2.4.3pre+asdf",
        "1.2.3pre+asdf - 2.4.3pre+asdf",
        "~ 1.0.3alpha",
        "== 1.0.0 || foo"
      })
  void looseRangesAreRefused(String range) {
    assertThatThrownBy(() -> new SemverPolicy(range))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(range);
  }

  private static boolean satisfies(String range, String version, boolean includePrerelease) {
    Semver semver = Semver.parse(version);
    assertThat(semver).as("a valid version in the fixture").isNotNull();
    return SemverRange.parse(range, includePrerelease).test(semver);
  }

  /**
   * The same case through the policy, for the versions an image tag spells the same way (no
   * variant): from a current tag that is no version, a tag in range is the one candidate.
   */
  private static void assertThatAPolicyAgrees(
      String range, String version, boolean includePrerelease, boolean included) {
    Optional<VersionTag> tag = VersionTag.parse(version);
    if (tag.isEmpty()
        || !tag.get().variant().isEmpty()
        || tag.get().version().compareTo(Semver.parse(version)) != 0) {
      return; // e.g. 1.1.0-a: to Freshet, "a" is a variant such as "alpine", not a pre-release
    }
    List<String> candidates =
        new SemverPolicy(range, includePrerelease).candidates("latest", List.of(version));
    assertThat(candidates).isEqualTo(included ? List.of(version) : List.of());
  }
}
