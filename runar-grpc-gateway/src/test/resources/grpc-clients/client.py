"""A Python client of the gateway, written only with grpcio (Debian's python3-grpcio).

Messages are encoded by hand (protobuf's wire format, a few lines), so that no generated code
and no protoc are needed. Usage: python3 client.py HOST:PORT. Prints PASS/FAIL per check; exits 1
on a failure.
"""
import sys
import time
import traceback

import grpc

TARGET = sys.argv[1]


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def request(text="", count=0, delay_millis=0):
    """An EchoRequest: text = 1, count = 2, delay_millis = 3."""
    data = text.encode()
    out = b"\x0a" + varint(len(data)) + data if data else b""
    if count:
        out += b"\x10" + varint(count)
    if delay_millis:
        out += b"\x18" + varint(delay_millis)
    return out


def fields(data):
    """The fields of a message: {number: value}, strings decoded, varints as ints."""
    out, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire_type = key >> 3, key & 7
        if wire_type == 2:
            length, i = read_varint(data, i)
            out[number] = data[i:i + length].decode()
            i += length
        elif wire_type == 0:
            out[number], i = read_varint(data, i)
        else:
            raise ValueError("unexpected wire type %d" % wire_type)
    return out


def read_varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


def expect_equal(actual, expected, what):
    if actual != expected:
        raise AssertionError("%s: expected %r but got %r" % (what, expected, actual))


channel = grpc.insecure_channel(TARGET)
say = channel.unary_unary("/gatewaytest.Echo/Say")
count = channel.unary_stream("/gatewaytest.Echo/Count")
join = channel.stream_unary("/gatewaytest.Echo/Join")
chat = channel.stream_stream("/gatewaytest.Echo/Chat")
health = channel.unary_unary("/grpc.health.v1.Health/Check")


def check_unary_with_metadata():
    reply = fields(say(request("hi"), timeout=10, metadata=(("x-tag", "blue"), ("x-data-bin", b"\x01\x02\x03"))))
    expect_equal((reply.get(1), reply.get(2), reply.get(3)), ("hi", "x-data-bin=AQID;x-tag=blue", "echo-node"), "reply")


def check_error_status():
    try:
        say(request("fail"), timeout=10)
    except grpc.RpcError as e:
        expect_equal((e.code(), e.details()), (grpc.StatusCode.INVALID_ARGUMENT, "asked to fail"), "status")
        return
    raise AssertionError("expected INVALID_ARGUMENT")


def check_deadline():
    started = time.monotonic()
    try:
        say(request("slow", delay_millis=5000), timeout=0.3)
    except grpc.RpcError as e:
        expect_equal(e.code(), grpc.StatusCode.DEADLINE_EXCEEDED, "status")
        if time.monotonic() - started > 3:
            raise AssertionError("the deadline took %.1f s" % (time.monotonic() - started))
        return
    raise AssertionError("expected DEADLINE_EXCEEDED")


def check_server_streaming():
    texts = [fields(r).get(1) for r in count(request("n", count=3), timeout=10)]
    expect_equal(texts, ["n 1", "n 2", "n 3"], "replies")


def check_client_streaming():
    reply = fields(join(iter([request("a"), request("b"), request("c")]), timeout=10))
    expect_equal(reply.get(1), "a+b+c", "reply")


def check_bidirectional_streaming():
    texts = [fields(r).get(1) for r in chat(iter([request("x"), request("y")]), timeout=10)]
    expect_equal(texts, ["X", "Y"], "replies")


def check_bidirectional_error():
    try:
        list(chat(iter([request("fail")]), timeout=10))
    except grpc.RpcError as e:
        expect_equal(e.code(), grpc.StatusCode.INVALID_ARGUMENT, "status")
        return
    raise AssertionError("expected INVALID_ARGUMENT")


def check_cancellation():
    call = count(request("c", count=1000000, delay_millis=1), timeout=10)
    next(call)
    next(call)
    call.cancel()
    try:
        next(call)
    except grpc.RpcError as e:
        expect_equal(e.code(), grpc.StatusCode.CANCELLED, "status")
        return
    raise AssertionError("expected CANCELLED")


def check_health():
    service = b"gatewaytest.Echo"
    reply = fields(health(b"\x0a" + varint(len(service)) + service, timeout=10))
    expect_equal(reply.get(1), 1, "status (1 = SERVING)")


failed = 0
for name, check in list(globals().items()):
    if name.startswith("check_"):
        try:
            check()
            print("PASS " + name)
        except Exception:
            failed += 1
            print("FAIL " + name + ": " + traceback.format_exc())
channel.close()
sys.exit(1 if failed else 0)
