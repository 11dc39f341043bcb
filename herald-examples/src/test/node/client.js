// Drives one real socket.io client (4.x, 2.x or 1.3.6) for Herald's Java interop tests.
//
//   node client.js '{"version":"v4","url":"http://127.0.0.1:PORT/nsp","options":{...}}'
//
// Commands arrive on stdin, one JSON object a line; events leave on stdout, one JSON object a
// line. Binary values cross as {"$bin":"<base64>"} both ways, so the Java side can assert on them.
//   in:  {"cmd":"emit","event":"e","args":[...],"ack":true,"id":7}   -> out {"type":"ack","id":7,"args":[...]}
//        {"cmd":"disconnect"}  {"cmd":"connect"}  {"cmd":"exit"}
//   out: {"type":"connect","id":"<sid>","transport":"websocket"}  {"type":"connect_error","message":...,"data":...}
//        {"type":"event","event":"e","args":[...],"ackable":bool}  {"type":"disconnect","reason":"..."}
//        {"type":"upgrade","transport":"websocket"}  {"type":"error","message":"..."}
'use strict';

const readline = require('readline');

const config = JSON.parse(process.argv[2]);
const modules = { v4: 'socket.io-client', v2: 'socket.io-client-v2', v1: 'socket.io-client-v1' };
const io = require(modules[config.version || 'v4']);

// Answers that a server's ack request gets: event name -> args to reply with, "echo" for the args back.
const ackReplies = config.ackReplies || {};

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function toWire(value) {
  if (value && typeof value === 'object') {
    if (value.$bin !== undefined) {
      // An unpooled copy: the 1.x client sends a Buffer's whole backing ArrayBuffer, and small
      // Buffers from Buffer.from() share one 8 KiB pool.
      const pooled = Buffer.from(value.$bin, 'base64');
      const exact = Buffer.alloc(pooled.length);
      pooled.copy(exact);
      return exact;
    }
    if (Array.isArray(value)) return value.map(toWire);
    const copy = {};
    for (const k of Object.keys(value)) copy[k] = toWire(value[k]);
    return copy;
  }
  return value;
}

function fromWire(value) {
  if (value instanceof ArrayBuffer) return { $bin: Buffer.from(value).toString('base64') };
  if (Buffer.isBuffer(value)) return { $bin: value.toString('base64') };
  if (ArrayBuffer.isView(value)) return { $bin: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value && typeof value === 'object') {
    if (Array.isArray(value)) return value.map(fromWire);
    const copy = {};
    for (const k of Object.keys(value)) copy[k] = fromWire(value[k]);
    return copy;
  }
  return value;
}

const options = Object.assign({ reconnection: false, forceNew: true }, config.options || {});
const socket = io(config.url, options);

function transportName() {
  try {
    const engine = socket.io && socket.io.engine;
    return engine && engine.transport ? engine.transport.name : undefined;
  } catch (e) {
    return undefined;
  }
}

socket.on('connect', () => {
  out({ type: 'connect', id: socket.id, transport: transportName() });
  const engine = socket.io && socket.io.engine;
  if (engine && engine.on) engine.on('upgrade', (t) => out({ type: 'upgrade', transport: t && t.name }));
});
socket.on('connect_error', (err) => {
  out({ type: 'connect_error', message: err && err.message !== undefined ? err.message : String(err), data: err && err.data });
});
socket.on('error', (err) => {
  // 1.x and 2.x report a refused namespace connect as 'error' with the message or the payload.
  out({ type: 'error', message: typeof err === 'string' ? err : err && err.message, data: err && err.data !== undefined ? err.data : (typeof err === 'object' ? err : undefined) });
});
socket.on('disconnect', (reason) => out({ type: 'disconnect', reason }));

// 4.x has onAny; for 2.x and 1.x the tests name the events to listen for.
function onEvent(event, args) {
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const ackable = typeof last === 'function';
  const data = ackable ? args.slice(0, -1) : args;
  out({ type: 'event', event, args: fromWire(data), ackable });
  if (ackable) {
    const reply = ackReplies[event];
    if (reply === 'echo') last(...data);
    else if (reply !== undefined) last(...toWire(reply));
  }
}
if (typeof socket.onAny === 'function') {
  socket.onAny((event, ...args) => onEvent(event, args));
} else {
  for (const event of config.events || []) socket.on(event, (...args) => onEvent(event, args));
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line);
  switch (cmd.cmd) {
    case 'emit': {
      const args = toWire(cmd.args || []);
      if (cmd.ack) socket.emit(cmd.event, ...args, (...reply) => out({ type: 'ack', id: cmd.id, args: fromWire(reply) }));
      else socket.emit(cmd.event, ...args);
      break;
    }
    case 'disconnect':
      socket.disconnect();
      break;
    case 'connect':
      socket.connect();
      break;
    case 'exit':
      socket.close();
      process.exit(0);
      break;
    default:
      out({ type: 'error', message: 'unknown command ' + cmd.cmd });
  }
});
rl.on('close', () => process.exit(0));

// Never outlive the test that started us.
setTimeout(() => process.exit(3), (config.maxSeconds || 120) * 1000).unref();
