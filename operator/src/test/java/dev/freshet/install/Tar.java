package dev.freshet.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the entries of a tar stream: the ustar format, with the PAX and GNU long-name extensions
 * that image tools write for paths over 100 characters. Enough for an image tarball and its layers;
 * the JDK has no tar reader and the test needs nothing else from one.
 */
final class Tar {

  /** One entry: its path without a leading "./" or "/", its type flag and mode, and its bytes. */
  record Entry(String path, char type, int mode, byte[] content) {
    boolean isFile() {
      return type == '0' || type == '\0';
    }
  }

  private Tar() {}

  static List<Entry> read(InputStream in) throws IOException {
    var entries = new ArrayList<Entry>();
    String longName = null;
    while (true) {
      byte[] header = in.readNBytes(512);
      if (header.length < 512 || isZero(header)) {
        return entries;
      }
      String name = string(header, 0, 100);
      int mode = (int) octal(header, 100, 8);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      String prefix = string(header, 345, 155);
      byte[] content = in.readNBytes((int) size);
      in.skipNBytes((512 - size % 512) % 512);
      if (type == 'x') {
        longName = paxPath(content);
        continue;
      }
      if (type == 'L') {
        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      if (type == 'g') {
        continue;
      }
      String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
      longName = null;
      entries.add(
          new Entry(path.replaceFirst("^\\./", "").replaceFirst("^/", ""), type, mode, content));
    }
  }

  /** The {@code path} record of a PAX extended header, if it has one. */
  private static String paxPath(byte[] records) {
    String text = new String(records, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      String keyValue = record.substring(space + 1);
      if (keyValue.startsWith("path=")) {
        return keyValue.substring("path=".length());
      }
    }
    return null;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    String digits = string(header, offset, length).trim();
    return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
  }
}
