package dev.runar.stub;

import dev.runar.MethodDescriptor;
import dev.runar.Status;
import dev.runar.StatusException;

/** Helpers for generated server bases. */
public final class ServerCalls {
  private ServerCalls() {}

  /** The exception an rpc the implementation did not override fails with. */
  public static StatusException unimplemented(MethodDescriptor<?, ?> method) {
    return Status.UNIMPLEMENTED
        .withDescription(method.path() + " is not implemented by this service")
        .asException();
  }
}
