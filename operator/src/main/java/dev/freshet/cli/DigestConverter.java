package dev.freshet.cli;

import dev.freshet.registry.Digest;
import dev.freshet.registry.InvalidReferenceException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a digest option such as {@code --to sha256:…}, refusing what the registry would refuse. */
class DigestConverter implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return Digest.parse(value).toString();
    } catch (InvalidReferenceException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
