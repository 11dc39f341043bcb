// Drives one real socket.io client (4.x, 2.x or 1.3.6) for Herald's Java interop tests.
//
//   node client.js '{"version":"v4","url":"http://127.0.0.1:PORT/nsp","options":{...},"parser":"msgpack"}'
//
// "parser":"msgpack" builds the client with socket.io-msgpack-parser (4.x only), as apps do with
// io(url, { parser: require("socket.io-msgpack-parser") }). "fetch":true polls with fetch (see below).
//
// Commands arrive on stdin, one JSON object a line; events leave on stdout, one JSON object a
// line. Binary values cross as {"$bin":"<base64>"} both ways, so the Java side can assert on them.
//   in:  {"cmd":"emit","event":"e","args":[...],"ack":true,"id":7}   -> out {"type":"ack","id":7,"args":[...]}
//        {"cmd":"disconnect"}  {"cmd":"connect"}  {"cmd":"drop"} (closes the transport)  {"cmd":"exit"}
//   out: {"type":"connect","id":"<sid>","transport":"websocket","recovered":bool}  {"type":"connect_error","message":...,"data":...}
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
      const bytes = Buffer.from(value.$bin, 'base64');
      return config.version === 'v1' ? asNode012Buffer(bytes) : bytes;
    }
    if (Array.isArray(value)) return value.map(toWire);
    const copy = {};
    for (const k of Object.keys(value)) copy[k] = toWire(value[k]);
    return copy;
  }
  return value;
}

// socket.io-client 1.3.6 sends every binary value as zeros on any Node newer than 0.12, over both
// transports; the server gets 'b4AAAA' for <07 08 09>. In Node it always base64-encodes binary
// (its xmlhttprequest has no responseType and ws 0.7 has no binaryType, so supportsBinary is
// false), and engine.io-parser 1.2.1 picks its path by 'packet.data.buffer || packet.data'. Since
// Node 4 a Buffer is a Uint8Array whose .buffer is an ArrayBuffer, and encodeBase64Packet then
// copies it with buf[i] = arrayBuffer[i], which is undefined, so 0. An ArrayBuffer or Uint8Array
// takes the same broken branch. On the Node the client was written for (0.10/0.12) a Buffer had no
// .buffer and went straight to toString('base64'): hiding .buffer on this one instance restores
// exactly that path, so the bytes Herald receives are the ones the test sent. The browser build
// (browser.js) has its own encoders and sends real binary; Eio3CodecTest decodes its bytes.
function asNode012Buffer(bytes) {
  Object.defineProperty(bytes, 'buffer', { value: undefined });
  return bytes;
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
if (config.parser === 'msgpack') options.parser = require('socket.io-msgpack-parser');
// "fetch": true polls with Node's fetch, which asks for gzip/deflate and inflates the answers (the
// default XHR polyfill does neither), as a browser's polling does.
if (config.fetch) options.transports = [require('engine.io-client').Fetch];
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
  out({ type: 'connect', id: socket.id, transport: transportName(), recovered: socket.recovered === true });
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
    if (reply === 'echo') last(...toWire(fromWire(data)));
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
    case 'drop':
      // The connection is lost, as on a network change: the client reconnects by itself if its
      // options allow it (connection state recovery's test case).
      socket.io.engine.close();
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
