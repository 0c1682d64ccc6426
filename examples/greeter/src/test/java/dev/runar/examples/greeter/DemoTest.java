package dev.runar.examples.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {
  @Test
  void demoGreetsThreePeopleAndSeesTheirEvents() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Demo.Result result = Demo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    assertEquals(List.of("Hello, Ada!", "Hello, Grace!", "Hello, Linus!"), result.replies());
    assertEquals(List.of("Ada", "Grace", "Linus"), result.events());
    assertEquals("UNIMPLEMENTED", result.unimplementedStatus());
  }
}
