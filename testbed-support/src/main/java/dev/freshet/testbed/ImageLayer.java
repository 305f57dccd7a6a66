package dev.freshet.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A one-file image layer: a real gzipped tar holding {@code /freshet-nonce}, so every pushed image
 * has bytes of its own and therefore a digest of its own. Written by hand because the JDK has no
 * tar writer and the format needs only one header block.
 */
final class ImageLayer {
  private static final int BLOCK = 512;

  final byte[] tar;
  final byte[] gzipped;

  ImageLayer(String content) {
    this.tar = tarOf("freshet-nonce", content.getBytes(StandardCharsets.UTF_8));
    this.gzipped = gzip(tar);
  }

  private static byte[] tarOf(String name, byte[] data) {
    byte[] header = new byte[BLOCK];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", data.length));
    put(header, 136, String.format("%011o", 0));
    put(header, 148, "        "); // the checksum counts its own field as spaces
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    header[155] = ' ';

    int padded = (data.length + BLOCK - 1) / BLOCK * BLOCK;
    byte[] tar = new byte[BLOCK + padded + 2 * BLOCK];
    System.arraycopy(header, 0, tar, 0, BLOCK);
    System.arraycopy(data, 0, tar, BLOCK, data.length);
    return tar;
  }

  private static void put(byte[] block, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, block, offset, bytes.length);
  }

  private static byte[] gzip(byte[] data) {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
