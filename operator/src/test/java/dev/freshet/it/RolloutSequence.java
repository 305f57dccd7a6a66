package dev.freshet.it;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges the images one workload's pod template named, in order (as a {@link TemplateRecorder} saw
 * them): which moves went to a newer digest, which were health-gate rollbacks, and which must never
 * happen.
 *
 * <p>A move is <em>forward</em> when its digest is newer than every digest named before. It is a
 * <em>rollback</em> when it leaves a quarantined digest for one named before that is not
 * quarantined. Any other move to a digest named before rolls it out a second time (a
 * <em>duplicate</em>); any other move to an older digest is <em>backward</em>. The first image is
 * where the workload stood when the recording began. An image without a digest, or with one never
 * pushed for the workload, is reported too.
 *
 * @param forward how many moves went to a newer digest
 * @param rollbacks how many moves rolled back from a quarantined digest
 * @param backward each move to an older digest never named before
 * @param duplicates each move to a digest named before, other than a rollback
 * @param unpinned each image that named no digest
 * @param unknown each image whose digest was never pushed for this workload
 */
public record RolloutSequence(
    int forward,
    int rollbacks,
    List<String> backward,
    List<String> duplicates,
    List<String> unpinned,
    List<String> unknown) {

  /**
   * @param images the images in the order the template named them
   * @param age each digest pushed for the workload and its rank: higher is newer
   * @param quarantined the digests the workload's status quarantined at any time
   */
  public static RolloutSequence judge(
      List<String> images, Map<String, Integer> age, Set<String> quarantined) {
    var backward = new ArrayList<String>();
    var duplicates = new ArrayList<String>();
    var unpinned = new ArrayList<String>();
    var unknown = new ArrayList<String>();
    int forward = 0;
    int rollbacks = 0;
    Set<String> named = new HashSet<>();
    int newestNamed = Integer.MIN_VALUE;
    String all = images.stream().map(RolloutSequence::shortImage).toList().toString();
    for (int i = 0; i < images.size(); i++) {
      String image = images.get(i);
      Optional<String> digest = TemplateRecorder.digestOf(image);
      if (digest.isEmpty()) {
        unpinned.add(image + " (no digest) in " + all);
        continue;
      }
      Integer rank = age.get(digest.get());
      if (rank == null) {
        unknown.add(image + " in " + all);
        continue;
      }
      if (i > 0) {
        Optional<String> from = TemplateRecorder.digestOf(images.get(i - 1));
        String move = shortImage(images.get(i - 1)) + " -> " + shortImage(image) + " in " + all;
        if (rank > newestNamed) {
          forward++;
        } else if (from.isPresent()
            && quarantined.contains(from.get())
            && !quarantined.contains(digest.get())
            && named.contains(digest.get())) {
          rollbacks++;
        } else if (named.contains(digest.get())) {
          duplicates.add(move);
        } else {
          backward.add(move);
        }
      }
      named.add(digest.get());
      newestNamed = Math.max(newestNamed, rank);
    }
    return new RolloutSequence(forward, rollbacks, backward, duplicates, unpinned, unknown);
  }

  /** {@code tag@123456789abc}, enough to read a sequence of images by. */
  public static String shortImage(String image) {
    int at = image.indexOf('@');
    if (at < 0) {
      return image;
    }
    String tag = image.substring(image.lastIndexOf(':', at) + 1, at);
    int hex = image.indexOf(':', at) + 1;
    return tag + "@" + image.substring(hex, Math.min(image.length(), hex + 12));
  }
}
