package dev.freshet.app;

/** Reads the tag out of an image reference the schema has already validated. */
public final class ImageTags {

  private ImageTags() {}

  /** The tag, "latest" when none is written and no digest pins the image, or null. */
  public static String tagOf(String image) {
    String withoutDigest = image;
    int at = image.indexOf('@');
    if (at >= 0) {
      withoutDigest = image.substring(0, at);
    }
    int slash = withoutDigest.lastIndexOf('/');
    int colon = withoutDigest.lastIndexOf(':');
    if (colon > slash) {
      return withoutDigest.substring(colon + 1);
    }
    return at >= 0 ? null : "latest";
  }
}
