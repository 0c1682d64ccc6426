package dev.runar.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class JavaNamesTest {
  @Test
  void camelCaseFollowsProtoc() {
    assertEquals("FooBar", JavaNames.camel("foo_bar", true));
    assertEquals("sayHello", JavaNames.camel("SayHello", false));
    assertEquals("sayHello", JavaNames.camel("say_hello", false));
    assertEquals("Foo2Bar", JavaNames.camel("foo2bar", true));
    assertEquals("HTTPGet", JavaNames.camel("HTTPGet", true));
  }

  @Test
  void upperSnake() {
    assertEquals("SAY_HELLO", JavaNames.upperSnake("sayHello"));
    assertEquals("HTTPGET", JavaNames.upperSnake("HTTPGet"));
    assertEquals("V2_API", JavaNames.upperSnake("v2Api"));
  }

  @Test
  void escapesKeywordsAndReservedNames() {
    assertEquals("class_", JavaNames.escape("class", Set.of()));
    assertEquals("stop_", JavaNames.escape("stop", Set.of("stop")));
    assertEquals("hello", JavaNames.escape("hello", Set.of("stop")));
  }

  @Test
  void oneRuleForEveryRpcName() {
    assertEquals(
        "getNode_", JavaNames.rpcMethodName("GetNode")); // Cloud TPU: AbstractStub.getNode()
    assertEquals(
        "start_", JavaNames.rpcMethodName("Start")); // containerd: ServiceLifecycle.start()
    assertEquals("wait_", JavaNames.rpcMethodName("Wait")); // Object.wait()
    assertEquals("default_", JavaNames.rpcMethodName("Default")); // a keyword
    assertEquals("withDeadlineAfter_", JavaNames.rpcMethodName("WithDeadlineAfter"));
    assertEquals("getServiceDescriptor_", JavaNames.rpcMethodName("GetServiceDescriptor"));
    assertEquals("sayHello", JavaNames.rpcMethodName("SayHello"));
    assertEquals("startAsync_", JavaNames.escape("startAsync", Set.of("startAsync")));
  }
}
