// A Node.js client of the gateway, written only with @grpc/grpc-js and @grpc/proto-loader.
// Usage: node client.js HOST:PORT PROTO_INCLUDE_DIR. Prints PASS/FAIL per check; exits 1 on a failure.
'use strict';
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [target, includeDir] = process.argv.slice(2);
const definition = protoLoader.loadSync('gatewaytest/echo.proto', {
  includeDirs: [includeDir], keepCase: true, defaults: true,
});
const Echo = grpc.loadPackageDefinition(definition).gatewaytest.Echo;
const client = new Echo(target, grpc.credentials.createInsecure());
const soon = (ms) => new Date(Date.now() + ms);

function expectEqual(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)} but got ${JSON.stringify(actual)}`);
  }
}

function unary(request, metadata, options) {
  return new Promise((resolve, reject) =>
    client.Say(request, metadata || new grpc.Metadata(), options || { deadline: soon(10000) },
      (err, reply) => (err ? reject(err) : resolve(reply))));
}

function collect(call) {
  return new Promise((resolve, reject) => {
    const replies = [];
    call.on('data', (r) => replies.push(r.text));
    call.on('error', reject);
    call.on('end', () => resolve(replies));
  });
}

function failure(promise) {
  return promise.then((r) => { throw new Error('expected a failure, got ' + JSON.stringify(r)); }, (e) => e);
}

const checks = {
  async 'unary with ASCII and binary metadata'() {
    const md = new grpc.Metadata();
    md.set('x-tag', 'blue');
    md.set('x-data-bin', Buffer.from([1, 2, 3]));
    const reply = await unary({ text: 'hi' }, md);
    expectEqual([reply.text, reply.metadata, reply.node_id], ['hi', 'x-data-bin=AQID;x-tag=blue', 'echo-node'], 'reply');
  },
  async 'error status and message'() {
    const e = await failure(unary({ text: 'fail' }));
    expectEqual([e.code, e.details], [grpc.status.INVALID_ARGUMENT, 'asked to fail'], 'status');
  },
  async 'deadline'() {
    const started = Date.now();
    const e = await failure(unary({ text: 'slow', delay_millis: 5000 }, undefined, { deadline: soon(300) }));
    expectEqual(e.code, grpc.status.DEADLINE_EXCEEDED, 'status');
    if (Date.now() - started > 3000) throw new Error('the deadline took ' + (Date.now() - started) + ' ms');
  },
  async 'server streaming'() {
    expectEqual(await collect(client.Count({ text: 'n', count: 3 }, { deadline: soon(10000) })), ['n 1', 'n 2', 'n 3'], 'replies');
  },
  async 'client streaming'() {
    const reply = await new Promise((resolve, reject) => {
      const call = client.Join({ deadline: soon(10000) }, (err, r) => (err ? reject(err) : resolve(r)));
      call.write({ text: 'a' });
      call.write({ text: 'b' });
      call.end();
    });
    expectEqual(reply.text, 'a+b', 'reply');
  },
  async 'bidirectional streaming'() {
    const call = client.Chat({ deadline: soon(10000) });
    const replies = collect(call);
    call.write({ text: 'x' });
    call.write({ text: 'y' });
    call.end();
    expectEqual(await replies, ['X', 'Y'], 'replies');
  },
  async 'bidirectional streaming error'() {
    const call = client.Chat({ deadline: soon(10000) });
    const replies = collect(call);
    call.write({ text: 'fail' });
    const e = await failure(replies);
    expectEqual(e.code, grpc.status.INVALID_ARGUMENT, 'status');
  },
  async 'cancellation'() {
    const call = client.Count({ text: 'c', count: 1000000, delay_millis: 1 }, { deadline: soon(10000) });
    const e = await new Promise((resolve) => {
      let seen = 0;
      call.on('data', () => { if (++seen === 2) call.cancel(); });
      call.on('error', resolve);
      call.on('end', () => resolve(new Error('the stream ended instead of being cancelled')));
    });
    expectEqual(e.code, grpc.status.CANCELLED, 'status');
  },
};

(async () => {
  let failed = 0;
  for (const [name, check] of Object.entries(checks)) {
    try {
      await check();
      console.log('PASS ' + name);
    } catch (e) {
      failed++;
      console.log('FAIL ' + name + ': ' + (e.stack || e));
    }
  }
  client.close();
  process.exit(failed ? 1 : 0);
})();
