package dev.runar.codegen;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code protoc-gen-runar}: the generator as a protoc plugin. protoc writes a {@link
 * CodeGeneratorRequest} to standard input and reads the {@link CodeGeneratorResponse} from standard
 * output. Run by the {@code protoc-gen-runar} launcher, or as a JVM plugin by any Maven protoc
 * plugin that runs a main class.
 */
public final class ProtocPlugin {
  private ProtocPlugin() {}

  public static void main(String[] args) throws IOException {
    run(System.in, System.out);
    System.out.flush();
  }

  /** Reads one request from {@code in} and writes the response to {@code out}. */
  public static void run(InputStream in, OutputStream out) throws IOException {
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(in);
    CodeGeneratorResponse response = RunarGenerator.generate(request);
    response.writeTo(out);
  }
}
