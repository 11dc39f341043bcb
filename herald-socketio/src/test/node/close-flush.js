// Connects a real socket.io client again and again to a server whose handler emits "bye" and then
// closes the connection, and reports what each connection saw before it ended.
//
//   node close-flush.js '{"url":"http://127.0.0.1:PORT","iterations":30,"options":{"transports":["polling"]},
//                          "trigger":"connect"|"event"}'
//
// With "event", the client emits "close-me" as soon as it is connected and the server closes from
// that event's handler. Each connection prints one line:
//   {"i":0,"connected":true,"bye":true,"reason":"io server disconnect","transport":"polling"}
// and the last line is {"done":true}. A connection that has not ended after "waitMs" reports
// reason "none": the client never learnt of the close.
'use strict';

const io = require('socket.io-client');

const config = JSON.parse(process.argv[2]);
const iterations = config.iterations || 30;
const waitMs = config.waitMs || 5000;

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function once(i) {
  return new Promise((resolve) => {
    const options = Object.assign({ reconnection: false, forceNew: true }, config.options || {});
    const socket = io(config.url, options);
    const seen = { i, connected: false, bye: false, reason: 'none', transport: undefined, sid: undefined, error: undefined };
    // What the engine saw, for the report of a lost close: packet types, transport switches, close.
    const trace = [];
    const engine = socket.io.engine;
    engine.on('packet', (p) => trace.push(p.type + (p.type === 'message' ? ':' + String(p.data).slice(0, 12) : '')));
    engine.on('upgrade', (t) => trace.push('upgrade:' + t.name));
    engine.on('close', (reason, description) => trace.push('close:' + reason + ':' + (description && description.message || description || '')));
    const timer = setTimeout(finish, waitMs);
    function finish() {
      clearTimeout(timer);
      socket.close();
      if (!seen.bye || seen.reason !== 'io server disconnect') seen.trace = trace;
      resolve(seen);
    }
    socket.on('connect', () => {
      seen.connected = true;
      seen.sid = socket.io.engine.id;
      if (config.trigger === 'event') socket.emit('close-me');
    });
    socket.on('connect_error', (err) => {
      seen.error = err && err.message;
      finish();
    });
    socket.on('bye', () => {
      seen.bye = true;
    });
    socket.on('disconnect', (reason) => {
      seen.reason = reason;
      const engine = socket.io && socket.io.engine;
      seen.transport = engine && engine.transport ? engine.transport.name : undefined;
      finish();
    });
  });
}

(async () => {
  for (let i = 0; i < iterations; i++) {
    out(await once(i));
  }
  out({ done: true });
  process.exit(0);
})();

// Never outlive the test that started us.
setTimeout(() => process.exit(3), (config.maxSeconds || 120) * 1000).unref();
