package dev.runar.codegen;

/**
 * A .proto file the generator cannot turn into Java. Its message starts with the place in the file,
 * as protoc's own errors do ({@code greeter/greeter.proto:7:3: ...}), and says what a valid value
 * looks like.
 */
final class GeneratorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  GeneratorException(String location, String message) {
    super(location + ": " + message);
  }
}
