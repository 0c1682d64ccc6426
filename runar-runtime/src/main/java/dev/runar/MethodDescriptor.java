package dev.runar;

import com.google.common.base.MoreObjects;
import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Message;
import java.util.Objects;

/**
 * Describes one action: where it lives ({@code servicePath/actionName}), its call shape, and the
 * protobuf types it takes and returns. Generated code declares one constant per rpc; a hand-written
 * service can build its own with {@link #unary}.
 *
 * <p>Immutable and safe to share.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public final class MethodDescriptor<ReqT extends Message, RespT extends Message> {
  /** The shape of a call, as in gRPC. */
  public enum MethodType {
    UNARY,
    CLIENT_STREAMING,
    SERVER_STREAMING,
    BIDI_STREAMING
  }

  private final MethodType type;
  private final String servicePath;
  private final String actionName;
  private final String path; // every call addresses it: concatenated once
  private final ReqT requestPrototype;
  private final RespT responsePrototype;
  private final IdempotencyLevel idempotencyLevel;

  private MethodDescriptor(
      MethodType type,
      String servicePath,
      String actionName,
      ReqT requestPrototype,
      RespT responsePrototype,
      IdempotencyLevel idempotencyLevel) {
    this.type = Objects.requireNonNull(type, "type");
    this.servicePath = Objects.requireNonNull(servicePath, "servicePath");
    this.actionName = Objects.requireNonNull(actionName, "actionName");
    this.path = servicePath + '/' + actionName;
    this.requestPrototype = Objects.requireNonNull(requestPrototype, "requestPrototype");
    this.responsePrototype = Objects.requireNonNull(responsePrototype, "responsePrototype");
    this.idempotencyLevel = Objects.requireNonNull(idempotencyLevel, "idempotencyLevel");
  }

  /**
   * A descriptor of the given shape.
   *
   * @param requestPrototype the request type's default instance ({@code Foo.getDefaultInstance()})
   * @param responsePrototype the response type's default instance
   */
  public static <ReqT extends Message, RespT extends Message> MethodDescriptor<ReqT, RespT> create(
      MethodType type,
      String servicePath,
      String actionName,
      ReqT requestPrototype,
      RespT responsePrototype) {
    return new MethodDescriptor<>(
        type,
        servicePath,
        actionName,
        requestPrototype,
        responsePrototype,
        IdempotencyLevel.IDEMPOTENCY_UNKNOWN);
  }

  /** A unary descriptor: one request, one reply. */
  public static <ReqT extends Message, RespT extends Message> MethodDescriptor<ReqT, RespT> unary(
      String servicePath, String actionName, ReqT requestPrototype, RespT responsePrototype) {
    return create(MethodType.UNARY, servicePath, actionName, requestPrototype, responsePrototype);
  }

  /**
   * A copy declaring the rpc's {@code idempotency_level} option: what generated code sets for an
   * rpc marked {@code NO_SIDE_EFFECTS} or {@code IDEMPOTENT}.
   */
  public MethodDescriptor<ReqT, RespT> withIdempotencyLevel(IdempotencyLevel level) {
    return new MethodDescriptor<>(
        type, servicePath, actionName, requestPrototype, responsePrototype, level);
  }

  /** The rpc's {@code idempotency_level} option; {@code IDEMPOTENCY_UNKNOWN} when unset. */
  public IdempotencyLevel idempotencyLevel() {
    return idempotencyLevel;
  }

  /** True when the rpc has no side effects ({@code NO_SIDE_EFFECTS}), as grpc-java's isSafe(). */
  public boolean isSafe() {
    return idempotencyLevel == IdempotencyLevel.NO_SIDE_EFFECTS;
  }

  /** True when calling the rpc twice is like calling it once: {@code IDEMPOTENT} or safe. */
  public boolean isIdempotent() {
    return isSafe() || idempotencyLevel == IdempotencyLevel.IDEMPOTENT;
  }

  public MethodType type() {
    return type;
  }

  /** The path of the service the action belongs to, e.g. {@code helloworld.Greeter}. */
  public String servicePath() {
    return servicePath;
  }

  /** The action's name within its service, e.g. {@code SayHello}. */
  public String actionName() {
    return actionName;
  }

  /** {@code servicePath/actionName}: what a caller addresses. */
  public String path() {
    return path;
  }

  /** The request type's default instance; its parser reads the request from the wire. */
  public ReqT requestPrototype() {
    return requestPrototype;
  }

  /** The response type's default instance; its parser reads the reply from the wire. */
  public RespT responsePrototype() {
    return responsePrototype;
  }

  @Override
  public String toString() {
    return MoreObjects.toStringHelper(this)
        .add("path", path())
        .add("type", type)
        .add("request", requestPrototype.getDescriptorForType().getFullName())
        .add("response", responsePrototype.getDescriptorForType().getFullName())
        .add(
            "idempotency",
            idempotencyLevel == IdempotencyLevel.IDEMPOTENCY_UNKNOWN ? null : idempotencyLevel)
        .omitNullValues()
        .toString();
  }
}
