// A Node peer for the herald-redis interop tests, driven over stdin/stdout JSON lines.
//
//   node peer.js server  <redisUrl> [key]   socket.io 4.8 server with @socket.io/redis-adapter 8.3
//   node peer.js sharded <clusterUrl> [prefix] [subscriptionMode]
//                                           the same on a Redis Cluster with createShardedAdapter
//   node peer.js emitter <redisUrl> [key]   @socket.io/redis-emitter 5.x
//   node peer.js clients                    clients only, no Redis
//
// Every mode can also start socket.io-client sockets ({"cmd":"client",...}) against any server,
// Node or Herald. Binary values travel in JSON as {"$bin": "<base64>"}.
"use strict";

const readline = require("node:readline");
const http = require("node:http");
const { createClient, createCluster } = require("redis");
const { Server } = require("socket.io");
const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
const { Emitter } = require("@socket.io/redis-emitter");
const ioClient = require("socket.io-client");

const [mode, redisUrl, key = "socket.io", subscriptionMode = "dynamic"] = process.argv.slice(2);

function out(message) {
  process.stdout.write(JSON.stringify(toWire(message)) + "\n");
}

function toWire(value) {
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    return { $bin: Buffer.from(value).toString("base64") };
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === "object") {
    const copy = {};
    for (const [k, v] of Object.entries(value)) copy[k] = toWire(v);
    return copy;
  }
  return value;
}

function fromWire(value) {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === "object") {
    if (typeof value.$bin === "string") return Buffer.from(value.$bin, "base64");
    const copy = {};
    for (const [k, v] of Object.entries(value)) copy[k] = fromWire(v);
    return copy;
  }
  return value;
}

const clients = new Map();

function startClient(cmd) {
  const options = {
    transports: cmd.transports || ["websocket"],
    auth: cmd.auth || {},
    reconnection: false,
    forceNew: true,
  };
  // a source address of the loopback network (127.0.0.2, ...), for a load balancer that hashes it
  if (cmd.localAddress) options.agent = new http.Agent({ localAddress: cmd.localAddress, keepAlive: true });
  const socket = ioClient(cmd.url, options);
  clients.set(cmd.client, socket);
  socket.on("connect", () =>
    out({ ev: "connected", client: cmd.client, sid: socket.id, transport: socket.io.engine.transport.name }));
  // the engine exists once ioClient returns (autoConnect), before it could upgrade
  socket.io.engine.on("upgrade", (transport) =>
    out({ ev: "upgraded", client: cmd.client, transport: transport.name }));
  socket.on("connect_error", (err) =>
    out({ ev: "connect_error", client: cmd.client, message: err.message }));
  socket.on("disconnect", (reason) => out({ ev: "disconnected", client: cmd.client, reason }));
  socket.onAny((name, ...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    out({ ev: "event", client: cmd.client, name, args });
    if (ack) ack(cmd.ackReply !== undefined ? cmd.ackReply : cmd.client);
  });
}

function operator(target, cmd) {
  let op = target;
  for (const room of cmd.rooms || []) op = op.to(room);
  for (const room of cmd.except || []) op = op.except(room);
  if (cmd.flags && cmd.flags.volatile) op = op.volatile;
  if (cmd.flags && cmd.flags.compress !== undefined) op = op.compress(cmd.flags.compress);
  return op;
}

async function runServer() {
  const sharded = mode === "sharded";
  const pub = sharded ? createCluster({ rootNodes: [{ url: redisUrl }] }) : createClient({ url: redisUrl });
  const sub = pub.duplicate();
  pub.on("error", (e) => process.stderr.write("pub error " + e.message + "\n"));
  sub.on("error", (e) => process.stderr.write("sub error " + e.message + "\n"));
  await Promise.all([pub.connect(), sub.connect()]);
  const httpServer = http.createServer();
  const adapter = sharded
    ? createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode })
    : createAdapter(pub, sub, { key });
  const io = new Server(httpServer, { adapter });
  const received = {}; // sharded: raw messages the adapters got, by channel
  const replies = new Map(); // serverSideEmit event -> ack reply

  const onConnection = (socket) => {
    const auth = socket.handshake.auth || {};
    if (Array.isArray(auth.rooms)) socket.join(auth.rooms);
    if (auth.data !== undefined) socket.data = auth.data;
  };
  const namespaces = new Set();
  const ensureNamespace = (name) => {
    if (namespaces.has(name)) return io.of(name);
    namespaces.add(name);
    const nsp = io.of(name);
    nsp.on("connection", onConnection);
    if (sharded) {
      const raw = nsp.adapter.onRawMessage.bind(nsp.adapter);
      nsp.adapter.onRawMessage = (message, channel) => {
        const name = channel.toString();
        received[name] = (received[name] || 0) + 1;
        return raw(message, channel);
      };
    }
    const original = nsp._onServerSideEmit.bind(nsp);
    nsp._onServerSideEmit = (args) => {
      const ack = typeof args[args.length - 1] === "function" ? args[args.length - 1] : null;
      const data = ack ? args.slice(0, -1) : args;
      out({ ev: "serverSideEmit", nsp: name, args: data });
      if (ack && replies.has(data[0])) ack(replies.get(data[0]));
      return original(args);
    };
    return nsp;
  };
  ensureNamespace("/");
  ensureNamespace("/chat");

  httpServer.listen(0, "127.0.0.1", () =>
    out({ ev: "listening", port: httpServer.address().port }));

  return async (cmd) => {
    const nsp = ensureNamespace(cmd.nsp || "/");
    switch (cmd.cmd) {
      case "reply":
        replies.set(cmd.event, fromWire(cmd.value));
        return {};
      case "emit":
        operator(nsp, cmd).emit(cmd.event, ...fromWire(cmd.args || []));
        return {};
      case "emitWithAck": {
        const op = operator(nsp.timeout(cmd.timeout || 2000), cmd);
        try {
          return { replies: await op.emitWithAck(cmd.event, ...fromWire(cmd.args || [])) };
        } catch (e) {
          return { error: e.message, replies: e.responses || [] };
        }
      }
      case "fetchSockets": {
        const sockets = await operator(nsp, cmd).fetchSockets();
        return {
          sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data,
            query: s.handshake && s.handshake.query })),
        };
      }
      case "socketsJoin":
        operator(nsp, cmd).socketsJoin(cmd.join);
        return {};
      case "socketsLeave":
        operator(nsp, cmd).socketsLeave(cmd.leave);
        return {};
      case "disconnectSockets":
        operator(nsp, cmd).disconnectSockets(!!cmd.close);
        return {};
      case "serverSideEmit":
        if (cmd.ack) {
          try {
            return { replies: await nsp.serverSideEmitWithAck(cmd.event, ...fromWire(cmd.args || [])) };
          } catch (e) {
            return { error: e.message };
          }
        }
        nsp.serverSideEmit(cmd.event, ...fromWire(cmd.args || []));
        return {};
      case "closeClients": {
        for (const socket of clients.values()) socket.disconnect();
        clients.clear();
        // wait until this server has seen them go, so the next test starts clean
        for (let i = 0; i < 200 && io.of("/").sockets.size + io.of("/chat").sockets.size > 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return {};
      }
      case "rooms":
        return { rooms: [...(await nsp.adapter.allRooms())] };
      case "received":
        return { received };
      default:
        throw new Error("unknown command " + cmd.cmd);
    }
  };
}

async function runEmitter() {
  const client = createClient({ url: redisUrl });
  client.on("error", (e) => process.stderr.write("emitter error " + e.message + "\n"));
  await client.connect();
  const emitter = new Emitter(client, { key });
  out({ ev: "ready" });
  return async (cmd) => {
    const target = emitter.of(cmd.nsp || "/");
    switch (cmd.cmd) {
      case "emit":
        operator(target, cmd).emit(cmd.event, ...fromWire(cmd.args || []));
        break;
      case "serverSideEmit":
        target.serverSideEmit(cmd.event, ...fromWire(cmd.args || []));
        break;
      case "socketsJoin":
        operator(target, cmd).socketsJoin(cmd.join);
        break;
      case "socketsLeave":
        operator(target, cmd).socketsLeave(cmd.leave);
        break;
      case "disconnectSockets":
        operator(target, cmd).disconnectSockets(!!cmd.close);
        break;
      default:
        throw new Error("unknown command " + cmd.cmd);
    }
    // commands on one connection run in order: once PING is answered, the PUBLISH is done
    await client.ping();
    return {};
  };
}

// A client emits an event; with "ack" it waits for the server's answer (5 s at most).
async function clientEmit(cmd) {
  const socket = clients.get(cmd.client);
  if (!socket) throw new Error("no client " + cmd.client);
  const args = fromWire(cmd.args || []);
  if (!cmd.ack) {
    socket.emit(cmd.event, ...args);
    return {};
  }
  return { reply: await socket.timeout(cmd.timeout || 5000).emitWithAck(cmd.event, ...args) };
}

async function runClients() {
  out({ ev: "ready" });
  return async (cmd) => {
    switch (cmd.cmd) {
      case "closeClients":
        for (const socket of clients.values()) socket.disconnect();
        clients.clear();
        return {};
      default:
        throw new Error("unknown command " + cmd.cmd);
    }
  };
}

async function main() {
  const handle =
    mode === "server" || mode === "sharded" ? await runServer() : mode === "clients" ? await runClients() : await runEmitter();
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", async (line) => {
    if (!line.trim()) return;
    const cmd = JSON.parse(line);
    try {
      if (cmd.cmd === "client") {
        startClient(cmd);
        return;
      }
      if (cmd.cmd === "clientEmit") {
        out({ ev: "done", id: cmd.id, ...(await clientEmit(cmd)) });
        return;
      }
      const result = await handle(cmd);
      out({ ev: "done", id: cmd.id, ...result });
    } catch (e) {
      out({ ev: "failed", id: cmd.id, message: e.message });
    }
  });
  // the test closes stdin to stop this peer
  lines.on("close", () => process.exit(0));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack) + "\n");
  process.exit(1);
});
